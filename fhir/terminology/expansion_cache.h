// The expansions of built-in value sets, made once per process on first use and kept, for
// checks that ask many times (the extensible and preferred bindings of $validate,
// fhir/binding_check.h). The built-in tables never change, so nothing is invalidated; the cache
// holds at most one entry per built-in value set. Thread-safe (one mutex around the map; a
// returned index is immutable and lives as long as the process).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace hearth::fhir::terminology {

// A value set's codes, sorted for membership tests.
class ExpansionIndex {
 public:
  explicit ExpansionIndex(std::vector<std::pair<std::string_view, std::string_view>> codes);
  // Is `code` of `system` in it? An empty `system` matches any system.
  bool contains(std::string_view system, std::string_view code) const;
  // Does any code of it have `system`?
  bool uses_system(std::string_view system) const;

 private:
  std::vector<std::pair<std::string_view, std::string_view>> codes_;  // (code, system), sorted
  std::vector<std::string_view> systems_;                             // sorted, unique
};

// The index of the built-in value set `url` ("|version" ignored), or nullptr when it is not
// built in or Hearth cannot expand it (fhir/terminology/expansion.h).
const ExpansionIndex* cached_expansion(std::string_view url);

}  // namespace hearth::fhir::terminology
