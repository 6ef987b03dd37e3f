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
                                                   std::string_view url,
                                                   std::string_view root_path) {
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
                           std::string(root_path)});
    return issues;
  }
  if (profile->type != type) {
    issues.push_back(Issue{Severity::kWarning, "not-supported",
                           "profile " + std::string(canonical.substr(0, 300)) + " constrains " +
                               profile->type + ", not " + std::string(type),
                           std::string(root_path)});
    return issues;
  }
  std::vector<Issue> found = fhir::validate_against_profile(resource, *profile, lookup, root_path);
  issues.insert(issues.end(), std::make_move_iterator(found.begin()),
                std::make_move_iterator(found.end()));
  return issues;
}

namespace {

std::string_view resource_type(const fhir::JsonValue& v) {
  auto rt = v.FindMember("resourceType");
  return rt != v.MemberEnd() && fhir::is_json_string(rt->value) ? fhir::json_string(rt->value)
                                                                : std::string_view();
}

// Appends the claims of `resource` (at `path`) and of the resources inside it; false once past
// the bound.
bool collect_claims(const fhir::JsonValue& resource, const std::string& path, int depth,
                    std::vector<ProfileClaim>& out) {
  if (!resource.IsObject()) return true;
  if (auto meta = resource.FindMember("meta");
      meta != resource.MemberEnd() && meta->value.IsObject()) {
    auto profiles = meta->value.FindMember("profile");
    if (profiles != meta->value.MemberEnd() && profiles->value.IsArray()) {
      for (const fhir::JsonValue& p : profiles->value.GetArray()) {
        if (!fhir::is_json_string(p)) continue;
        if (out.size() >= kMaxProfileClaims) return false;
        out.push_back(ProfileClaim{&resource, path, fhir::json_string(p)});
      }
    }
  }
  if (depth >= kMaxClaimNesting) return true;
  auto nested = [&](const char* name, const char* member) {
    auto list = resource.FindMember(name);
    if (list == resource.MemberEnd() || !list->value.IsArray()) return true;
    for (rapidjson::SizeType i = 0; i < list->value.Size(); ++i) {
      const fhir::JsonValue* inner = &list->value[i];
      std::string at = path + "." + name + "[" + std::to_string(i) + "]";
      if (member != nullptr) {
        if (!inner->IsObject()) continue;
        auto it = inner->FindMember(member);
        if (it == inner->MemberEnd()) continue;
        inner = &it->value;
        at += std::string(".") + member;
      }
      if (!inner->IsObject() || resource_type(*inner).empty()) continue;
      if (!collect_claims(*inner, at, depth + 1, out)) return false;
    }
    return true;
  };
  if (!nested("contained", nullptr)) return false;
  if (resource_type(resource) == "Bundle" && !nested("entry", "resource")) return false;
  return true;
}

}  // namespace

Result<std::vector<ProfileClaim>> profile_claims(const fhir::JsonValue& resource,
                                                 std::string_view root_path) {
  std::vector<ProfileClaim> out;
  std::string root(!root_path.empty()    ? root_path
                   : resource.IsObject() ? resource_type(resource)
                                         : std::string_view());
  if (!collect_claims(resource, root, 0, out)) {
    return Status(Code::kUnprocessable,
                  "more than " + std::to_string(kMaxProfileClaims) +
                      " meta.profile claims in one resource (its contained resources and Bundle "
                      "entries included); Hearth checks at most that many",
                  root, "too-costly");
  }
  return out;
}

std::vector<Issue> claimed_profile_issues(storage::ResourceReader& reader,
                                          const fhir::JsonValue& resource, std::string_view except,
                                          std::string_view root_path) {
  Result<std::vector<ProfileClaim>> claims = profile_claims(resource, root_path);
  if (!claims.is_ok()) return claims.status().issues();
  std::vector<Issue> all;
  for (std::size_t i = 0; i < claims->size(); ++i) {
    const ProfileClaim& c = (*claims)[i];
    if (c.resource == &resource && c.url == except) continue;
    // The same claim twice on one resource is checked once.
    bool repeated = false;
    for (std::size_t j = 0; j < i && !repeated; ++j) {
      repeated = (*claims)[j].resource == c.resource && (*claims)[j].url == c.url;
    }
    if (repeated) continue;
    for (Issue& issue : validate_against_stored_profile(reader, *c.resource, c.url, c.path)) {
      all.push_back(std::move(issue));
    }
  }
  return all;
}

Status enforce_claimed_profiles(storage::ResourceReader& reader, const fhir::JsonValue& resource,
                                std::string_view root_path) {
  std::vector<Issue> all = claimed_profile_issues(reader, resource, {}, root_path);
  bool error = false;
  for (const Issue& i : all) error = error || i.severity == Severity::kError;
  if (!error) return Status::ok();
  return Status(Code::kUnprocessable, std::move(all));
}

}  // namespace hearth::api
