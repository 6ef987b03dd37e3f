// Joining steps into a location; called only when an issue is reported, never per element.
#include "fhir/element_path.h"

namespace hearth::fhir {

std::string element_path(std::span<const PathStep> steps, std::string_view last) {
  std::string out;
  for (const PathStep& step : steps) {
    if (!out.empty()) out += '.';
    if (step.choice_type.empty() || step.choice_type.size() >= step.name.size()) {
      out += step.name;
    } else {
      out += step.name.substr(0, step.name.size() - step.choice_type.size());
      out += ".ofType(";
      out += step.choice_type;
      out += ')';
    }
    if (step.index >= 0) out += "[" + std::to_string(step.index) + "]";
  }
  if (!last.empty()) {
    if (!out.empty()) out += '.';
    out += last;
  }
  return out;
}

}  // namespace hearth::fhir
