// The terminology the operations use ($expand, $validate-code, $lookup, $subsumes, $translate):
// CodeSystem, ValueSet and ConceptMap resources stored in Hearth, found by canonical URL (the
// newest current one with that `url`), before the built-in ones of the official package
// (fhir/terminology/): a stored resource with a built-in URL takes precedence, as stored
// profiles do (profile_source.h).
//
// Stored code systems are compiled once (fhir/terminology/stored_code_system.h) and kept in a
// process-wide cache checked against the stored (id, version) on every lookup. Expansions are
// cached whole (before text filter and paging) with every stored resource they read, or found
// absent, and that resource's (id, version): a hit is used only while each of them is unchanged,
// so an update, create or delete of the value set, a code system it draws from or a value set it
// includes is seen by the next request, on every replica.
//
// A StoredTerminology is one request's: not thread-safe; what it returns lives as long as it.
// The caches behind it are thread-safe (one mutex each; cached entries are immutable).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/terminology/concept_map.h"
#include "fhir/terminology/expansion.h"
#include "storage/resource_store.h"

namespace hearth::api {

// At most this many compiled code systems and expansions are cached (each cache is emptied when
// full).
inline constexpr std::size_t kMaxCachedCodeSystems = 64;
inline constexpr std::size_t kMaxCachedExpansions = 64;

// A stored resource an answer depends on: what was looked up, and what was found then.
struct TerminologyDependency {
  std::string type;  // "CodeSystem", "ValueSet", "ConceptMap"
  std::string url;   // looked up by canonical url; "" when looked up by id
  std::string id;    // found (or, by id, asked); "" when none was stored
  std::int64_t version = 0;
  bool operator==(const TerminologyDependency&) const = default;
};

// A whole expansion and what keeps its texts alive.
struct CachedExpansion {
  fhir::terminology::Compose compose;  // of the value set expanded (its name, version, ...)
  std::vector<fhir::terminology::ExpansionItem> items;
  std::vector<TerminologyDependency> dependencies;
  std::vector<std::shared_ptr<const void>> keep;
};

class StoredTerminology final : public fhir::terminology::TerminologySource {
 public:
  explicit StoredTerminology(storage::ResourceReader& reader) : reader_(reader) {}

  // TerminologySource: stored first, then built in. A stored CodeSystem that does not compile
  // counts as absent (its error is kept: compile_problem()).
  const fhir::terminology::CodeSystem* code_system(std::string_view url) override;
  const fhir::terminology::Compose* value_set(std::string_view url) override;

  // The whole expansion of value set `url` (stored or built in), cached. Errors: kNotFound
  // ("not-found") when neither holds it; kUnprocessable for a stored ValueSet whose compose is
  // malformed (read_compose's reason, its path in the expression); expand_all()'s.
  Result<std::shared_ptr<const CachedExpansion>> expansion(std::string_view url);
  // The same for the stored ValueSet `id` (ValueSet/[id]/$expand). kNotFound when none.
  Result<std::shared_ptr<const CachedExpansion>> expansion_by_id(std::string_view id);

  // The maps $translate searches: the stored ConceptMap with canonical `url`, else the built-in
  // one; without `url`, the stored ConceptMaps that map `code` (as a source code, or as a target
  // code when `reverse`; the kMaxStoredConceptMaps newest), then every built-in one. A stored
  // map that cannot be read is left out (compile_problem() says why).
  std::vector<const fhir::terminology::ConceptMap*> concept_maps(std::string_view url,
                                                                 std::string_view code,
                                                                 bool reverse);

  // Why the last stored CodeSystem or ConceptMap looked up did not compile ("" when it did).
  const std::string& compile_problem() const { return problem_; }

 private:
  Result<std::shared_ptr<const CachedExpansion>> expand_cached(const std::string& key,
                                                               TerminologyDependency root);
  std::optional<storage::ResourceVersion> find(std::string_view type, std::string_view url);
  bool unchanged(const TerminologyDependency& dep);

  storage::ResourceReader& reader_;
  std::vector<TerminologyDependency> deps_;
  std::vector<std::shared_ptr<const void>> keep_;
  std::map<std::string, const fhir::terminology::CodeSystem*, std::less<>> systems_;
  std::map<std::string, const fhir::terminology::Compose*, std::less<>> composes_;
  std::deque<fhir::terminology::Compose> owned_composes_;
  fhir::terminology::BuiltinTerminology builtin_;
  std::string problem_;
};

// Stored ConceptMaps read per request are bounded to this many.
inline constexpr std::size_t kMaxStoredConceptMaps = 32;

}  // namespace hearth::api
