// Tree navigation (http://hl7.org/fhirpath/N1/#tree-navigation): children(), descendants().
#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

Status fn_children(Call& c) {
  for (const Item& i : c.input) all_children(i, c.out);
  return Status::ok();
}

// Breadth-first over the document; nodes are a tree, so no cycle check is needed.
Status fn_descendants(Call& c) {
  Collection frontier;
  for (const Item& i : c.input) all_children(i, frontier);
  while (!frontier.empty()) {
    Collection next;
    for (const Item& i : frontier) all_children(i, next);
    c.out.insert(c.out.end(), std::make_move_iterator(frontier.begin()),
                 std::make_move_iterator(frontier.end()));
    frontier = std::move(next);
  }
  return Status::ok();
}

constexpr FunctionDef kFunctions[] = {
    {"children", 0, 0, ArgMode::kValues, fn_children},
    {"descendants", 0, 0, ArgMode::kValues, fn_descendants},
};

}  // namespace

std::span<const FunctionDef> tree_functions() {
  return kFunctions;
}

}  // namespace hearth::fhir::fhirpath::detail
