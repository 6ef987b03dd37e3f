// Evaluation of each node kind; operators live in operators.cpp, functions in functions_*.cpp.
#include "fhir/fhirpath/evaluator.h"

#include <chrono>

#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/operators.h"
#include "fhir/fhirpath/types.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

// Guards evaluation recursion for trees the parser accepted (deep paths, long operator chains).
constexpr int kMaxEvalDepth = 2000;

std::int64_t system_now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool starts_upper(std::string_view s) {
  return !s.empty() && s[0] >= 'A' && s[0] <= 'Z';
}

}  // namespace

Item make_boolean(bool b) {
  Item i;
  i.kind = ItemKind::kBoolean;
  i.boolean = b;
  return i;
}
Item make_integer(std::int64_t v) {
  Item i;
  i.kind = ItemKind::kInteger;
  i.integer = v;
  return i;
}
Item make_string(std::string s) {
  Item i;
  i.kind = ItemKind::kString;
  i.text = std::move(s);
  return i;
}

Evaluator::Evaluator(const Expression& expression, const EvalOptions& options, const Item* resource,
                     const Item* root_resource)
    : expression_(expression),
      options_(options),
      resource_(resource),
      root_resource_(root_resource),
      now_micros_(options.now_micros ? *options.now_micros : system_now_micros()) {}

Status Evaluator::error(const Node& node, std::string_view message) const {
  return {Code::kInvalidArgument, "at " + std::to_string(node.pos) + ": " + std::string(message),
          expression_.text()};
}

Status Evaluator::eval(const Node& node, const Scope& scope, Collection& out) {
  // Node evaluation assumes it starts from an empty result (union and distinct look at what is
  // already there), so appending callers get a fresh collection.
  if (!out.empty()) {
    Collection fresh;
    HEARTH_RETURN_IF_ERROR(eval(node, scope, fresh));
    out.insert(out.end(), std::make_move_iterator(fresh.begin()),
               std::make_move_iterator(fresh.end()));
    return Status::ok();
  }
  return node.reuse ? eval_reused(node, scope, out) : eval_node(node, scope, out);
}

Status Evaluator::eval_reused(const Node& node, const Scope& scope, Collection& out) {
  for (const Reused& r : reused_) {
    // At another depth, or past the budget, it is evaluated again: the same error, if any.
    if (r.node == &node && r.depth == depth_ && produced_ + r.produced <= kMaxProducedItems) {
      out = r.items;
      produced_ += r.produced;
      return Status::ok();
    }
  }
  const std::size_t before = produced_;
  const int depth = depth_;
  HEARTH_RETURN_IF_ERROR(eval_node(node, scope, out));
  reused_.push_back(Reused{&node, depth, produced_ - before, out});
  return Status::ok();
}

Status Evaluator::eval_node(const Node& node, const Scope& scope, Collection& out) {
  if (++depth_ > kMaxEvalDepth) {
    --depth_;
    return error(node, "expression too deep to evaluate");
  }
  Status st;
  switch (node.kind) {
    case NodeKind::kLiteral: out.push_back(node.literal); break;
    case NodeKind::kEmpty: break;
    case NodeKind::kMember: st = eval_member(node, scope, out); break;
    case NodeKind::kFunction: st = eval_function(node, scope, out); break;
    case NodeKind::kThis:
      if (scope.this_item != nullptr) {
        out.push_back(*scope.this_item);
      } else if (scope.focus != nullptr) {
        out.insert(out.end(), scope.focus->begin(), scope.focus->end());
      }
      break;
    case NodeKind::kIndex:
      if (scope.index >= 0) out.push_back(make_integer(scope.index));
      break;
    case NodeKind::kTotal:
      if (scope.total != nullptr) out.insert(out.end(), scope.total->begin(), scope.total->end());
      break;
    case NodeKind::kVariable: st = eval_variable(node, scope, out); break;
    case NodeKind::kIndexer: st = eval_indexer(node, scope, out); break;
    case NodeKind::kUnary: st = eval_unary(node, scope, out); break;
    case NodeKind::kBinary: st = eval_binary(*this, node, scope, out); break;
    case NodeKind::kIs:
    case NodeKind::kAs: st = eval_type_op(node, scope, out); break;
  }
  --depth_;
  produced_ += out.size();
  if (st.is_ok() && produced_ > kMaxProducedItems) {
    return error(node, "evaluation produced too many items");
  }
  return st;
}

