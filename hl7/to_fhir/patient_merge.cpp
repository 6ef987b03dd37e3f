// The patient merge: two messages the IG maps (an A08 of the PID, an A08 of MRG-1 as PID-3)
// give the survivor and the merged patient's identity; the merge adds the links and the patch.
#include "hl7/to_fhir/patient_merge.h"

#include <rapidjson/document.h>

#include <string_view>
#include <vector>

namespace hearth::hl7::to_fhir {
namespace {

// The fields of a raw segment ("PID|1||123^^^H^MR" -> {"PID", "1", "", "123^^^H^MR"}: field n at
// index n; MSH is the exception, see header()).
std::vector<std::string_view> fields_of(std::string_view segment, char separator) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = segment.find(separator, start);
    out.push_back(segment.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// MSH of `message` with MSH-9 made ADT^A08^ADT_A01: the IG's map for a patient update.
std::string header(const Message& message) {
  const Delimiters& d = message.delimiters();
  // "MSH|^~\&|app|fac|..." splits as {"MSH", "^~\&", "app", ...}: MSH-n is at index n - 1.
  std::vector<std::string_view> fields = fields_of(message.segment_text(0), d.field);
  const std::string event = std::string("ADT") + d.component + "A08" + d.component + "ADT_A01";
  if (fields.size() < 9) fields.resize(9);
  fields[8] = event;
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += d.field;
    out += fields[i];
  }
  return out;
}

// The index of the first segment `id`, or segment_count() when there is none.
std::size_t find(const Message& message, std::string_view id) {
  for (std::size_t i = 0; i < message.segment_count(); ++i) {
    if (message.segment_id(i) == id) return i;
  }
  return message.segment_count();
}

Result<rapidjson::Document> map_text(const MessageMapper& mapper, const std::string& text,
                                     const std::function<std::string()>& make_id,
                                     std::vector<MappingIssue>* issues) {
  Result<Message> message = Message::parse(text);
  if (!message.is_ok()) return message.status();
  HEARTH_ASSIGN_OR_RETURN(MappedMessage mapped, mapper.map(*message, make_id));
  if (issues != nullptr) *issues = std::move(mapped.issues);
  if (!mapped.bundle.IsObject() || !mapped.bundle.HasMember("entry")) {
    return Status(Code::kInternal, "the mapped Bundle has no entries");
  }
  return std::move(mapped.bundle);
}

// The Patient entry of a mapped Bundle whose request is a conditional update by identity.
rapidjson::Value* patient_entry(rapidjson::Document& bundle) {
  for (auto& entry : bundle["entry"].GetArray()) {
    if (std::string_view(entry["resource"]["resourceType"].GetString()) != "Patient") continue;
    const std::string_view url = entry["request"]["url"].GetString();
    if (url.starts_with("Patient?")) return &entry;
  }
  return nullptr;
}

rapidjson::Value string_value(std::string_view text, rapidjson::Document::AllocatorType& a) {
  return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), a);
}

}  // namespace

bool is_patient_merge(const Message& message) {
  const std::string_view event = message.trigger_event();
  return message.message_code() == "ADT" && (event == "A40" || event == "A39") &&
         find(message, "MRG") < message.segment_count();
}

