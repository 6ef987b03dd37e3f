// The process-wide expansion cache; see expansion_cache.h. A value set that cannot be expanded
// is remembered as such (a null entry), so it is not tried again.
#include "fhir/terminology/expansion_cache.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "fhir/terminology/expansion.h"
#include "fhir/terminology/value_set_compose.h"

namespace hearth::fhir::terminology {

ExpansionIndex::ExpansionIndex(std::vector<std::pair<std::string_view, std::string_view>> codes)
    : codes_(std::move(codes)) {
  std::sort(codes_.begin(), codes_.end());
  for (const auto& [code, system] : codes_) systems_.push_back(system);
  std::sort(systems_.begin(), systems_.end());
  systems_.erase(std::unique(systems_.begin(), systems_.end()), systems_.end());
}

bool ExpansionIndex::contains(std::string_view system, std::string_view code) const {
  auto it = std::lower_bound(codes_.begin(), codes_.end(),
                             std::pair<std::string_view, std::string_view>{code, {}});
  for (; it != codes_.end() && it->first == code; ++it) {
    if (system.empty() || it->second == system) return true;
  }
  return false;
}

bool ExpansionIndex::uses_system(std::string_view system) const {
  return std::binary_search(systems_.begin(), systems_.end(), system);
}

const ExpansionIndex* cached_expansion(std::string_view url) {
  const ValueSet* vs = find_value_set_compose(url);
  if (vs == nullptr) return nullptr;
  static std::mutex mutex;
  static std::map<const ValueSet*, std::unique_ptr<ExpansionIndex>> cache;
  std::lock_guard lock(mutex);
  auto [it, added] = cache.try_emplace(vs);
  if (added) {
    Result<Expansion> e = expand(*vs);
    if (e.is_ok()) {
      std::vector<std::pair<std::string_view, std::string_view>> codes;
      for (const ExpansionItem& item : e.value().items) codes.emplace_back(item.code, item.system);
      it->second = std::make_unique<ExpansionIndex>(std::move(codes));
    }
  }
  return it->second.get();
}

}  // namespace hearth::fhir::terminology
