// Lookup and compile-once cache of the generated profile tables.
#include "fhir/shipped_profiles.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <string>

namespace hearth::fhir {
namespace {

std::recursive_mutex cache_mutex;  // recursive: compiling a profile looks up its base

std::map<std::string, std::shared_ptr<const Profile>, std::less<>>& cache() {
  static std::map<std::string, std::shared_ptr<const Profile>, std::less<>> c;
  return c;
}

}  // namespace

std::span<const ShippedProfile> shipped_profiles() {
  return detail::kShippedProfiles;
}

std::shared_ptr<const Profile> shipped_profile(std::string_view url) {
  url = canonical_without_version(url);
  std::span<const ShippedProfile> all = shipped_profiles();
  auto it = std::lower_bound(all.begin(), all.end(), url,
                             [](const ShippedProfile& p, std::string_view u) { return p.url < u; });
  if (it == all.end() || it->url != url) return nullptr;
  std::lock_guard<std::recursive_mutex> lock(cache_mutex);
  if (auto hit = cache().find(url); hit != cache().end()) return hit->second;
  std::shared_ptr<const Profile> compiled;
  if (Result<JsonDocument> doc = parse_json(it->json); doc.is_ok()) {
    Result<std::shared_ptr<const Profile>> p =
        compile_profile(*doc, [](std::string_view base) { return shipped_profile(base); });
    if (p.is_ok()) compiled = *p;
  }
  cache().emplace(std::string(url), compiled);
  return compiled;
}

}  // namespace hearth::fhir
