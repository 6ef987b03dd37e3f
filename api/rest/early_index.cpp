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

  // Swaps every reference of `value` found in `stand_ins`; false (having swapped some) when
  // `value` holds a conditional reference.
  bool swap(fhir::JsonValue& value, const ReferenceMap& stand_ins) {
    if (value.IsArray()) {
      for (auto& item : value.GetArray()) {
        if (!swap(item, stand_ins)) return false;
      }
      return true;
    }
    if (!value.IsObject()) return true;
    for (auto& member : value.GetObject()) {
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      if (name == "reference" && fhir::is_json_string(member.value)) {
        const std::string_view ref = fhir::json_string(member.value);
        std::string_view type, criteria;
        if (split_conditional_reference(ref, type, criteria)) return false;
        auto it = stand_ins.find(std::string(ref));
        if (it == stand_ins.end()) continue;
        fhir::JsonValue stand_in(rapidjson::StringRef(it->second.data(), it->second.size()));
        member.value.Swap(stand_in);
        swapped_.emplace_back(&member.value, std::move(stand_in));
      } else if ((member.value.IsObject() || member.value.IsArray()) &&
                 !swap(member.value, stand_ins)) {
        return false;
      }
    }
    return true;
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
  Result<fhir::search::IndexValues> values = fhir::search::IndexValues();
  if (without_source && has_meta_source(resource)) {  // dropped from a copy (it is rare)
    fhir::JsonValue copy(resource, scratch);
    SwappedReferences swapped;
    if (!swapped.swap(copy, stand_ins_)) return std::nullopt;
    drop_meta_source(copy);
    values = fhir::search::extract_index(copy, max_rows);
  } else {
    SwappedReferences swapped;
    if (!swapped.swap(resource, stand_ins_)) return std::nullopt;
    values = fhir::search::extract_index(resource, max_rows);
  }
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
