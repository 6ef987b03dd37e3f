// The plain-path subset of FHIRPath: compiling a tree into steps, walking them breadth first
// with the evaluator's own navigation and type tests (types.h), so both agree by construction.
#include "fhir/fhirpath/path_walk.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "fhir/fhirpath/evaluator.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/types.h"

namespace hearth::fhir::fhirpath {
namespace {

using detail::Node;
using detail::NodeKind;
using Step = PathWalk::Step;
using StepKind = PathWalk::StepKind;

bool starts_upper(std::string_view s) {
  return !s.empty() && s[0] >= 'A' && s[0] <= 'Z';
}

// `resolve() is Type` with resolve() applied to the focus.
bool is_resolve_is(const Node& n) {
  return n.kind == NodeKind::kIs && n.base != nullptr && n.base->kind == NodeKind::kFunction &&
         n.base->name == "resolve" && n.base->base == nullptr && n.base->args.empty();
}

// Appends the steps of a branch (a path, no union) to `steps`; false when outside the subset.
bool compile_branch(const Node& n, std::vector<Step>& steps) {
  switch (n.kind) {
    case NodeKind::kMember:
      if (n.base == nullptr) {
        if (starts_upper(n.name)) {
          steps.push_back({StepKind::kRootType, n.name, {"", n.name}});
        } else {
          steps.push_back({StepKind::kChild, n.name, {}});
        }
        return true;
      }
      if (!compile_branch(*n.base, steps)) return false;
      steps.push_back({StepKind::kChild, n.name, {}});
      return true;
    case NodeKind::kAs:
      if (n.base == nullptr || !compile_branch(*n.base, steps)) return false;
      steps.push_back({StepKind::kAs, {}, n.type});
      return true;
    case NodeKind::kFunction:
      if (n.base == nullptr) return false;
      if (n.name == "ofType" || n.name == "as") {
        if (!compile_branch(*n.base, steps)) return false;
        steps.push_back({n.name == "as" ? StepKind::kAsFunction : StepKind::kAs, {}, n.type});
        return true;
      }
      // extension('url') with a string literal, as R4's extension parameters are written
      // (the evaluator's fn_extension: the `extension` children whose url is that string).
      if (n.name == "extension" && n.args.size() == 1 && n.args[0] != nullptr &&
          n.args[0]->kind == NodeKind::kLiteral && n.args[0]->literal.kind == ItemKind::kString) {
        if (!compile_branch(*n.base, steps)) return false;
        steps.push_back({StepKind::kExtension, n.args[0]->literal.text, {}});
        return true;
      }
      if (n.name == "where" && n.args.size() == 1 && is_resolve_is(*n.args[0])) {
        if (!compile_branch(*n.base, steps)) return false;
        steps.push_back({StepKind::kResolveIs, {}, n.args[0]->type});
        return true;
      }
      return false;
    default: return false;
  }
}

// The top-level union operands of `n`, left to right.
bool compile_union(const Node& n, std::vector<std::vector<Step>>& branches) {
  if (n.kind == NodeKind::kBinary && n.op == detail::BinaryOp::kUnion) {
    return n.base != nullptr && n.args.size() == 1 && compile_union(*n.base, branches) &&
           compile_union(*n.args[0], branches);
  }
  std::vector<Step> steps;
  if (!compile_branch(n, steps)) return false;
  branches.push_back(std::move(steps));
  return true;
}

// Fills in the kChild steps' expected element, following the types the model gives each step's
// output from `focus` on; where that is not one type (a choice, a resource) it stops guessing.
void expect_elements(std::vector<Step>& steps, const TypeDef* focus) {
  const TypeDef* owner = focus;
  std::uint32_t element = 0;
  for (Step& s : steps) {
    if (owner == nullptr) return;
    switch (s.kind) {
      case StepKind::kRootType:
        if (!derives_from(owner, s.name)) return;
        break;
      case StepKind::kAs:
      case StepKind::kAsFunction:
        if (s.type.ns == "System") return;
        owner = find_type(s.type.name);
        element = 0;
        break;
      case StepKind::kResolveIs: break;
      case StepKind::kExtension: return;  // navigated by name, as the evaluator does
      case StepKind::kChild: {
        const std::int32_t c = detail::find_named_child(*owner, element, s.name);
        if (c < 0) return;
        s.owner = owner;
        s.element = element;
        s.child = c;
        const ElementDef& e = owner->elements[static_cast<std::uint32_t>(c)];
        if (e.is_backbone() || !e.content_reference.empty()) {
          element = resolve_content_reference(*owner, static_cast<std::uint32_t>(c));
          break;
        }
        if (e.is_choice() || e.types.size() != 1 || e.types[0].type_index < 0) return;
        owner = &all_types()[static_cast<std::size_t>(e.types[0].type_index)];
        element = 0;
        if (owner->kind == TypeKind::kResource) return;
        break;
      }
    }
  }
}

}  // namespace

std::optional<PathWalk> compile_path_walk(const Expression& expression, const TypeDef* focus_type) {
  PathWalk walk;
  if (!compile_union(expression.root(), walk.branches_)) return std::nullopt;
  if (focus_type != nullptr) {
    for (std::vector<Step>& branch : walk.branches_) expect_elements(branch, focus_type);
  }
  return walk;
}

Status PathWalk::walk(const JsonValue& resource, const EvalOptions& options,
                      Collection& out) const {
  const Item res = detail::resource_item(resource);
  return walk_from(res, res, options, out);
}

Status PathWalk::walk(const Item& context, const JsonValue& resource, const EvalOptions& options,
                      Collection& out) const {
  return walk_from(context, detail::resource_item(resource), options, out);
}

Status PathWalk::walk_from(const Item& focus, const Item& res, const EvalOptions& options,
                           Collection& out) const {
  Item root_store;
  const Item* root = &res;
  if (options.root_resource != nullptr) {
    root_store = detail::resource_item(*options.root_resource);
    root = &root_store;
  }
  std::size_t produced = 0;
  // The steps' collections are kept per thread: the index walks ~30 expressions per resource,
  // and two vectors allocated and freed per walk showed in its profile. A walk never runs
  // inside another (resolve() goes to options.resolver, not to a walk).
  thread_local Collection cur, next;
  for (const std::vector<Step>& branch : branches_) {
    cur.clear();
    cur.push_back(focus);
    for (const Step& s : branch) {
      next.clear();
      if (s.kind == StepKind::kAsFunction && cur.size() > 1 && !options.as_function_filters) {
        return Status(Code::kInvalidArgument, "as() needs a single item");
      }
      for (const Item& item : cur) {
        switch (s.kind) {
          case StepKind::kRootType:
            if (item.is_node() && item.type != nullptr && detail::is_type(item, s.type)) {
              next.push_back(item);
              break;
            }
            [[fallthrough]];
          case StepKind::kChild:
            if (s.owner != nullptr && item.is_node() && item.type != nullptr &&
                item.owner == s.owner && item.element == s.element) {
              detail::navigate_child(item, static_cast<std::uint32_t>(s.child), next);
              break;
            }
            if (detail::navigate(item, s.name, next) == detail::Navigation::kChoiceName) {
              return Status(Code::kInvalidArgument,
                            "'" + s.name + "' is not a FHIRPath name; use the choice element");
            }
            break;
          case StepKind::kAs:
          case StepKind::kAsFunction:
            if (detail::is_type(item, s.type, true)) next.push_back(item);
            break;
          case StepKind::kExtension: {
            const auto from = static_cast<std::ptrdiff_t>(next.size());
            (void)detail::navigate(item, "extension", next);
            next.erase(std::remove_if(
                           next.begin() + from, next.end(),
                           [&](const Item& e) { return !detail::has_extension_url(e, s.name); }),
                       next.end());
            break;
          }
          case StepKind::kResolveIs: {
            const JsonValue* target = detail::resolve_item(item, &res, root, options);
            if (target != nullptr && detail::is_type(detail::resource_item(*target), s.type)) {
              next.push_back(item);
            }
            break;
          }
        }
      }
      produced += next.size();
      if (produced > detail::kMaxProducedItems) {
        return Status(Code::kInvalidArgument, "evaluation produced too many items");
      }
      std::swap(cur, next);
      if (cur.empty()) break;
    }
    out.insert(out.end(), std::make_move_iterator(cur.begin()), std::make_move_iterator(cur.end()));
  }
  return Status::ok();
}

}  // namespace hearth::fhir::fhirpath
