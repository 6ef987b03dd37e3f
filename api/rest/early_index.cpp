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

namespace {

// A resource's declared references swapped with their stand-ins for as long as this lives (the
// stand-ins' text is the EarlyIndex's, referred to, not copied), so that the resource as sent is
// read without a copy of it.
class SwappedReferences {
 public:
  SwappedReferences() = default;
  SwappedReferences(const SwappedReferences&) = delete;
  SwappedReferences& operator=(const SwappedReferences&) = delete;
  ~SwappedReferences() {
    for (auto& [at, original] : swapped_) at->Swap(original);
  }

  // Swaps every reference of `resource` found in `stand_ins`; false when `resource` holds a
  // conditional reference.
  bool swap(fhir::JsonValue& resource, const ReferenceMap& stand_ins) {
    bool conditional = false;
    for_each_reference_value(resource, [&](fhir::JsonValue& value) {
      const std::string_view ref = fhir::json_string(value);
      std::string_view type, criteria;
      if (conditional || split_conditional_reference(ref, type, criteria)) {
        conditional = true;
        return;
      }
      auto it = stand_ins.find(std::string(ref));
      if (it == stand_ins.end()) return;
      fhir::JsonValue stand_in(rapidjson::StringRef(it->second.data(), it->second.size()));
      value.Swap(stand_in);
      swapped_.emplace_back(&value, std::move(stand_in));
    });
    return !conditional;
  }

 private:
  std::vector<std::pair<fhir::JsonValue*, fhir::JsonValue>> swapped_;
};

bool has_meta_source(const fhir::JsonValue& resource) {
  auto meta = resource.FindMember("meta");
  return meta != resource.MemberEnd() && meta->value.IsObject() && meta->value.HasMember("source");
}

}  // namespace

std::optional<fhir::search::IndexValues> EarlyIndex::extract(std::string_view type,
                                                             fhir::JsonValue& resource,
                                                             std::size_t max_rows,
                                                             bool without_source,
                                                             fhir::JsonAllocator& scratch) const {
  std::optional<fhir::JsonValue> copy;  // when meta.source must go (rare): dropped from a copy
  if (without_source && has_meta_source(resource)) {
    copy.emplace(resource, scratch);
    drop_meta_source(*copy);
  }
  fhir::JsonValue& read = copy ? *copy : resource;
  SwappedReferences swapped;
  if (!swapped.swap(read, stand_ins_)) return std::nullopt;
  Result<fhir::search::IndexValues> values = fhir::search::extract_index(read, max_rows);
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
