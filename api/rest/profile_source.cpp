// The store-backed profile lookup and its cache.
#include "api/rest/profile_source.h"

#include <map>
#include <mutex>
#include <string>

#include "fhir/profile_validate.h"
#include "fhir/search/search_query.h"
#include "fhir/shipped_profiles.h"

namespace hearth::api {
namespace {

struct Cached {
  std::string id;
  std::int64_t version = 0;
  std::shared_ptr<const fhir::Profile> profile;
};

std::mutex cache_mutex;
std::map<std::string, Cached, std::less<>>& cache() {
  static std::map<std::string, Cached, std::less<>> c;
  return c;
}

constexpr std::size_t kMaxClaims = 16;

struct Lookup {
  storage::ResourceReader* reader;
  std::vector<Issue>* problems;
  int depth = 0;

  std::shared_ptr<const fhir::Profile> operator()(std::string_view url) {
    if (url.empty() || url.size() > 1024 || depth > fhir::kMaxProfileBaseDepth + 1) return nullptr;
    Result<fhir::search::SearchQuery> query = fhir::search::parse_search(
        "StructureDefinition", {{"url", std::string(url)}, {"_sort", "-_lastUpdated"}}, "", false);
    if (!query.is_ok()) return nullptr;
    query->count = 1;
    Result<storage::SearchPage> page = reader->search(*query);
    // Not stored: the package's own profile by that URL, if it ships one.
    if (!page.is_ok() || page->entries.empty()) return fhir::shipped_profile(url);
    const storage::ResourceVersion& found = page->entries.front();
    {
      std::lock_guard<std::mutex> lock(cache_mutex);
      auto it = cache().find(url);
      if (it != cache().end() && it->second.id == found.id && it->second.version == found.version) {
        return it->second.profile;
      }
    }
    Result<fhir::JsonDocument> doc = fhir::parse_json(found.body);
    if (!doc.is_ok()) return nullptr;
    ++depth;
    Lookup inner = *this;
    Result<std::shared_ptr<const fhir::Profile>> compiled =
        fhir::compile_profile(*doc, [&inner](std::string_view u) { return inner(u); });
    --depth;
    if (!compiled.is_ok()) {
      if (problems != nullptr) {
        problems->push_back(Issue{Severity::kWarning, "not-supported",
                                  "profile " + std::string(url) + " (StructureDefinition/" +
                                      found.id +
                                      ") does not compile: " + compiled.status().message() +
                                      " at " + compiled.status().issues()[0].expression,
                                  ""});
      }
      return nullptr;
    }
    std::lock_guard<std::mutex> lock(cache_mutex);
    if (cache().size() >= kMaxCachedProfiles) cache().clear();
    cache()[std::string(url)] = Cached{found.id, found.version, *compiled};
    return *compiled;
  }
};

}  // namespace

fhir::ProfileLookup stored_profiles(storage::ResourceReader& reader, std::vector<Issue>* problems) {
  auto lookup = std::make_shared<Lookup>(Lookup{&reader, problems});
  return [lookup](std::string_view url) { return (*lookup)(fhir::canonical_without_version(url)); };
}

std::vector<Issue> validate_against_stored_profile(storage::ResourceReader& reader,
                                                   const fhir::JsonValue& resource,
                                                   std::string_view url) {
  std::vector<Issue> issues;
  fhir::ProfileLookup lookup = stored_profiles(reader, &issues);
  std::string_view canonical = fhir::canonical_without_version(url);
  std::shared_ptr<const fhir::Profile> profile = lookup(canonical);
  std::string_view type;
  if (auto rt = resource.FindMember("resourceType");
      rt != resource.MemberEnd() && fhir::is_json_string(rt->value)) {
    type = fhir::json_string(rt->value);
  }
  if (profile == nullptr) {
    if (canonical == "http://hl7.org/fhir/StructureDefinition/" + std::string(type)) return issues;
    issues.push_back(Issue{Severity::kWarning, "not-supported",
                           "profile " + std::string(canonical.substr(0, 300)) +
                               " is unknown to Hearth (no StructureDefinition with this url is "
                               "stored or shipped in the R4 package); not checked",
                           ""});
    return issues;
  }
  if (profile->type != type) {
    issues.push_back(Issue{Severity::kWarning, "not-supported",
                           "profile " + std::string(canonical.substr(0, 300)) + " constrains " +
                               profile->type + ", not " + std::string(type),
                           ""});
    return issues;
  }
  std::vector<Issue> found = fhir::validate_against_profile(resource, *profile, lookup);
  issues.insert(issues.end(), std::make_move_iterator(found.begin()),
                std::make_move_iterator(found.end()));
  return issues;
}

Status enforce_claimed_profiles(storage::ResourceReader& reader, const fhir::JsonValue& resource) {
  std::vector<Issue> all;
  bool error = false;
  for (std::string_view url : claimed_profiles(resource)) {
    for (Issue& i : validate_against_stored_profile(reader, resource, url)) {
      error = error || i.severity == Severity::kError;
      all.push_back(std::move(i));
    }
  }
  if (!error) return Status::ok();
  return Status(Code::kUnprocessable, std::move(all));
}

std::vector<std::string_view> claimed_profiles(const fhir::JsonValue& resource) {
  std::vector<std::string_view> out;
  auto meta = resource.FindMember("meta");
  if (meta == resource.MemberEnd() || !meta->value.IsObject()) return out;
  auto profiles = meta->value.FindMember("profile");
  if (profiles == meta->value.MemberEnd() || !profiles->value.IsArray()) return out;
  for (const fhir::JsonValue& p : profiles->value.GetArray()) {
    if (out.size() >= kMaxClaims) break;
    if (fhir::is_json_string(p)) out.push_back(fhir::json_string(p));
  }
  return out;
}

}  // namespace hearth::api