Result<MappedMessage> map_patient_merge(const MessageMapper& mapper, const Message& message,
                                        const std::function<std::string()>& make_id) {
  const std::string msh = header(message);
  std::string survivor_text = msh + '\r';
  for (const char* id : {"EVN", "PID", "PD1"}) {
    const std::size_t at = find(message, id);
    if (at < message.segment_count()) survivor_text.append(message.segment_text(at)) += '\r';
  }
  const std::size_t mrg = find(message, "MRG");
  const std::vector<std::string_view> mrg_fields =
      fields_of(message.segment_text(mrg), message.delimiters().field);
  const std::string_view prior = mrg_fields.size() > 1 ? mrg_fields[1] : std::string_view();
  const char f = message.delimiters().field;
  const std::string merged_text = msh + '\r' + "PID" + f + "1" + f + f + std::string(prior) + '\r';

  MappedMessage out;
  HEARTH_ASSIGN_OR_RETURN(rapidjson::Document bundle,
                          map_text(mapper, survivor_text, make_id, &out.issues));
  HEARTH_ASSIGN_OR_RETURN(rapidjson::Document merged_bundle,
                          map_text(mapper, merged_text, make_id, nullptr));
  rapidjson::Value* survivor = patient_entry(bundle);
  rapidjson::Value* merged = patient_entry(merged_bundle);
  if (survivor == nullptr) {
    return Status(Code::kInvalidArgument,
                  "PID-3 gives no identifier: the surviving patient cannot be found", "PID-3");
  }
  if (merged == nullptr) {
    return Status(Code::kInvalidArgument,
                  "MRG-1 gives no identifier: the merged patient cannot be found", "MRG-1");
  }
  // Its index now: the PATCH entry pushed below may move the array.
  out.survivor_entry = static_cast<int>(survivor - bundle["entry"].Begin());
  const std::string merged_url = (*merged)["request"]["url"].GetString();
  const std::string survivor_full_url = (*survivor)["fullUrl"].GetString();
  if (merged_url == (*survivor)["request"]["url"].GetString()) {
    return Status(Code::kInvalidArgument, "MRG-1 names the surviving patient (PID-3) itself",
                  "MRG-1");
  }
  auto& a = bundle.GetAllocator();
  // The survivor replaces the merged patient (a conditional reference, resolved in the
  // transaction: no match is a 404, and the message an AE).
  {
    rapidjson::Value other(rapidjson::kObjectType);
    other.AddMember("reference", string_value(merged_url, a), a);
    rapidjson::Value link(rapidjson::kObjectType);
    link.AddMember("other", other, a);
    link.AddMember("type", "replaces", a);
    rapidjson::Value links(rapidjson::kArrayType);
    links.PushBack(link, a);
    rapidjson::Value& resource = (*survivor)["resource"];
    if (resource.HasMember("link")) resource.RemoveMember("link");
    resource.AddMember("link", links, a);
  }
  // The merged patient: inactive, replaced by the survivor (a FHIRPath Patch: `active` deleted
  // then added, since add refuses an element that is there and replace one that is not).
  {
    const auto operation = [&](const char* type, const char* path, const char* name,
                               rapidjson::Value* value_part) {
      rapidjson::Value parts(rapidjson::kArrayType);
      const auto add = [&](const char* part_name, const char* value_key, rapidjson::Value v) {
        rapidjson::Value p(rapidjson::kObjectType);
        p.AddMember("name", rapidjson::StringRef(part_name), a);
        p.AddMember(rapidjson::StringRef(value_key), v, a);
        parts.PushBack(p, a);
      };
      add("type", "valueCode", rapidjson::Value(type, a));
      add("path", "valueString", rapidjson::Value(path, a));
      if (name != nullptr) add("name", "valueString", rapidjson::Value(name, a));
      if (value_part != nullptr) parts.PushBack(*value_part, a);
      rapidjson::Value op(rapidjson::kObjectType);
      op.AddMember("name", "operation", a);
      op.AddMember("part", parts, a);
      return op;
    };
    rapidjson::Value operations(rapidjson::kArrayType);
    operations.PushBack(operation("delete", "Patient.active", nullptr, nullptr), a);
    rapidjson::Value inactive(rapidjson::kObjectType);
    inactive.AddMember("name", "value", a);
    inactive.AddMember("valueBoolean", false, a);
    operations.PushBack(operation("add", "Patient", "active", &inactive), a);
    // value: a backbone element given as parts (other, type).
    rapidjson::Value other(rapidjson::kObjectType);
    other.AddMember("reference", string_value(survivor_full_url, a), a);
    rapidjson::Value other_part(rapidjson::kObjectType);
    other_part.AddMember("name", "other", a);
    other_part.AddMember("valueReference", other, a);
    rapidjson::Value type_part(rapidjson::kObjectType);
    type_part.AddMember("name", "type", a);
    type_part.AddMember("valueCode", "replaced-by", a);
    rapidjson::Value link_parts(rapidjson::kArrayType);
    link_parts.PushBack(other_part, a);
    link_parts.PushBack(type_part, a);
    rapidjson::Value link_value(rapidjson::kObjectType);
    link_value.AddMember("name", "value", a);
    link_value.AddMember("part", link_parts, a);
    operations.PushBack(operation("add", "Patient", "link", &link_value), a);

    rapidjson::Value parameters(rapidjson::kObjectType);
    parameters.AddMember("resourceType", "Parameters", a);
    parameters.AddMember("parameter", operations, a);
    rapidjson::Value request(rapidjson::kObjectType);
    request.AddMember("method", "PATCH", a);
    request.AddMember("url", string_value(merged_url, a), a);
    rapidjson::Value entry(rapidjson::kObjectType);
    entry.AddMember("resource", parameters, a);
    entry.AddMember("request", request, a);
    bundle["entry"].PushBack(entry, a);
  }
  out.map_name = "ADT_A39";
  out.merged_entry = static_cast<int>(bundle["entry"].Size()) - 1;
  out.resources = bundle["entry"].Size();
  out.bundle = std::move(bundle);
  return out;
}

}  // namespace hearth::hl7::to_fhir
