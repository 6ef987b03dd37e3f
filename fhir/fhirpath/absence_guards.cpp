// The abstract evaluation behind absence_guards(): each node is reduced to what is known of its
// result (empty, true, false or unknown), whether it holds at most one item, and whether its
// evaluation may fail. The rules follow evaluator.cpp, operators.cpp and the functions_*.cpp
// they name; a node kind or function without a rule here is unknown and may fail.
#include "fhir/fhirpath/absence_guards.h"

#include <algorithm>
#include <span>
#include <string_view>

#include "fhir/fhirpath/ast.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/model.h"

namespace hearth::fhir::fhirpath {
namespace {

using detail::ArgMode;
using detail::BinaryOp;
using detail::Node;
using detail::NodeKind;

enum class Known : std::uint8_t { kEmpty, kTrue, kFalse, kUnknown };

struct Abstract {
  Known known = Known::kUnknown;
  bool single = false;      // at most one item
  bool may_fail = false;    // the evaluation may return an error
  bool the_string = false;  // exactly the prefix guard's candidate: one string, not its prefix
  bool nonempty = false;    // exactly the presence guard's candidate: at least one item
};

constexpr Abstract kEmpty{Known::kEmpty, true, false};
constexpr Abstract kFailing{Known::kUnknown, false, true};

Abstract boolean(bool b, bool may_fail) {
  return {b ? Known::kTrue : Known::kFalse, true, may_fail};
}
Abstract unknown(bool single, bool may_fail) {
  return {Known::kUnknown, single, may_fail};
}
Abstract empty(bool may_fail) {
  return {Known::kEmpty, true, may_fail};
}

// Navigating by a JSON choice name ("valueQuantity") is an evaluation error (types.cpp
// navigate): a name that extends the prefix of a choice element of any type may be one.
bool may_be_choice_name(std::string_view name) {
  static const std::vector<std::string_view> prefixes = [] {
    std::vector<std::string_view> out;
    for (const TypeDef& t : all_types()) {
      for (const ElementDef& e : t.elements) {
        if (!e.is_choice()) continue;
        std::string_view p = e.name.substr(0, e.name.size() - 3);  // "value[x]" -> "value"
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
      }
    }
    return out;
  }();
  return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) {
    return name.size() > p.size() && name.starts_with(p);
  });
}

bool is_known_variable(std::string_view name) {
  return name == "resource" || name == "context" || name == "rootResource" || name == "ucum" ||
         name == "sct" || name == "loinc" || name.starts_with("vs-") || name.starts_with("ext-");
}

