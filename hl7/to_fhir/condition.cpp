// A tokenizer and a recursive-descent parser into a small tree:
//   condition := ["IF"] or
//   or        := and ("OR" ["IF"] and)*
//   and       := unary ("AND" ["IF"] unary)*
//   unary     := "NOT" "(" or ")" | "(" ["IF"] or [")"] | predicate
//   predicate := [ref (("AND" | "OR") ref)*] test     (no ref: the row's own field)
//   test      := ["IS"] ["NOT"] ("VALUED" | "EMPTY" | operand | "IN" list)
//              | ["NOT"] ("EQUALS" | "=" | "EQUAL" "TO") operand | "DOES" "NOT" "EXIST"
//              | "LENGTH" "GREATER" "THAN" n | ("COUNT" | "LST.COUNT") (">" | "=" | "EQUALS"
//                | ("GREATER" | "LESS") "THAN" ["OR" "EQUALS"]) n
// "IF PID-33 AND PID-34 VALUED" applies the test to each ref. A missing ")" at the end is
// forgiven (two IG rows lack it).
#include "hl7/to_fhir/condition.h"

#include <cctype>
#include <utility>

namespace hearth::hl7::to_fhir {

struct Condition::Node {
  enum class Kind {
    kAlways,
    kAnd,
    kOr,
    kNot,
    kValued,
    kEquals,
    kEqualsRef,
    kIn,
    kLongerThan,
    kCountAbove,
    kCountIs,
    kCountBelow
  };
  Kind kind = Kind::kAlways;
  std::vector<std::shared_ptr<const Node>> children;
  ValueRef ref;
  ValueRef other;                   // kEqualsRef
  std::vector<std::string> values;  // kEquals (one), kIn
  int number = 0;
};

namespace {

using Node = Condition::Node;
using Kind = Node::Kind;
using NodePtr = std::shared_ptr<const Node>;

enum class TokenKind { kWord, kString, kNumber, kOpen, kClose, kComma, kEquals, kGreater };

struct Token {
  TokenKind kind;
  std::string text;  // a word upper-cased; a string without its quotes
};

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' ||
         c == ':' || c == '/' || c == '#';
}

Result<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (c == '"' || c == '\'') {
      const std::size_t end = text.find(c, i + 1);
      if (end == std::string_view::npos) {
        return Status(Code::kInvalidArgument, "unterminated string");
      }
      tokens.push_back({TokenKind::kString, std::string(text.substr(i + 1, end - i - 1))});
      i = end + 1;
    } else if (c == '(' || c == ')' || c == ',' || c == '=' || c == '>') {
      static constexpr std::pair<char, TokenKind> kPunct[] = {{'(', TokenKind::kOpen},
                                                              {')', TokenKind::kClose},
                                                              {',', TokenKind::kComma},
                                                              {'=', TokenKind::kEquals},
                                                              {'>', TokenKind::kGreater}};
      for (const auto& [ch, kind] : kPunct) {
        if (ch == c) tokens.push_back({kind, std::string(1, c)});
      }
      ++i;
    } else if (word_char(c)) {
      std::size_t end = i;
      while (end < text.size() && word_char(text[end])) ++end;
      std::string word(text.substr(i, end - i));
      bool digits = true;
      for (char& w : word) {
        digits = digits && std::isdigit(static_cast<unsigned char>(w)) != 0;
        w = static_cast<char>(std::toupper(static_cast<unsigned char>(w)));
      }
      tokens.push_back({digits ? TokenKind::kNumber : TokenKind::kWord, std::move(word)});
      i = end;
    } else {
      return Status(Code::kInvalidArgument, std::string("unexpected character '") + c + "'");
    }
  }
  return tokens;
}

NodePtr make(Kind kind, std::vector<NodePtr> children = {}) {
  auto node = std::make_shared<Node>();
  node->kind = kind;
  node->children = std::move(children);
  return node;
}