Status Evaluator::eval_member(const Node& node, const Scope& scope, Collection& out) {
  Collection base_items;
  const Collection* input = scope.focus;
  bool at_root = node.base == nullptr;
  if (!at_root) {
    HEARTH_RETURN_IF_ERROR(eval(*node.base, scope, base_items));
    input = &base_items;
    if (options_.strict) HEARTH_RETURN_IF_ERROR(check_static_member(node));
  }
  if (input == nullptr) return Status::ok();
  for (const Item& item : *input) {
    // At the start of a path a type name selects the focus when it has that type
    // ("Patient.name" on a Patient).
    if (at_root && starts_upper(node.name) && item.is_node() && item.type != nullptr &&
        is_type(item, TypeSpec{"", node.name})) {
      out.push_back(item);
      continue;
    }
    Navigation nav = navigate(item, node.name, out);
    if (nav == Navigation::kChoiceName) {
      return error(node, "'" + node.name + "' is not a FHIRPath name; use the choice element");
    }
    if (nav == Navigation::kUnknown && options_.strict) {
      return error(node,
                   "unknown element '" + node.name + "' on " + std::string(item_type_name(item)));
    }
  }
  return Status::ok();
}

// Strict mode: after `as T` / as(T) / ofType(T) the type is known even when no item is there.
Status Evaluator::check_static_member(const Node& node) const {
  const Node& base = *node.base;
  bool typed = base.kind == NodeKind::kAs || (base.kind == NodeKind::kFunction &&
                                              base.fn->mode == ArgMode::kType && base.name != "is");
  if (typed && base.type.ns != "System" && !type_has_element(base.type.name, node.name)) {
    return error(node, "unknown element '" + node.name + "' on " + base.type.name);
  }
  return Status::ok();
}

Status Evaluator::eval_function(const Node& node, const Scope& scope, Collection& out) {
  if (options_.check_ordered_functions && node.fn->ordered && node.base != nullptr &&
      node.base->kind == NodeKind::kFunction &&
      (node.base->name == "children" || node.base->name == "descendants")) {
    return error(node, node.name + "() needs an ordered input; " + node.base->name +
                           "() has no defined order");
  }
  Collection base_items;
  const Collection* input = scope.focus;
  if (node.base != nullptr) {
    HEARTH_RETURN_IF_ERROR(eval(*node.base, scope, base_items));
    input = &base_items;
  }
  static const Collection kEmpty;
  if (input == nullptr) input = &kEmpty;
  Call call{*this, node, *input, scope, {}, out};
  if (node.fn->mode == ArgMode::kValues) {
    call.args.resize(node.args.size());
    for (std::size_t i = 0; i < node.args.size(); ++i) {
      HEARTH_RETURN_IF_ERROR(eval(*node.args[i], scope, call.args[i]));
    }
  }
  return node.fn->impl(call);
}

Status Evaluator::eval_variable(const Node& node, const Scope& scope, Collection& out) {
  const std::string& name = node.name;
  auto it = options_.variables.find(name);
  if (it != options_.variables.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
    return Status::ok();
  }
  if (name == "resource" || name == "context") {
    if (resource_ != nullptr) out.push_back(*resource_);
    (void)scope;
  } else if (name == "rootResource") {
    if (root_resource_ != nullptr) out.push_back(*root_resource_);
  } else if (name == "ucum") {
    out.push_back(make_string("http://unitsofmeasure.org"));
  } else if (name == "sct") {
    out.push_back(make_string("http://snomed.info/sct"));
  } else if (name == "loinc") {
    out.push_back(make_string("http://loinc.org"));
  } else if (name.starts_with("vs-")) {
    out.push_back(make_string("http://hl7.org/fhir/ValueSet/" + name.substr(3)));
  } else if (name.starts_with("ext-")) {
    out.push_back(make_string("http://hl7.org/fhir/StructureDefinition/" + name.substr(4)));
  } else {
    return error(node, "unknown variable %" + name);
  }
  return Status::ok();
}

