// The index values of a transaction's entries, extracted when the transaction is planned (on the
// thread that received it), before its lookups have decided what the entries' fullUrls name.
// An HL7 message's resources refer to each other by fullUrl, and whether such a reference ends
// as the id planned for a new resource or the id of one its conditional create or update found
// is known only inside the store's transaction: on SQLite, on the single writer every message
// queues for. Extracting there cost about a sixth of that writer's time (an ORU^R01's 20
// resources). Instead each reference to a fullUrl is extracted as a stand-in
// (fhir/search/late_target.h) and bound to the resolved id inside the transaction, which only
// replaces strings.
//
// Not thread-safe; one per planned transaction (api/rest/entry_runner.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/rest/reference_rewrite.h"
#include "fhir/json.h"
#include "fhir/search/index_values.h"

namespace hearth::api {

class EarlyIndex {
 public:
  // Declares `reference` (an entry's fullUrl, or the relative form it also answers to) as one the
  // transaction resolves to a resource of `type`.
  void add_target(const std::string& reference, std::string_view type);

  // The index values of `resource` (whose type is `type`), as build_write would extract them
  // once its references are rewritten (without meta.source when `without_source`), with each
  // declared reference as its stand-in and the rows held by parts dropped. The stand-ins are
  // swapped into `resource` itself and swapped back before this returns (a copy made with
  // `scratch` when meta.source must go). nullopt when it holds a conditional reference
  // (resolved by a search of its own) or extraction fails: the transaction then extracts, and
  // reports, as it always did.
  std::optional<fhir::search::IndexValues> extract(std::string_view type, fhir::JsonValue& resource,
                                                   std::size_t max_rows, bool without_source,
                                                   fhir::JsonAllocator& scratch) const;

  // The ids the transaction resolved the declared references to, read from `resolved` (what the
  // references are rewritten with: "Type/id"); an id is "" where `resolved` holds no Type/id of
  // the declared type, and binding a stand-in for it then fails.
  std::vector<std::string> resolved_ids(const ReferenceMap& resolved) const;

 private:
  struct Target {
    std::string reference;
    std::string type;
  };
  std::vector<Target> targets_;  // the n-th stands in as late_target_id(n)
  ReferenceMap stand_ins_;       // reference -> Type/late_target_id(n)
};

}  // namespace hearth::api
