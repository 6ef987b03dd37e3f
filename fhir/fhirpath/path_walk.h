// A cheaper evaluation of the FHIRPath expressions that are plain paths over a resource, as most
// R4 SearchParameter expressions are: `Observation.code`, `(Observation.value as Quantity)`,
// `Observation.subject.where(resolve() is Patient)`, `Patient.name.given | Patient.name.family`.
// The search index evaluates ~30 of them per resource; walking the path directly avoids the
// evaluator's collection per tree node, its copies of the focus, and a union's pairwise deep
// equality test.
//
// The subset (anything else: compile_path_walk() gives nullopt and the caller evaluates):
//   expression := branch ('|' branch)*
//   branch     := [TypeName '.'] step ('.' step)*     (TypeName tests the focus, as FHIRPath does)
//   step       := name | step 'as' Type | '(' step ')' | 'ofType(' Type ')' | 'as(' Type ')'
//              | 'where(resolve() is' Type ')' | 'extension(' 'url' ')'
//
// Equivalence with evaluate() (the tests compare both over every official example):
//   - one branch: the same items in the same order, the same errors (a choice element's JSON
//     name such as `valueQuantity`, as() on several items: the walk fails where the evaluation
//     fails);
//   - several branches: the branches' items one after the other, where evaluate() drops the
//     items equal (FHIRPath `=`) to an earlier one. A caller that removes duplicate results
//     itself (the search index drops duplicate rows) sees no difference.
//
// Thread-safe: a PathWalk is immutable once compiled.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "fhir/fhirpath/ast.h"
#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"

namespace hearth::fhir::fhirpath {

class PathWalk {
 public:
  enum class StepKind : std::uint8_t {
    kRootType,    // TypeName at the start: keeps the focus when it has that type, else navigates
    kChild,       // navigation to the children named `name`
    kAs,          // `as Type` / ofType(Type): keeps the items of exactly that type
    kAsFunction,  // as(Type): the same on one item; several fail (unless as_function_filters)
    kResolveIs,   // where(resolve() is Type): keeps the references whose target has that type
    kExtension    // extension('url'): the children named extension whose url is `name`
  };
  struct Step {
    StepKind kind;
    std::string name;       // kRootType, kChild; kExtension: the url
    detail::TypeSpec type;  // kAs, kAsFunction, kResolveIs; kRootType: ("", name)
    // kChild: the element the step's input nodes most likely have (item.h owner and element;
    // owner nullptr: unknown) and the child `name` names there (types.h find_named_child). A
    // node that has them is navigated without looking the name up; any other is looked up.
    const TypeDef* owner = nullptr;
    std::uint32_t element = 0;
    std::int32_t child = -1;
  };

  // Appends to `out` the result of the expression on `resource` (see the equivalence above),
  // with %resource = `resource` and %rootResource and resolve() as `options` say. Only those
  // options matter: the walk has no strict mode (options.strict is not looked at).
  // Errors: kInvalidArgument where evaluate() fails (a choice element's JSON name, a walk that
  // produces more items than the evaluator's budget).
  Status walk(const JsonValue& resource, const EvalOptions& options, Collection& out) const;
  // The same from `context`, a node of `resource` (as evaluate() with a context item).
  Status walk(const Item& context, const JsonValue& resource, const EvalOptions& options,
              Collection& out) const;

  // The same from `focus` with %resource = `resource`, both items already made (by
  // detail::resource_item for a resource): a caller walking many expressions over one resource
  // makes its item once.
  Status walk_from(const Item& focus, const Item& resource, const EvalOptions& options,
                   Collection& out) const;

  const std::vector<std::vector<Step>>& branches() const { return branches_; }

 private:
  friend std::optional<PathWalk> compile_path_walk(const Expression& expression,
                                                   const TypeDef* focus_type);
  std::vector<std::vector<Step>> branches_;
};

// The walk of `expression`, or nullopt when it is outside the subset above. `focus_type`, the
// type of the resources it will walk (nullptr: unknown), only makes the walk cheaper: the
// results are the same on any input.
std::optional<PathWalk> compile_path_walk(const Expression& expression,
                                          const TypeDef* focus_type = nullptr);

}  // namespace hearth::fhir::fhirpath
