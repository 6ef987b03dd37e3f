// Membership by binary search: the code text to its interned index, then that index among the
// value set's sorted (code, system) pairs.
#include "fhir/value_set.h"

#include <algorithm>
#include <type_traits>

#include "fhir/model_tables.h"

namespace hearth::fhir {
namespace {

// The index of `text` in a sorted, unique table, or -1.
std::int64_t index_of(std::span<const std::string_view> table, std::string_view text) {
  auto it = std::lower_bound(table.begin(), table.end(), text);
  return it != table.end() && *it == text ? it - table.begin() : -1;
}

bool unknown_system(const ValueSetDef& vs, std::int64_t system) {
  for (std::uint16_t s : vs.unknown_systems) {
    if (s == system || detail::kCodeSystems[s] == "*") return true;
  }
  return false;
}

}  // namespace

std::span<const ValueSetDef> value_sets() {
  return detail::kValueSets;
}

const ValueSetDef* find_value_set(std::string_view url) {
  url = url.substr(0, url.find('|'));
  auto it = std::lower_bound(detail::kValueSets.begin(), detail::kValueSets.end(), url,
                             [](const ValueSetDef& v, std::string_view u) { return v.url < u; });
  return it != detail::kValueSets.end() && it->url == url ? &*it : nullptr;
}

std::string_view code_text(const ValueSetCode& code) {
  return detail::kCodeTexts[code.code];
}

std::string_view code_system(const ValueSetCode& code) {
  return detail::kCodeSystems[code.system];
}

Membership check_code(const ValueSetDef& vs, std::string_view system, std::string_view code) {
  std::int64_t system_index = system.empty() ? -1 : index_of(detail::kCodeSystems, system);
  std::int64_t code_index = index_of(detail::kCodeTexts, code);
  if (code_index >= 0) {
    auto [first, last] =
        std::equal_range(vs.codes.begin(), vs.codes.end(), static_cast<std::uint32_t>(code_index),
                         [](const auto& a, const auto& b) {
                           if constexpr (std::is_same_v<std::decay_t<decltype(a)>, ValueSetCode>) {
                             return a.code < b;
                           } else {
                             return a < b.code;
                           }
                         });
    for (auto it = first; it != last; ++it) {
      if (system.empty() || it->system == system_index) return Membership::kMember;
    }
  }
  if (system.empty()) {
    return vs.unknown_systems.empty() ? Membership::kNotMember : Membership::kUnknown;
  }
  return unknown_system(vs, system_index) ? Membership::kUnknown : Membership::kNotMember;
}

bool uses_system(const ValueSetDef& vs, std::string_view system) {
  std::int64_t system_index = index_of(detail::kCodeSystems, system);
  if (unknown_system(vs, system_index)) return true;
  if (system_index < 0) return false;
  return std::any_of(vs.codes.begin(), vs.codes.end(),
                     [&](const ValueSetCode& c) { return c.system == system_index; });
}

}  // namespace hearth::fhir