NodePtr negate(NodePtr node) {
  return make(Kind::kNot, {std::move(node)});
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ValueRef& subject)
      : tokens_(std::move(tokens)), subject_(subject) {}

  Result<NodePtr> parse() {
    accept_word("IF");
    HEARTH_ASSIGN_OR_RETURN(NodePtr root, parse_or());
    if (pos_ != tokens_.size()) return fail("unexpected");
    return root;
  }

 private:
  Result<NodePtr> parse_or() { return parse_joined("OR", Kind::kOr); }
  Result<NodePtr> parse_and() { return parse_joined("AND", Kind::kAnd); }

  Result<NodePtr> parse_joined(std::string_view op, Kind kind) {
    HEARTH_ASSIGN_OR_RETURN(NodePtr first, kind == Kind::kOr ? parse_and() : parse_unary());
    std::vector<NodePtr> parts{std::move(first)};
    while (accept_word(op)) {
      accept_word("IF");
      HEARTH_ASSIGN_OR_RETURN(NodePtr next, kind == Kind::kOr ? parse_and() : parse_unary());
      parts.push_back(std::move(next));
    }
    return parts.size() == 1 ? parts.front() : make(kind, std::move(parts));
  }

  Result<NodePtr> parse_unary() {
    if (peek_word("NOT") && peek_kind(1, TokenKind::kOpen)) {
      ++pos_;
      HEARTH_ASSIGN_OR_RETURN(NodePtr inner, parse_unary());
      return negate(std::move(inner));
    }
    if (accept(TokenKind::kOpen)) {
      accept_word("IF");
      HEARTH_ASSIGN_OR_RETURN(NodePtr inner, parse_or());
      accept(TokenKind::kClose);  // forgiven when missing at the end
      return inner;
    }
    return parse_predicate();
  }

  Result<NodePtr> parse_predicate() {
    std::vector<ValueRef> refs;
    Kind join = Kind::kAnd;
    ValueRef ref;
    if (peek_ref(ref)) {
      ++pos_;
      refs.push_back(ref);
      // "PID-33 AND PID-34 VALUED": a ref directly followed by AND/OR and another ref.
      while ((peek_word("AND") || peek_word("OR")) && peek_ref(ref, 1)) {
        join = tokens_[pos_].text == "AND" ? Kind::kAnd : Kind::kOr;
        pos_ += 2;
        refs.push_back(ref);
      }
    } else {
      refs.push_back(subject_);
    }
    const std::size_t test_start = pos_;
    std::vector<NodePtr> tests;
    for (const ValueRef& r : refs) {
      pos_ = test_start;
      HEARTH_ASSIGN_OR_RETURN(NodePtr test, parse_test(r));
      tests.push_back(std::move(test));
    }
    return tests.size() == 1 ? tests.front() : make(join, std::move(tests));
  }

  Result<NodePtr> parse_test(const ValueRef& ref) {
    if (accept_word("DOES")) {
      if (!accept_word("NOT") || !accept_word("EXIST")) return fail("expected DOES NOT EXIST");
      return negate(valued(ref));
    }
    if (accept_word("LENGTH")) {
      if (!accept_word("GREATER") || !accept_word("THAN")) return fail("expected GREATER THAN");
      return counted(Kind::kLongerThan, ref);
    }
    if (accept_word("COUNT") || accept_word("LST.COUNT")) {
      if (accept(TokenKind::kGreater)) return counted(Kind::kCountAbove, ref);
      if (accept(TokenKind::kEquals) || accept_word("EQUALS")) {
        return counted(Kind::kCountIs, ref);
      }
      // "GREATER THAN [OR EQUALS] n", "LESS THAN [OR EQUALS] n"
      const bool greater = accept_word("GREATER");
      if (!greater && !accept_word("LESS")) return fail("expected a count comparison");
      if (!accept_word("THAN")) return fail("expected THAN");
      const bool or_equal = accept_word("OR");
      if (or_equal && !accept_word("EQUALS") && !accept_word("EQUAL")) {
        return fail("expected OR EQUALS");
      }
      // n < x <= n + 1 on whole counts: "> n" is ">= n + 1", "<= n" is "< n + 1".
      HEARTH_ASSIGN_OR_RETURN(NodePtr node,
                              counted(greater ? Kind::kCountAbove : Kind::kCountBelow, ref));
      auto adjusted = std::make_shared<Node>(*node);
      if (greater && or_equal) adjusted->number -= 1;
      if (!greater && or_equal) adjusted->number += 1;
      return NodePtr(adjusted);
    }
    accept_word("IS");
    const bool negated = accept_word("NOT");
    HEARTH_ASSIGN_OR_RETURN(NodePtr test, parse_positive_test(ref));
    return negated ? negate(std::move(test)) : test;
  }

  Result<NodePtr> parse_positive_test(const ValueRef& ref) {
    if (accept_word("VALUED")) {
      NodePtr test = valued(ref);
      // "PID-11.9 IS VALUED NOT EQUAL PID-12"
      if (peek_word("NOT") && (peek_word("EQUAL", 1) || peek_word("EQUALS", 1))) {
        pos_ += 2;
        HEARTH_ASSIGN_OR_RETURN(NodePtr differs, parse_operand(ref));
        return make(Kind::kAnd, {std::move(test), negate(std::move(differs))});
      }
      return test;
    }
    if (accept_word("EMPTY")) return negate(valued(ref));
    if (accept_word("IN")) return parse_list(ref);
    if (accept_word("EQUALS") || accept(TokenKind::kEquals)) return parse_operand(ref);
    if (accept_word("EQUAL")) {
      accept_word("TO");
      return parse_operand(ref);
    }
    if (peek_kind(0, TokenKind::kString)) return parse_operand(ref);
    return fail("expected a test");
  }

  // A string (compared with the text at `ref`) or another ref (compared with its text).
  Result<NodePtr> parse_operand(const ValueRef& ref) {
    auto node = std::make_shared<Node>();
    node->ref = ref;
    if (peek_kind(0, TokenKind::kString) || peek_kind(0, TokenKind::kNumber)) {
      node->kind = Kind::kEquals;
      node->values.push_back(tokens_[pos_++].text);
      return NodePtr(node);
    }
    ValueRef other;
    if (!peek_ref(other)) return fail("expected a value");
    ++pos_;
    node->kind = Kind::kEqualsRef;
    node->other = other;
    return NodePtr(node);
  }

  Result<NodePtr> parse_list(const ValueRef& ref) {
    if (!accept(TokenKind::kOpen)) return fail("expected a list in parentheses");
    auto node = std::make_shared<Node>();
    node->kind = Kind::kIn;
    node->ref = ref;
    do {
      if (!peek_kind(0, TokenKind::kString)) return fail("expected a quoted value");
      node->values.push_back(tokens_[pos_++].text);
    } while (accept(TokenKind::kComma));
    if (!accept(TokenKind::kClose)) return fail("expected ')'");
    return NodePtr(node);
  }

  Result<NodePtr> counted(Kind kind, const ValueRef& ref) {
    if (!peek_kind(0, TokenKind::kNumber)) return fail("expected a number");
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->ref = ref;
    node->number = std::stoi(tokens_[pos_++].text);
    return NodePtr(node);
  }

  static NodePtr valued(const ValueRef& ref) {
    auto node = std::make_shared<Node>();
    node->kind = Kind::kValued;
    node->ref = ref;
    return node;
  }

  bool peek_kind(std::size_t ahead, TokenKind kind) const {
    return pos_ + ahead < tokens_.size() && tokens_[pos_ + ahead].kind == kind;
  }
  bool peek_word(std::string_view word, std::size_t ahead = 0) const {
    return peek_kind(ahead, TokenKind::kWord) && tokens_[pos_ + ahead].text == word;
  }
  bool peek_ref(ValueRef& out, std::size_t ahead = 0) const {
    return peek_kind(ahead, TokenKind::kWord) && parse_value_ref(tokens_[pos_ + ahead].text, out);
  }
  bool accept(TokenKind kind) {
    if (!peek_kind(0, kind)) return false;
    ++pos_;
    return true;
  }
  bool accept_word(std::string_view word) {
    if (!peek_word(word)) return false;
    ++pos_;
    return true;
  }
  Status fail(std::string_view what) const {
    std::string at = pos_ < tokens_.size() ? "'" + tokens_[pos_].text + "'" : "the end";
    return Status(Code::kInvalidArgument, std::string(what) + " at " + at);
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  ValueRef subject_;
};