Status Evaluator::eval_indexer(const Node& node, const Scope& scope, Collection& out) {
  if (options_.check_ordered_functions && node.base->kind == NodeKind::kFunction &&
      (node.base->name == "children" || node.base->name == "descendants")) {
    return error(
        node, "an indexer needs an ordered input; " + node.base->name + "() has no defined order");
  }
  Collection base_items;
  HEARTH_RETURN_IF_ERROR(eval(*node.base, scope, base_items));
  Collection index;
  HEARTH_RETURN_IF_ERROR(eval(*node.args[0], scope, index));
  auto v = singleton_value(index, *this, node);
  if (!v.is_ok()) return std::move(v).take_status();
  if (!v->has_value()) return Status::ok();
  if ((*v)->kind != ItemKind::kInteger) return error(node, "an index must be an Integer");
  std::int64_t i = (*v)->integer;
  if (i >= 0 && static_cast<std::size_t>(i) < base_items.size()) {
    out.push_back(std::move(base_items[static_cast<std::size_t>(i)]));
  }
  return Status::ok();
}

Status Evaluator::eval_unary(const Node& node, const Scope& scope, Collection& out) {
  Collection operand;
  HEARTH_RETURN_IF_ERROR(eval(*node.base, scope, operand));
  if (operand.empty()) return Status::ok();
  if (operand.size() > 1) return error(node, "unary operator on a collection of several items");
  auto v = system_value(operand[0]);
  if (!v) return Status::ok();
  if (node.op == BinaryOp::kAdd) {
    if (v->kind != ItemKind::kInteger && v->kind != ItemKind::kDecimal &&
        v->kind != ItemKind::kQuantity) {
      return error(node, "unary + needs a number");
    }
    out.push_back(std::move(*v));
    return Status::ok();
  }
  auto n = negate(*v);
  if (!n) return error(node, "unary - needs a number or quantity");
  out.push_back(std::move(*n));
  return Status::ok();
}

Status Evaluator::eval_type_op(const Node& node, const Scope& scope, Collection& out) {
  Collection operand;
  HEARTH_RETURN_IF_ERROR(eval(*node.base, scope, operand));
  if (node.kind == NodeKind::kIs) {
    if (operand.empty()) return Status::ok();
    if (operand.size() > 1) return error(node, "'is' needs a single item");
    out.push_back(make_boolean(is_type(operand[0], node.type)));
    return Status::ok();
  }
  // The operator filters a collection of several items rather than failing: the R4
  // SearchParameter expressions rely on it ("Observation.component.value as Quantity"). The
  // function form as() keeps the specification's single-item rule.
  for (const Item& item : operand) {
    if (is_type(item, node.type, true)) out.push_back(item);
  }
  return Status::ok();
}

Status Call::eval_arg(std::size_t i, const Item& item, std::int64_t index, Collection& result,
                      const Collection* total) const {
  Collection focus{item};
  Scope s{&focus, &focus[0], index, total};
  return ev.eval(*node.args[i], s, result);
}

Status Call::eval_arg(std::size_t i, Collection& result) const {
  return ev.eval(*node.args[i], scope, result);
}

Result<std::optional<Item>> singleton_value(const Collection& c, const Evaluator& ev,
                                            const Node& node) {
  if (c.empty()) return std::optional<Item>();
  if (c.size() > 1)
    return ev.error(node, "expected a single item, got " + std::to_string(c.size()));
  return system_value(c[0]);
}

Result<std::optional<bool>> singleton_boolean(const Collection& c, const Evaluator& ev,
                                              const Node& node) {
  if (c.empty()) return std::optional<bool>();
  if (c.size() > 1) {
    return ev.error(node, "expected a single boolean, got " + std::to_string(c.size()) + " items");
  }
  auto v = system_value(c[0]);
  if (v && v->kind == ItemKind::kBoolean) return std::optional<bool>(v->boolean);
  return std::optional<bool>(true);
}

}  // namespace hearth::fhir::fhirpath::detail
