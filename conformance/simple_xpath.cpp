// Child-step XPath -> FHIRPath.
#include "conformance/simple_xpath.h"

#include <algorithm>
#include <cctype>

namespace hearth::conformance {

std::optional<std::string> xpath_to_fhirpath(std::string_view xpath) {
  while (!xpath.empty() && xpath.front() == '/') xpath.remove_prefix(1);
  if (xpath.ends_with("/@value")) xpath.remove_suffix(7);
  if (xpath.empty()) return std::nullopt;
  std::string out;
  while (!xpath.empty()) {
    std::size_t slash = xpath.find('/');
    std::string_view step = xpath.substr(0, slash);
    xpath = slash == std::string_view::npos ? std::string_view() : xpath.substr(slash + 1);
    if (step.starts_with("fhir:")) step.remove_prefix(5);
    if (step.empty() || !std::all_of(step.begin(), step.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0;
        })) {
      return std::nullopt;
    }
    if (!out.empty()) out += '.';
    out += step;
    if (slash != std::string_view::npos && xpath.empty()) return std::nullopt;  // trailing '/'
  }
  return out;
}

}  // namespace hearth::conformance
