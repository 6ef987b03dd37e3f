// The public entry points (fhirpath.h): compile = parse + depth check; evaluate = one Evaluator
// over the compiled tree.
#include "fhir/fhirpath/fhirpath.h"

#include <utility>
#include <vector>

#include "fhir/fhirpath/evaluator.h"
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

}  // namespace

Result<Expression> compile(std::string_view text) {
  auto root = detail::parse(text);
  if (!root.is_ok()) {
    Status s = std::move(root).take_status();
    for (Issue& i : s.issues()) i.expression = std::string(text);
    return s;
  }
  HEARTH_RETURN_IF_ERROR(check_height(**root));
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