// String functions (functions_string.cpp) whose empty input gives an empty result before any
// argument is looked at.
bool is_string_function(std::string_view name) {
  constexpr std::string_view kNames[] = {"startsWith", "endsWith",  "contains",      "matches",
                                         "length",     "upper",     "lower",         "replace",
                                         "indexOf",    "substring", "replaceMatches"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// Functions returning (a subset of) their input, or what is reached from it, so nothing for
// an empty input and no failure (ordered functions: no check_ordered_functions for invariants).
bool is_projection(std::string_view name) {
  constexpr std::string_view kNames[] = {"first",    "last",        "tail",   "distinct",
                                         "children", "descendants", "ofType", "as"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// Is `n`, the base of a member, the focus at the top of the expression: none, $this, or one of
// `focus_types`, names a resource of those types is filtered through unchanged ("Observation"
// in "Observation.code", "Resource" in "Resource.meta.tag").
bool is_focus(const Node* n, std::span<const std::string_view> focus_types) {
  if (n == nullptr || n->kind == NodeKind::kThis) return true;
  return n->kind == NodeKind::kMember && n->base == nullptr &&
         std::find(focus_types.begin(), focus_types.end(), n->name) != focus_types.end();
}

// A string function's arguments all literals of the kinds it takes (functions_string.cpp), so
// that on one string input it returns one value and cannot fail.
bool literal_string_call(const Node& n) {
  std::string_view f = n.name;
  const auto all_of_kind = [&](ItemKind kind) {
    return std::all_of(n.args.begin(), n.args.end(), [&](const auto& a) {
      return a->kind == NodeKind::kLiteral && a->literal.kind == kind;
    });
  };
  if (f == "startsWith" || f == "endsWith" || f == "contains") {
    return n.args.size() == 1 && all_of_kind(ItemKind::kString);
  }
  if (f == "substring") {
    return !n.args.empty() && n.args.size() <= 2 && all_of_kind(ItemKind::kInteger);
  }
  if (f == "length" || f == "upper" || f == "lower") return n.args.empty();
  return false;
}

class Analysis {
 public:
  // Every name in `absent` is navigated to nothing from the focus at the top; `string`, when
  // given, to one string that does not start with its prefix.
  // `present`, when given, to at least one item.
  Analysis(std::span<const std::string> absent, std::span<const std::string_view> focus_types,
           const PrefixGuard* string = nullptr, const std::string* present = nullptr)
      : absent_(absent), focus_types_(focus_types), string_(string), present_(present) {}

  // `top`: the focus is the expression's $this (not an item of a where()/select()/...).
  Abstract eval(const Node& n, bool top) {
    switch (n.kind) {
      case NodeKind::kLiteral:
        if (n.literal.kind == ItemKind::kBoolean) return boolean(n.literal.boolean, false);
        return unknown(true, false);
      case NodeKind::kEmpty: return kEmpty;
      case NodeKind::kThis:
      case NodeKind::kIndex: return unknown(true, false);
      case NodeKind::kTotal: return unknown(false, false);
      case NodeKind::kVariable: return unknown(true, !is_known_variable(n.name));
      case NodeKind::kMember: return member(n, top);
      case NodeKind::kFunction: return function(n, top);
      case NodeKind::kBinary: return binary(n, top);
      case NodeKind::kIs:
      case NodeKind::kAs: {
        Abstract in = eval(*n.base, top);
        if (in.known == Known::kEmpty) return empty(in.may_fail);
        if (n.kind == NodeKind::kAs) return unknown(false, in.may_fail);
        return unknown(true, in.may_fail || !in.single);
      }
      case NodeKind::kIndexer: {
        Abstract in = eval(*n.base, top);
        Abstract index = eval(*n.args[0], top);
        bool fails = in.may_fail || index.may_fail || n.args[0]->kind != NodeKind::kLiteral ||
                     n.args[0]->literal.kind != ItemKind::kInteger;
        return in.known == Known::kEmpty ? empty(fails) : unknown(true, fails);
      }
      case NodeKind::kUnary: {
        Abstract in = eval(*n.base, top);
        return in.known == Known::kEmpty ? empty(in.may_fail) : kFailing;
      }
    }
    return kFailing;
  }

 private:
  Abstract member(const Node& n, bool top) {
    bool from_focus = is_focus(n.base.get(), focus_types_);
    if (from_focus && top && std::find(absent_.begin(), absent_.end(), n.name) != absent_.end()) {
      return kEmpty;
    }
    if (from_focus && top && string_ != nullptr && n.name == string_->name) {
      return {Known::kUnknown, true, false, true};
    }
    bool fails = may_be_choice_name(n.name);
    if (from_focus && top && present_ != nullptr && n.name == *present_) {
      return {Known::kUnknown, false, fails, false, true};
    }
    if (n.base == nullptr) return unknown(false, fails);
    Abstract in = eval(*n.base, top);
    if (in.known == Known::kEmpty) return empty(in.may_fail);
    return unknown(false, in.may_fail || fails);
  }

  Abstract function(const Node& n, bool top) {
    Abstract in = n.base != nullptr ? eval(*n.base, top) : unknown(true, false);
    bool is_empty = in.known == Known::kEmpty;
    // kValues arguments are evaluated against the caller's focus before the call, whatever the
    // input.
    bool args_fail = false;
    bool args_literal = true;
    if (n.fn->mode == ArgMode::kValues) {
      for (const auto& a : n.args) {
        Abstract v = eval(*a, top);
        args_fail = args_fail || v.may_fail;
        args_literal = args_literal && a->kind == NodeKind::kLiteral;
      }
    }
    // kLambda arguments are evaluated per input item, so never for an empty input.
    auto lambda_fails = [&](std::size_t i, bool boolean_result) {
      Abstract v = eval(*n.args[i], false);
      return v.may_fail || (boolean_result && !v.single);
    };
    bool fails = in.may_fail || args_fail;
    std::string_view f = n.name;
    if (f == "empty") {
      if (in.nonempty) return boolean(false, fails);
      return is_empty ? boolean(true, fails) : unknown(true, fails);
    }
    if (f == "exists" || f == "all") {
      if (is_empty) return boolean(f == "all", fails);
      if (f == "exists" && n.args.empty() && in.nonempty) return boolean(true, fails);
      bool criteria_fail = !n.args.empty() && lambda_fails(0, true);
      return unknown(true, fails || criteria_fail);
    }
    if (f == "not") {
      if (in.known == Known::kTrue || in.known == Known::kFalse) {
        return boolean(in.known == Known::kFalse, fails);
      }
      return is_empty ? empty(fails) : unknown(true, fails || !in.single);
    }
    if (f == "count") return unknown(true, fails);
    if (f == "hasValue") return is_empty ? boolean(false, fails) : unknown(true, fails);
    if (f == "where" || f == "select") {
      if (is_empty) return empty(fails);
      return unknown(false, fails || lambda_fails(0, f == "where"));
    }
    if (f == "trace") {
      // The label is evaluated against the caller's focus; the projection per item.
      Abstract label = eval(*n.args[0], top);
      fails = fails || label.may_fail || !label.single;
      if (is_empty) return empty(fails);
      if (n.args.size() > 1) fails = fails || lambda_fails(1, false);
      return unknown(in.single, fails);
    }
    if (is_projection(f)) {
      if (is_empty) return empty(fails);
      return unknown(in.single || f == "first" || f == "last", fails);
    }
    if (in.the_string && literal_string_call(n)) {
      if (f == "startsWith" && n.args[0]->literal.text == string_->prefix) {
        return boolean(false, fails);
      }
      return unknown(true, fails);
    }
    if (is_string_function(f)) {
      // Arguments are type-checked once the input is not empty; literals keep their type.
      if (is_empty) return empty(fails || !args_literal);
      return kFailing;
    }
    return kFailing;
  }

  Abstract binary(const Node& n, bool top) {
    Abstract l = eval(*n.base, top);
    Abstract r = eval(*n.args[0], top);
    bool fails = l.may_fail || r.may_fail;
    bool l_empty = l.known == Known::kEmpty, r_empty = r.known == Known::kEmpty;
    switch (n.op) {
      case BinaryOp::kAnd:
      case BinaryOp::kOr:
      case BinaryOp::kXor:
      case BinaryOp::kImplies:
        return logic(n.op, l.known, r.known, fails || !l.single || !r.single);
      case BinaryOp::kUnion: return l_empty && r_empty ? empty(fails) : unknown(false, fails);
      case BinaryOp::kEq:
      case BinaryOp::kNe: return l_empty || r_empty ? empty(fails) : unknown(true, fails);
      case BinaryOp::kEquiv:
      case BinaryOp::kNotEquiv: return unknown(true, fails);
      case BinaryOp::kIn: return l_empty ? empty(fails) : unknown(true, fails || !l.single);
      case BinaryOp::kContains: return r_empty ? empty(fails) : unknown(true, fails || !r.single);
      case BinaryOp::kConcat: return kFailing;
      default:  // comparisons and arithmetic: empty on an empty side, before any check
        return l_empty || r_empty ? empty(fails) : kFailing;
    }
  }

  // Three-valued logic (operators.cpp eval_logic) over what is known of each side.
  static Abstract logic(BinaryOp op, Known a, Known b, bool fails) {
    auto is = [](Known k, Known v) { return k == v; };
    switch (op) {
      case BinaryOp::kAnd:
        if (is(a, Known::kFalse) || is(b, Known::kFalse)) return boolean(false, fails);
        if (is(a, Known::kTrue) && is(b, Known::kTrue)) return boolean(true, fails);
        if (a != Known::kUnknown && b != Known::kUnknown) return empty(fails);
        return unknown(true, fails);
      case BinaryOp::kOr:
        if (is(a, Known::kTrue) || is(b, Known::kTrue)) return boolean(true, fails);
        if (is(a, Known::kFalse) && is(b, Known::kFalse)) return boolean(false, fails);
        if (a != Known::kUnknown && b != Known::kUnknown) return empty(fails);
        return unknown(true, fails);
      case BinaryOp::kXor:
        if (is(a, Known::kEmpty) || is(b, Known::kEmpty)) return empty(fails);
        if (a != Known::kUnknown && b != Known::kUnknown) return boolean(a != b, fails);
        return unknown(true, fails);
      case BinaryOp::kImplies:
        if (is(a, Known::kFalse) || is(b, Known::kTrue)) return boolean(true, fails);
        if (is(a, Known::kTrue) || is(a, Known::kEmpty)) {
          if (is(b, Known::kUnknown)) return unknown(true, fails);
          if (is(a, Known::kTrue) && is(b, Known::kFalse)) return boolean(false, fails);
          return empty(fails);
        }
        return unknown(true, fails);
      default: return kFailing;
    }
  }

  std::span<const std::string> absent_;
  std::span<const std::string_view> focus_types_;
  const PrefixGuard* string_;
  const std::string* present_;
};

// The names navigated from the focus at the top of the expression (not inside a lambda).
void collect_candidates(const Node& n, bool top, std::span<const std::string_view> focus_types,
                        std::vector<std::string>& out) {
  if (n.kind == NodeKind::kMember && top && is_focus(n.base.get(), focus_types) &&
      !n.name.empty() && n.name[0] >= 'a' && n.name[0] <= 'z' &&
      std::find(out.begin(), out.end(), n.name) == out.end()) {
    out.push_back(n.name);
  }
  if (n.base != nullptr) collect_candidates(*n.base, top, focus_types, out);
  bool lambda = n.kind == NodeKind::kFunction && n.fn->mode == ArgMode::kLambda;
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    // trace()'s label is evaluated against the caller's focus.
    bool arg_top = top && (!lambda || (n.name == "trace" && i == 0));
    collect_candidates(*n.args[i], arg_top, focus_types, out);
  }
}

// The children tested with startsWith('<literal>') from the focus at the top.
void collect_prefixes(const Node& n, bool top, std::vector<PrefixGuard>& out) {
  if (n.kind == NodeKind::kFunction && top && n.name == "startsWith" && n.args.size() == 1 &&
      n.args[0]->kind == NodeKind::kLiteral && n.args[0]->literal.kind == ItemKind::kString &&
      n.base != nullptr && n.base->kind == NodeKind::kMember && is_focus(n.base->base.get(), {}) &&
      !n.base->name.empty() && n.base->name[0] >= 'a' && n.base->name[0] <= 'z') {
    PrefixGuard g{n.base->name, n.args[0]->literal.text};
    if (std::none_of(out.begin(), out.end(), [&](const PrefixGuard& o) {
          return o.name == g.name && o.prefix == g.prefix;
        })) {
      out.push_back(std::move(g));
    }
  }
  if (n.base != nullptr) collect_prefixes(*n.base, top, out);
  bool lambda = n.kind == NodeKind::kFunction && n.fn->mode == ArgMode::kLambda;
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    collect_prefixes(*n.args[i], top && (!lambda || (n.name == "trace" && i == 0)), out);
  }
}

}  // namespace

std::vector<PrefixGuard> prefix_guards(const Expression& expression) {
  std::vector<PrefixGuard> candidates;
  collect_prefixes(expression.root(), true, candidates);
  std::vector<PrefixGuard> guards;
  for (PrefixGuard& candidate : candidates) {
    Abstract result = Analysis({}, {}, &candidate).eval(expression.root(), true);
    bool holds = result.known == Known::kTrue || result.known == Known::kEmpty;
    if (holds && !result.may_fail) guards.push_back(std::move(candidate));
  }
  return guards;
}

std::vector<std::string> absence_guards(const Expression& expression) {
  std::vector<std::string> candidates;
  collect_candidates(expression.root(), true, {}, candidates);
  std::vector<std::string> guards;
  for (std::string& name : candidates) {
    Abstract result = Analysis(std::span(&name, 1), {}).eval(expression.root(), true);
    bool holds = result.known == Known::kTrue || result.known == Known::kEmpty;
    if (holds && !result.may_fail) guards.push_back(std::move(name));
  }
  return guards;
}

std::vector<std::string> presence_guards(const Expression& expression) {
  std::vector<std::string> candidates;
  collect_candidates(expression.root(), true, {}, candidates);
  std::vector<std::string> guards;
  for (std::string& name : candidates) {
    Abstract result = Analysis({}, {}, nullptr, &name).eval(expression.root(), true);
    bool holds = result.known == Known::kTrue || result.known == Known::kEmpty;
    if (holds && !result.may_fail) guards.push_back(std::move(name));
  }
  return guards;
}

std::vector<std::string> emptiness_guards(const Expression& expression, std::string_view type) {
  std::vector<std::string_view> focus_types;
  for (const TypeDef* t = find_type(type); t != nullptr && focus_types.size() < 8;
       t = t->base.empty() ? nullptr : find_type(t->base)) {
    focus_types.push_back(t->name);
  }
  std::vector<std::string> names;
  collect_candidates(expression.root(), true, focus_types, names);
  if (names.empty()) return names;
  // An error indexes nothing, as the empty collection does: only the result matters here.
  if (Analysis(names, focus_types).eval(expression.root(), true).known != Known::kEmpty) {
    names.clear();
  }
  return names;
}

}  // namespace hearth::fhir::fhirpath
