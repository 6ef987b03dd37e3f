// The public entry points (fhirpath.h): compile = parse + depth check; evaluate = one Evaluator
// over the compiled tree.
#include "fhir/fhirpath/fhirpath.h"

#include <utility>
#include <vector>

#include "fhir/fhirpath/evaluator.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/lexer.h"
#include "fhir/fhirpath/parser.h"
#include "fhir/fhirpath/types.h"
#include "fhir/fhirpath/values.h"

namespace hearth::fhir::fhirpath {
namespace {

// Long left-leaning chains (a.b.c..., 1+1+1...) are not nested syntactically but make deep
// trees; the evaluator recurses over them, so their height is bounded too.
constexpr std::size_t kMaxTreeHeight = 1000;

Status check_height(const detail::Node& root) {
  std::vector<std::pair<const detail::Node*, std::size_t>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [n, h] = stack.back();
    stack.pop_back();
    if (h > kMaxTreeHeight) return detail::syntax_error(n->pos, "expression too long a chain");
    if (n->base) stack.emplace_back(n->base.get(), h + 1);
    for (const auto& a : n->args) stack.emplace_back(a.get(), h + 1);
  }
  return Status::ok();
}

bool is_trivial(const detail::Node& n) {
  using detail::NodeKind;
  return n.kind == NodeKind::kLiteral || n.kind == NodeKind::kEmpty ||
         n.kind == NodeKind::kVariable;
}

// Whether `n` reads neither the focus nor $this/$index/$total. Marks Node::reuse on such
// subtrees (not trivial ones) that may be evaluated more than once in one evaluation: an
// argument of a function that evaluates its arguments per input item (ArgMode::kLambda), and the
// top of such a subtree inside any function's argument (`in_arg`: some enclosing call may
// iterate). trace() is never reused: its sink sees each call. Recursion depth is the tree's
// height, bounded by check_height.
bool mark_reusable(detail::Node& n, bool in_arg) {
  using detail::NodeKind;
  const bool base_free = n.base == nullptr || mark_reusable(*n.base, in_arg);
  const bool is_call = n.kind == NodeKind::kFunction;
  std::vector<bool> arg_free(n.args.size());
  bool args_free = true;
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    arg_free[i] = mark_reusable(*n.args[i], in_arg || is_call);
    args_free = args_free && arg_free[i];
  }
  bool free = false;
  switch (n.kind) {
    case NodeKind::kLiteral:
    case NodeKind::kEmpty:
    case NodeKind::kVariable: free = true; break;
    case NodeKind::kThis:
    case NodeKind::kIndex:
    case NodeKind::kTotal: free = false; break;
    // Without a base a name navigates from the focus, and a function takes the focus as input.
    case NodeKind::kMember: free = n.base != nullptr && base_free; break;
    case NodeKind::kFunction:
      free = n.base != nullptr && base_free && args_free && n.name != "trace";
      break;
    case NodeKind::kIndexer:
    case NodeKind::kUnary:
    case NodeKind::kBinary:
    case NodeKind::kIs:
    case NodeKind::kAs: free = base_free && args_free; break;
  }
  if (!free && in_arg && n.base && base_free && !is_trivial(*n.base)) n.base->reuse = true;
  const bool per_item = is_call && n.fn != nullptr && n.fn->mode == detail::ArgMode::kLambda;
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    if (!arg_free[i] || is_trivial(*n.args[i])) continue;
    if (per_item || (!free && in_arg)) n.args[i]->reuse = true;
  }
  return free;
}

}  // namespace

Result<Expression> compile(std::string_view text) {
  auto root = detail::parse(text);
  if (!root.is_ok()) {
    Status s = std::move(root).take_status();
    for (Issue& i : s.issues()) i.expression = std::string(text);
    return s;
  }
  HEARTH_RETURN_IF_ERROR(check_height(**root));
  mark_reusable(**root, false);
  return Expression(std::string(text), std::shared_ptr<const detail::Node>(std::move(*root)));
}

Result<Collection> evaluate(const Expression& expression, const JsonValue& resource,
                            const EvalOptions& options) {
  Item res = detail::resource_item(resource);
  Item root =
      options.root_resource != nullptr ? detail::resource_item(*options.root_resource) : res;
  detail::Evaluator ev(expression, options, &res, &root);
  Collection focus{res};
  detail::Scope scope{&focus, &focus[0], -1, nullptr};
  Collection out;
  HEARTH_RETURN_IF_ERROR(ev.eval(expression.root(), scope, out));
  return out;
}

Result<Collection> evaluate(const Expression& expression, const Item& context,
                            const JsonValue& resource, const EvalOptions& options) {
  Item res = detail::resource_item(resource);
  Item root =
      options.root_resource != nullptr ? detail::resource_item(*options.root_resource) : res;
  detail::Evaluator ev(expression, options, &res, &root);
  Collection focus{context};
  detail::Scope scope{&focus, &focus[0], -1, nullptr};
  Collection out;
  HEARTH_RETURN_IF_ERROR(ev.eval(expression.root(), scope, out));
  return out;
}

Result<Collection> evaluate(const Expression& expression, const EvalOptions& options) {
  detail::Evaluator ev(expression, options, nullptr, nullptr);
  Collection focus;
  detail::Scope scope{&focus, nullptr, -1, nullptr};
  Collection out;
  HEARTH_RETURN_IF_ERROR(ev.eval(expression.root(), scope, out));
  return out;
}

std::string_view type_namespace(const Item& item) {
  return detail::item_namespace(item);
}
std::string_view type_name(const Item& item) {
  return detail::item_type_name(item);
}

std::optional<std::string> to_string(const Item& item) {
  auto v = detail::system_value(item);
  if (!v) return std::nullopt;
  switch (v->kind) {
    case ItemKind::kBoolean: return std::string(v->boolean ? "true" : "false");
    case ItemKind::kInteger: return std::to_string(v->integer);
    case ItemKind::kQuantity: return detail::quantity_text(*v);
    case ItemKind::kNode: return std::nullopt;
    default: return v->text;
  }
}

std::optional<bool> to_boolean(const Item& item) {
  auto v = detail::system_value(item);
  if (v && v->kind == ItemKind::kBoolean) return v->boolean;
  return std::nullopt;
}

Result<std::optional<bool>> as_boolean(const Collection& collection) {
  if (collection.empty()) return std::optional<bool>();
  if (collection.size() > 1) {
    return Status(Code::kInvalidArgument,
                  "expected a single boolean, got " + std::to_string(collection.size()) + " items");
  }
  auto b = to_boolean(collection[0]);
  return std::optional<bool>(b.value_or(true));
}

}  // namespace hearth::fhir::fhirpath
