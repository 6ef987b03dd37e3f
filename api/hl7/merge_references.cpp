// One reverse include through the reference index, then a rewrite and an update per resource.
#include "api/hl7/merge_references.h"

#include "api/rest/reference_rewrite.h"
#include "api/rest/write_request.h"
#include "fhir/json.h"

namespace hearth::api {

Result<std::vector<storage::ResourceVersion>> move_patient_references(
    storage::StoreTransaction& tx, const std::string& merged_id, const std::string& survivor_id,
    const std::string& meta_source, std::size_t max_index_rows) {
  storage::IncludeQuery query;
  query.from.emplace_back("Patient", merged_id);
  fhir::search::IncludeDirective any;
  any.reverse = true;
  any.target_type = "Patient";
  query.directives.push_back(any);
  query.limit = kMaxMovedResources + 1;
  HEARTH_ASSIGN_OR_RETURN(std::vector<storage::ResourceVersion> referring, tx.include(query));
  if (referring.size() > kMaxMovedResources) {
    return Status(Code::kUnprocessable,
                  "the merged patient is referenced by more than " +
                      std::to_string(kMaxMovedResources) +
                      " resources; their references were not moved (merge in steps)");
  }
  std::vector<std::pair<std::string, std::string>> rows;
  for (const storage::ResourceVersion& v : referring) rows.emplace_back(v.type, v.id);
  HEARTH_RETURN_IF_ERROR(tx.lock(rows));

  const ReferenceMap moved = {{"Patient/" + merged_id, "Patient/" + survivor_id}};
  std::vector<storage::ResourceVersion> written;
  for (const storage::ResourceVersion& v : referring) {
    if (v.type == "Provenance" || v.type == "AuditEvent") continue;
    if (v.type == "Patient" && (v.id == merged_id || v.id == survivor_id)) continue;
    HEARTH_ASSIGN_OR_RETURN(fhir::JsonDocument doc, fhir::parse_json(v.body));
    if (rewrite_references(doc, doc.GetAllocator(), moved) == 0) continue;
    auto& a = doc.GetAllocator();
    if (!doc.HasMember("meta")) doc.AddMember("meta", fhir::JsonValue(rapidjson::kObjectType), a);
    fhir::JsonValue& meta = doc["meta"];
    if (meta.HasMember("source")) meta.RemoveMember("source");
    meta.AddMember("source", fhir::JsonValue(meta_source.c_str(), a), a);
    HEARTH_ASSIGN_OR_RETURN(storage::WriteRequest write,
                            build_write(v.type, v.id, doc, a, max_index_rows));
    HEARTH_ASSIGN_OR_RETURN(storage::WriteOutcome outcome, tx.update(write));
    written.push_back(std::move(outcome.stored));
  }
  return written;
}

}  // namespace hearth::api
