// Early index extraction: stand-ins for the references a transaction resolves later.
#include "api/rest/early_index.h"

#include "api/rest/resource_body.h"
#include "fhir/search/late_target.h"
#include "fhir/search/param_parts.h"

namespace hearth::api {

void EarlyIndex::add_target(const std::string& reference, std::string_view type) {
  std::string stand_in = std::string(type) + "/" + fhir::search::late_target_id(targets_.size());
  if (!stand_ins_.emplace(reference, std::move(stand_in)).second) return;
  targets_.push_back({reference, std::string(type)});
}

std::optional<fhir::search::IndexValues> EarlyIndex::extract(std::string_view type,
                                                             const fhir::JsonValue& resource,
                                                             std::size_t max_rows,
                                                             bool without_source,
                                                             fhir::JsonAllocator& scratch) const {
  bool conditional = false;
  for_each_reference(resource, [&](std::string_view ref) {
    std::string_view ref_type, criteria;
    if (split_conditional_reference(ref, ref_type, criteria)) conditional = true;
  });
  if (conditional) return std::nullopt;
  fhir::JsonValue copy(resource, scratch);
  rewrite_references(copy, scratch, stand_ins_);
  if (without_source) drop_meta_source(copy);
  auto values = fhir::search::extract_index(copy, max_rows);
  if (!values.is_ok()) return std::nullopt;
  fhir::search::drop_rows_held_by_parts(type, *values);
  return std::move(values).value();
}

std::vector<std::string> EarlyIndex::resolved_ids(const ReferenceMap& resolved) const {
  std::vector<std::string> ids(targets_.size());
  for (std::size_t n = 0; n < targets_.size(); ++n) {
    auto it = resolved.find(targets_[n].reference);
    if (it == resolved.end()) continue;
    const std::string& target = it->second;  // "Type/id"
    const std::string& type = targets_[n].type;
    if (target.size() > type.size() + 1 && target.compare(0, type.size(), type) == 0 &&
        target[type.size()] == '/' && target.find('/', type.size() + 1) == std::string::npos) {
      ids[n] = target.substr(type.size() + 1);
    }
  }
  return ids;
}

}  // namespace hearth::api
