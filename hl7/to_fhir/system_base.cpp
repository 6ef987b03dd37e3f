// A facility is matched as sent (case-sensitive, as HD values are); a namespace is appended
// after a '/', already percent-encoded where the uri conversion did (primitive_conversion.h).
#include "hl7/to_fhir/system_base.h"

#include <algorithm>
#include <cctype>

#include "hl7/to_fhir/v2_value.h"

namespace hearth::hl7::to_fhir {
namespace {

constexpr std::size_t kMaxFacility = 227;
constexpr std::size_t kMaxUri = 1024;

bool is_absolute_uri(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
  if (std::isalpha(static_cast<unsigned char>(text[0])) == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = text[i];
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

Result<SystemBase> parse_system_base(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    return Status(Code::kInvalidArgument, "expected FACILITY=URI");
  }
  SystemBase out{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  if (out.facility.empty() || out.facility.size() > kMaxFacility) {
    return Status(Code::kInvalidArgument, "the facility must have 1 to 227 characters");
  }
  while (!out.uri.empty() && out.uri.back() == '/') out.uri.pop_back();
  if (out.uri.size() > kMaxUri || !is_absolute_uri(out.uri)) {
    return Status(Code::kInvalidArgument,
                  "'" + std::string(text.substr(eq + 1)) + "' is not an absolute URI");
  }
  return out;
}

std::string_view system_base_for(const Message& message, std::span<const SystemBase> bases) {
  if (bases.empty()) return {};
  const std::vector<V2Value> facility = field_repetitions(message, 0, 4);
  std::string names[2];
  if (!facility.empty()) {
    names[0] = facility[0].part(1).text();
    names[1] = facility[0].part(2).text();
  }
  for (const std::string& name : names) {
    if (name.empty()) continue;
    for (const SystemBase& base : bases) {
      if (base.facility == name) return base.uri;
    }
  }
  for (const SystemBase& base : bases) {
    if (base.facility == "*") return base.uri;
  }
  return {};
}

std::string system_under_base(std::string_view base, std::string_view system) {
  if (base.empty() || system.find(':') != std::string_view::npos) return std::string(system);
  if (system.empty()) return std::string(base);
  return std::string(base) + "/" + std::string(system);
}

}  // namespace hearth::hl7::to_fhir
