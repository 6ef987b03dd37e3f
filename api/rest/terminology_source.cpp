// Stored terminology before the built-in one, and the process-wide caches behind it.
#include "api/rest/terminology_source.h"

#include <mutex>
#include <optional>

#include "fhir/search/search_query.h"
#include "fhir/terminology/stored_code_system.h"
#include "fhir/terminology/stored_concept_map.h"

namespace hearth::api {
namespace term = fhir::terminology;
namespace {

struct CachedSystem {
  std::string id;
  std::int64_t version = 0;
  std::shared_ptr<const term::CompiledCodeSystem> compiled;
};

std::mutex systems_mutex;
std::map<std::string, CachedSystem, std::less<>>& system_cache() {
  static std::map<std::string, CachedSystem, std::less<>> c;
  return c;
}

std::mutex expansions_mutex;
std::map<std::string, std::shared_ptr<const CachedExpansion>, std::less<>>& expansion_cache() {
  static std::map<std::string, std::shared_ptr<const CachedExpansion>, std::less<>> c;
  return c;
}

std::string_view without_version(std::string_view url) {
  return url.substr(0, url.find('|'));
}

// A stored ValueSet whose compose cannot be read: kUnprocessable naming it, with the path.
Status not_expandable(const std::string& id, const Status& why) {
  return Status(Code::kUnprocessable, "ValueSet/" + id + " cannot be expanded: " + why.message(),
                why.issues().empty() ? std::string() : why.issues()[0].expression, "invalid");
}

// A parsed stored resource, kept alive with what points into it.
std::shared_ptr<const fhir::JsonDocument> parse(const storage::ResourceVersion& found) {
  Result<fhir::JsonDocument> doc = fhir::parse_json(found.body);
  if (!doc.is_ok()) return nullptr;
  return std::make_shared<const fhir::JsonDocument>(std::move(doc).value());
}

}  // namespace

std::optional<storage::ResourceVersion> StoredTerminology::find(std::string_view type,
                                                                std::string_view url) {
  if (url.empty() || url.size() > 1024) return std::nullopt;
  Result<fhir::search::SearchQuery> query = fhir::search::parse_search(
      std::string(type), {{"url", std::string(url)}, {"_sort", "-_lastUpdated"}}, "", false);
  if (!query.is_ok()) return std::nullopt;
  query->count = 1;
  Result<storage::SearchPage> page = reader_.search(*query);
  if (!page.is_ok() || page->entries.empty()) return std::nullopt;
  return std::move(page->entries.front());
}

bool StoredTerminology::unchanged(const TerminologyDependency& dep) {
  if (dep.url.empty()) {
    Result<storage::ResourceVersion> now = reader_.read(dep.type, dep.id);
    return now.is_ok() && now->version == dep.version;
  }
  std::optional<storage::ResourceVersion> now = find(dep.type, dep.url);
  if (!now) return dep.id.empty();
  return now->id == dep.id && now->version == dep.version;
}

const term::CodeSystem* StoredTerminology::code_system(std::string_view url) {
  url = without_version(url);
  if (auto it = systems_.find(url); it != systems_.end()) return it->second;
  std::optional<storage::ResourceVersion> found = find("CodeSystem", url);
  TerminologyDependency dep{"CodeSystem", std::string(url), "", 0};
  const term::CodeSystem* out = nullptr;
  if (!found) {
    out = builtin_.code_system(url);
  } else {
    dep.id = found->id;
    dep.version = found->version;
    std::shared_ptr<const term::CompiledCodeSystem> compiled;
    {
      std::lock_guard<std::mutex> lock(systems_mutex);
      auto it = system_cache().find(url);
      if (it != system_cache().end() && it->second.id == found->id &&
          it->second.version == found->version) {
        compiled = it->second.compiled;
      }
    }
    if (compiled == nullptr) {
      std::shared_ptr<const fhir::JsonDocument> doc = parse(*found);
      Result<std::shared_ptr<const term::CompiledCodeSystem>> r =
          doc == nullptr ? Result<std::shared_ptr<const term::CompiledCodeSystem>>(
                               Status(Code::kInternal, "the stored body does not parse"))
                         : term::compile_code_system(*doc);
      if (r.is_ok()) {
        compiled = *r;
        std::lock_guard<std::mutex> lock(systems_mutex);
        if (system_cache().size() >= kMaxCachedCodeSystems) system_cache().clear();
        system_cache()[std::string(url)] = CachedSystem{found->id, found->version, compiled};
      } else {
        problem_ = "CodeSystem/" + found->id + " does not compile: " + r.status().message() +
                   " at " + r.status().issues()[0].expression;
      }
    }
    if (compiled != nullptr) {
      keep_.push_back(compiled);
      out = &compiled->view();
    }
  }
  deps_.push_back(std::move(dep));
  systems_.emplace(std::string(url), out);
  return out;
}

const term::Compose* StoredTerminology::value_set(std::string_view url) {
  url = without_version(url);
  if (auto it = composes_.find(url); it != composes_.end()) return it->second;
  std::optional<storage::ResourceVersion> found = find("ValueSet", url);
  TerminologyDependency dep{"ValueSet", std::string(url), "", 0};
  const term::Compose* out = nullptr;
  if (!found) {
    out = builtin_.value_set(url);
  } else {
    dep.id = found->id;
    dep.version = found->version;
    std::shared_ptr<const fhir::JsonDocument> doc = parse(*found);
    Result<term::Compose> compose =
        doc == nullptr ? Result<term::Compose>(Status(Code::kInternal, "unparsable"))
                       : term::read_compose(*doc);
    if (compose.is_ok()) {
      keep_.push_back(doc);
      out = &owned_composes_.emplace_back(std::move(compose).value());
    }
  }
  deps_.push_back(std::move(dep));
  composes_.emplace(std::string(url), out);
  return out;
}

Result<std::shared_ptr<const CachedExpansion>> StoredTerminology::expansion(std::string_view url) {
  url = without_version(url);
  return expand_cached("url:" + std::string(url),
                       TerminologyDependency{"ValueSet", std::string(url), "", 0});
}

Result<std::shared_ptr<const CachedExpansion>> StoredTerminology::expansion_by_id(
    std::string_view id) {
  return expand_cached("id:" + std::string(id),
                       TerminologyDependency{"ValueSet", "", std::string(id), 0});
}

Result<std::shared_ptr<const CachedExpansion>> StoredTerminology::expand_cached(
    const std::string& key, TerminologyDependency root) {
  std::shared_ptr<const CachedExpansion> hit;
  {
    std::lock_guard<std::mutex> lock(expansions_mutex);
    auto it = expansion_cache().find(key);
    if (it != expansion_cache().end()) hit = it->second;
  }
  if (hit != nullptr) {
    bool fresh = true;
    for (const TerminologyDependency& dep : hit->dependencies) {
      if (!unchanged(dep)) {
        fresh = false;
        break;
      }
    }
    if (fresh) return hit;
  }

  auto made = std::make_shared<CachedExpansion>();
  deps_.clear();
  systems_.clear();
  composes_.clear();
  const term::Compose* compose = nullptr;
  if (root.url.empty()) {
    Result<storage::ResourceVersion> found = reader_.read("ValueSet", root.id);
    if (!found.is_ok()) {
      return Status(Code::kNotFound, "ValueSet/" + root.id + " is not stored", "id", "not-found");
    }
    root.version = found->version;
    deps_.push_back(root);
    std::shared_ptr<const fhir::JsonDocument> doc = parse(*found);
    if (doc == nullptr) return Status(Code::kInternal, "the stored ValueSet does not parse");
    Result<term::Compose> read = term::read_compose(*doc);
    if (!read.is_ok()) return not_expandable(root.id, read.status());
    keep_.push_back(doc);
    compose = &owned_composes_.emplace_back(std::move(read).value());
  } else {
    // A stored ValueSet whose compose is malformed says why; value_set() would only say "none".
    std::optional<storage::ResourceVersion> found = find("ValueSet", root.url);
    if (found) {
      std::shared_ptr<const fhir::JsonDocument> doc = parse(*found);
      if (doc == nullptr) return Status(Code::kInternal, "the stored ValueSet does not parse");
      if (Result<term::Compose> read = term::read_compose(*doc); !read.is_ok()) {
        return not_expandable(found->id, read.status());
      }
    }
    compose = value_set(root.url);
    if (compose == nullptr) {
      return Status(Code::kNotFound, "the value set is neither stored nor built in", "url",
                    "not-found");
    }
  }
  HEARTH_ASSIGN_OR_RETURN(made->items, term::expand_all(*compose, *this));
  made->compose = *compose;
  made->dependencies = deps_;
  made->keep = keep_;
  std::lock_guard<std::mutex> lock(expansions_mutex);
  if (expansion_cache().size() >= kMaxCachedExpansions) expansion_cache().clear();
  expansion_cache()[key] = made;
  return std::shared_ptr<const CachedExpansion>(made);
}

std::vector<const term::ConceptMap*> StoredTerminology::concept_maps(std::string_view url,
                                                                     std::string_view code,
                                                                     bool reverse) {
  std::vector<const term::ConceptMap*> out;
  url = without_version(url);
  std::vector<storage::ResourceVersion> stored;
  if (!url.empty()) {
    if (std::optional<storage::ResourceVersion> found = find("ConceptMap", url)) {
      stored.push_back(std::move(*found));
    }
  } else {
    Result<fhir::search::SearchQuery> query = fhir::search::parse_search(
        "ConceptMap",
        {{reverse ? "target-code" : "source-code", std::string(code)}, {"_sort", "-_lastUpdated"}},
        "", false);
    if (query.is_ok()) {
      query->count = kMaxStoredConceptMaps;
      Result<storage::SearchPage> page = reader_.search(*query);
      if (page.is_ok()) stored = std::move(page->entries);
    }
  }
  for (const storage::ResourceVersion& found : stored) {
    std::shared_ptr<const fhir::JsonDocument> doc = parse(found);
    if (doc == nullptr) continue;
    Result<std::shared_ptr<const term::CompiledConceptMap>> map = term::compile_concept_map(*doc);
    if (!map.is_ok()) {
      problem_ = "ConceptMap/" + found.id + " cannot be read: " + map.status().message();
      continue;
    }
    keep_.push_back(*map);
    out.push_back(&(*map)->view());
  }
  if (!url.empty()) {
    if (out.empty()) {
      if (const term::ConceptMap* builtin = term::find_concept_map(url)) out.push_back(builtin);
    }
    return out;
  }
  for (const term::ConceptMap& map : term::concept_maps()) out.push_back(&map);
  return out;
}

}  // namespace hearth::api
