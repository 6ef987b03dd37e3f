// Recursive descent with one function per precedence level (lowest first: implies; or/xor; and;
// in/contains; equality; comparison; |; is/as; additive; multiplicative; unary; postfix).
#include "fhir/fhirpath/parser.h"

#include <array>

#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/lexer.h"
#include "fhir/fhirpath/types.h"
#include "fhir/fhirpath/values.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

using NodePtr = std::unique_ptr<Node>;

struct Level {
  std::array<std::string_view, 4> ops;
  std::array<BinaryOp, 4> codes;
  int count;
};

// From lowest to highest precedence; is/as, unary and postfix are handled separately.
constexpr Level kLevels[] = {
    {{"implies"}, {BinaryOp::kImplies}, 1},
    {{"or", "xor"}, {BinaryOp::kOr, BinaryOp::kXor}, 2},
    {{"and"}, {BinaryOp::kAnd}, 1},
    {{"in", "contains"}, {BinaryOp::kIn, BinaryOp::kContains}, 2},
    {{"=", "~", "!=", "!~"},
     {BinaryOp::kEq, BinaryOp::kEquiv, BinaryOp::kNe, BinaryOp::kNotEquiv},
     4},
    {{"<=", "<", ">", ">="}, {BinaryOp::kLe, BinaryOp::kLt, BinaryOp::kGt, BinaryOp::kGe}, 4},
    {{"|"}, {BinaryOp::kUnion}, 1},
};
constexpr int kTypeLevel = 7;  // is / as
constexpr Level kAdditive = {
    {"+", "-", "&"}, {BinaryOp::kAdd, BinaryOp::kSub, BinaryOp::kConcat}, 3};
constexpr Level kMultiplicative = {
    {"*", "/", "div", "mod"},
    {BinaryOp::kMul, BinaryOp::kDiv, BinaryOp::kIntDiv, BinaryOp::kMod},
    4};