bool evaluate_node(const Node& node, const ValueSource& source) {
  switch (node.kind) {
    case Kind::kAlways: return true;
    case Kind::kAnd:
      for (const NodePtr& child : node.children) {
        if (!evaluate_node(*child, source)) return false;
      }
      return true;
    case Kind::kOr:
      for (const NodePtr& child : node.children) {
        if (evaluate_node(*child, source)) return true;
      }
      return false;
    case Kind::kNot: return !evaluate_node(*node.children.front(), source);
    case Kind::kValued: return source.valued(node.ref);
    case Kind::kEquals: return source.text(node.ref) == node.values.front();
    case Kind::kEqualsRef: return source.text(node.ref) == source.text(node.other);
    case Kind::kIn: {
      const std::string text = source.text(node.ref);
      for (const std::string& value : node.values) {
        if (text == value) return true;
      }
      return false;
    }
    case Kind::kLongerThan:
      return source.text(node.ref).size() > static_cast<std::size_t>(node.number);
    case Kind::kCountAbove: return source.repetitions(node.ref) > node.number;
    case Kind::kCountIs: return source.repetitions(node.ref) == node.number;
    case Kind::kCountBelow: return source.repetitions(node.ref) < node.number;
  }
  return false;
}

// Reads a positive number at text[i...]; false when there is none.
bool read_number(std::string_view text, std::size_t& i, int& out) {
  const std::size_t start = i;
  out = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0 && out < 1000) {
    out = out * 10 + (text[i++] - '0');
  }
  return i > start && out > 0;
}

}  // namespace

bool parse_value_ref(std::string_view text, ValueRef& out) {
  std::size_t i = 0;
  while (i < text.size() && (std::isupper(static_cast<unsigned char>(text[i])) != 0 ||
                             std::isdigit(static_cast<unsigned char>(text[i])) != 0)) {
    ++i;
  }
  if (i < 2 || i > 3 || i == text.size() || (text[i] != '-' && text[i] != '.')) return false;
  ValueRef ref;
  ref.owner = std::string(text.substr(0, i));
  ref.is_segment = text[i] == '-';
  ++i;
  if (!read_number(text, i, ref.field)) return false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!read_number(text, i, ref.component)) return false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (!read_number(text, i, ref.subcomponent)) return false;
    }
  }
  if (i != text.size()) return false;
  out = std::move(ref);
  return true;
}

bool Condition::evaluate(const ValueSource& source) const {
  return evaluate_node(*root_, source);
}

Result<Condition> compile_condition(std::string_view text, const ValueRef& subject) {
  HEARTH_ASSIGN_OR_RETURN(std::vector<Token> tokens, tokenize(text));
  if (tokens.empty()) return Condition(make(Kind::kAlways));
  Parser parser(std::move(tokens), subject);
  HEARTH_ASSIGN_OR_RETURN(NodePtr root, parser.parse());
  return Condition(std::move(root));
}

}  // namespace hearth::hl7::to_fhir
