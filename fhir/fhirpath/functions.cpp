// Looks a function up across the group tables (functions.h); the merged index is built once.
#include "fhir/fhirpath/functions.h"

#include <algorithm>
#include <vector>

namespace hearth::fhir::fhirpath::detail {

const FunctionDef* find_function(std::string_view name) {
  static const std::vector<const FunctionDef*> index = [] {
    std::vector<const FunctionDef*> all;
    for (auto group : {existence_functions(), filtering_functions(), subsetting_functions(),
                       combining_functions(), conversion_functions(), string_functions(),
                       math_functions(), tree_functions(), utility_functions(), fhir_functions()}) {
      for (const FunctionDef& f : group) all.push_back(&f);
    }
    std::sort(all.begin(), all.end(),
              [](const FunctionDef* a, const FunctionDef* b) { return a->name < b->name; });
    return all;
  }();
  auto it = std::lower_bound(index.begin(), index.end(), name,
                             [](const FunctionDef* f, std::string_view n) { return f->name < n; });
  return it != index.end() && (*it)->name == name ? *it : nullptr;
}

}  // namespace hearth::fhir::fhirpath::detail