bool is_calendar_unit(std::string_view s) {
  static constexpr std::string_view kUnits[] = {
      "year", "years", "month",  "months",  "week",   "weeks",   "day",         "days",
      "hour", "hours", "minute", "minutes", "second", "seconds", "millisecond", "milliseconds"};
  for (std::string_view u : kUnits) {
    if (u == s) return true;
  }
  return false;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  Result<NodePtr> run() {
    auto e = expression(0);
    if (!e.is_ok()) return e;
    if (cur().kind != Tok::kEnd) return syntax_error(cur().pos, "unexpected '" + cur().text + "'");
    return e;
  }

 private:
  const Token& cur() const { return t_[i_]; }
  bool is_symbol(std::string_view s) const { return cur().kind == Tok::kSymbol && cur().text == s; }
  // Keyword operators are plain identifiers in the token stream (not delimited ones).
  bool is_op(std::string_view s) const {
    if (cur().kind == Tok::kSymbol) return cur().text == s;
    return cur().kind == Tok::kIdentifier && !cur().delimited && cur().text == s;
  }
  Status expect(std::string_view s) {
    if (!is_symbol(s)) {
      return syntax_error(cur().pos, "expected '" + std::string(s) + "'" +
                                         (cur().kind == Tok::kEnd ? " at end" : ""));
    }
    ++i_;
    return Status::ok();
  }

  Result<NodePtr> expression(int level) {
    if (++depth_ > kMaxDepth) return syntax_error(cur().pos, "expression nested too deeply");
    auto r = binary(level);
    --depth_;
    return r;
  }

  Result<NodePtr> binary(int level) {
    if (level == kTypeLevel) return type_expression();
    return left_associative(kLevels[level], [this, level] { return binary(level + 1); });
  }

  // `operand (op operand)*` for the operators of one precedence level, folded to the left.
  template <typename Operand>
  Result<NodePtr> left_associative(const Level& lv, Operand operand) {
    HEARTH_ASSIGN_OR_RETURN(NodePtr node, operand());
    while (true) {
      int match = -1;
      for (int k = 0; k < lv.count; ++k) {
        if (is_op(lv.ops[static_cast<std::size_t>(k)])) match = k;
      }
      if (match < 0) return node;
      auto n = std::make_unique<Node>();
      n->kind = NodeKind::kBinary;
      n->op = lv.codes[static_cast<std::size_t>(match)];
      n->pos = cur().pos;
      ++i_;
      HEARTH_ASSIGN_OR_RETURN(NodePtr right, operand());
      n->base = std::move(node);
      n->args.push_back(std::move(right));
      node = std::move(n);
    }
  }

  Result<NodePtr> type_expression() {
    HEARTH_ASSIGN_OR_RETURN(NodePtr node, arithmetic(kAdditive, true));
    while (is_op("is") || is_op("as")) {
      auto n = std::make_unique<Node>();
      n->kind = cur().text == "is" ? NodeKind::kIs : NodeKind::kAs;
      n->pos = cur().pos;
      ++i_;
      HEARTH_RETURN_IF_ERROR(type_specifier(n->type));
      if (!known_type(n->type)) return syntax_error(n->pos, "unknown type " + n->type.name);
      n->base = std::move(node);
      node = std::move(n);
    }
    return node;
  }

  Status type_specifier(TypeSpec& spec) {
    if (cur().kind != Tok::kIdentifier) return syntax_error(cur().pos, "expected a type name");
    spec.name = cur().text;
    ++i_;
    if (is_symbol(".") && t_[i_ + 1].kind == Tok::kIdentifier) {
      ++i_;
      spec.ns = std::move(spec.name);
      spec.name = cur().text;
      ++i_;
    }
    return Status::ok();
  }

  Result<NodePtr> arithmetic(const Level& lv, bool additive) {
    return left_associative(
        lv, [this, additive] { return additive ? arithmetic(kMultiplicative, false) : unary(); });
  }

  Result<NodePtr> unary() {
    if (is_symbol("+") || is_symbol("-")) {
      if (++depth_ > kMaxDepth) return syntax_error(cur().pos, "expression nested too deeply");
      auto n = std::make_unique<Node>();
      n->kind = NodeKind::kUnary;
      n->op = cur().text == "-" ? BinaryOp::kSub : BinaryOp::kAdd;
      n->pos = cur().pos;
      ++i_;
      auto operand = unary();
      --depth_;
      if (!operand.is_ok()) return operand;
      n->base = std::move(*operand);
      return NodePtr(std::move(n));
    }
    return postfix();
  }

  Result<NodePtr> postfix() {
    HEARTH_ASSIGN_OR_RETURN(NodePtr node, term());
    while (true) {
      if (is_symbol(".")) {
        ++i_;
        HEARTH_ASSIGN_OR_RETURN(NodePtr inv, invocation());
        inv->base = std::move(node);
        node = std::move(inv);
      } else if (is_symbol("[")) {
        auto n = std::make_unique<Node>();
        n->kind = NodeKind::kIndexer;
        n->pos = cur().pos;
        ++i_;
        HEARTH_ASSIGN_OR_RETURN(NodePtr index, expression(0));
        HEARTH_RETURN_IF_ERROR(expect("]"));
        n->base = std::move(node);
        n->args.push_back(std::move(index));
        node = std::move(n);
      } else {
        return node;
      }
    }
  }

  // name | name(args) | $this | $index | $total
  Result<NodePtr> invocation() {
    auto n = std::make_unique<Node>();
    n->pos = cur().pos;
    if (cur().kind == Tok::kSpecial) {
      n->kind = cur().text == "this"    ? NodeKind::kThis
                : cur().text == "index" ? NodeKind::kIndex
                                        : NodeKind::kTotal;
      ++i_;
      return NodePtr(std::move(n));
    }
    if (cur().kind != Tok::kIdentifier) return syntax_error(cur().pos, "expected a name");
    n->name = cur().text;
    bool delimited = cur().delimited;
    ++i_;
    if (!delimited && is_symbol("(")) {
      ++i_;
      n->kind = NodeKind::kFunction;
      if (!is_symbol(")")) {
        while (true) {
          HEARTH_ASSIGN_OR_RETURN(NodePtr arg, expression(0));
          n->args.push_back(std::move(arg));
          if (is_symbol(",")) {
            ++i_;
            continue;
          }
          break;
        }
      }
      HEARTH_RETURN_IF_ERROR(expect(")"));
      HEARTH_RETURN_IF_ERROR(bind_function(*n));
      return NodePtr(std::move(n));
    }
    n->kind = NodeKind::kMember;
    return NodePtr(std::move(n));
  }

  Status bind_function(Node& n) {
    const FunctionDef* fn = find_function(n.name);
    if (fn == nullptr) return syntax_error(n.pos, "unknown function '" + n.name + "'");
    if (n.args.size() < fn->min_args || n.args.size() > fn->max_args) {
      return syntax_error(n.pos, "wrong number of arguments for " + n.name + "()");
    }
    n.fn = fn;
    if (fn->mode == ArgMode::kType) {
      // The argument is a type specifier written as an expression: Name or Ns.Name.
      const Node* a = n.args[0].get();
      if (a->kind == NodeKind::kMember && a->base == nullptr) {
        n.type.name = a->name;
      } else if (a->kind == NodeKind::kMember && a->base != nullptr &&
                 a->base->kind == NodeKind::kMember && a->base->base == nullptr) {
        n.type.ns = a->base->name;
        n.type.name = a->name;
      } else {
        return syntax_error(a->pos, "expected a type name");
      }
      if (!known_type(n.type)) return syntax_error(a->pos, "unknown type " + n.type.name);
    }
    return Status::ok();
  }

  Result<NodePtr> literal(ItemKind kind, std::string text) {
    auto n = std::make_unique<Node>();
    n->kind = NodeKind::kLiteral;
    n->pos = cur().pos;
    n->literal.kind = kind;
    n->literal.text = std::move(text);
    ++i_;
    return NodePtr(std::move(n));
  }

  // A date/time literal is checked (a real calendar day, valid fields) and kept in its
  // normalised text ("2015T" -> "2015").
  Result<NodePtr> temporal_literal(ItemKind kind) {
    auto item = make_temporal_item(kind, cur().text);
    if (!item) return syntax_error(cur().pos, "invalid date/time literal @" + cur().text);
    return literal(kind, std::move(item->text));
  }

  Result<NodePtr> term() {
    const Token& t = cur();
    switch (t.kind) {
      case Tok::kEnd: return syntax_error(t.pos, "unexpected end of expression");
      case Tok::kString: return literal(ItemKind::kString, t.text);
      case Tok::kDate: return temporal_literal(ItemKind::kDate);
      case Tok::kDateTime: return temporal_literal(ItemKind::kDateTime);
      case Tok::kTime: return temporal_literal(ItemKind::kTime);
      case Tok::kInteger:
      case Tok::kLong:
      case Tok::kDecimal: return number();
      case Tok::kVariable: {
        auto n = std::make_unique<Node>();
        n->kind = NodeKind::kVariable;
        n->pos = t.pos;
        n->name = t.text;
        ++i_;
        return NodePtr(std::move(n));
      }
      case Tok::kSymbol:
        if (t.text == "(") {
          ++i_;
          auto inner = expression(0);
          if (!inner.is_ok()) return inner;
          HEARTH_RETURN_IF_ERROR(expect(")"));
          return inner;
        }
        if (t.text == "{") {
          auto n = std::make_unique<Node>();
          n->kind = NodeKind::kEmpty;
          n->pos = t.pos;
          ++i_;
          HEARTH_RETURN_IF_ERROR(expect("}"));
          return NodePtr(std::move(n));
        }
        return syntax_error(t.pos, "unexpected '" + t.text + "'");
      case Tok::kIdentifier:
        if (!t.delimited && (t.text == "true" || t.text == "false")) {
          auto n = std::make_unique<Node>();
          n->kind = NodeKind::kLiteral;
          n->pos = t.pos;
          n->literal.kind = ItemKind::kBoolean;
          n->literal.boolean = t.text == "true";
          ++i_;
          return NodePtr(std::move(n));
        }
        return invocation();
      case Tok::kSpecial: return invocation();
    }
    return syntax_error(t.pos, "unexpected token");
  }

  // An integer/decimal, or a quantity when a unit string or calendar word follows.
  Result<NodePtr> number() {
    const Token& t = cur();
    auto n = std::make_unique<Node>();
    n->kind = NodeKind::kLiteral;
    n->pos = t.pos;
    const Token& next = t_[i_ + 1];
    if (next.kind == Tok::kString ||
        (next.kind == Tok::kIdentifier && !next.delimited && is_calendar_unit(next.text))) {
      n->literal.kind = ItemKind::kQuantity;
      n->literal.text = t.text;
      n->literal.unit = next.text;
      i_ += 2;
      return NodePtr(std::move(n));
    }
    if (t.kind == Tok::kDecimal) {
      n->literal.kind = ItemKind::kDecimal;
      n->literal.text = t.text;
    } else {
      n->literal.kind = ItemKind::kInteger;
      std::int64_t v = 0;
      for (char c : t.text) {
        if (v > (INT64_MAX - 9) / 10) return syntax_error(t.pos, "integer literal too large");
        v = v * 10 + (c - '0');
      }
      n->literal.integer = v;
      n->literal.text = t.text;
    }
    ++i_;
    return NodePtr(std::move(n));
  }

  std::vector<Token> t_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<std::unique_ptr<Node>> parse(std::string_view text) {
  HEARTH_ASSIGN_OR_RETURN(auto tokens, tokenize(text));
  return Parser(std::move(tokens)).run();
}

}  // namespace hearth::fhir::fhirpath::detail
