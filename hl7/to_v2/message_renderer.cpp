// Segment assembly around the reverse maps; only the header and set ids are hand-written.
#include "hl7/to_v2/message_renderer.h"

#include <rapidjson/document.h>

#include "hl7/to_fhir/map_tables.h"
#include "hl7/to_v2/reverse_map.h"
#include "hl7/to_v2/segment_values.h"
#include "hl7/to_v2/v2_primitive.h"
#include "hl7/v2/writer.h"

namespace hearth::hl7::to_v2 {
namespace {

constexpr std::string_view kVersion = "2.5.1";

Result<rapidjson::Document> parse_resource(std::string_view body, std::string_view type) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return Status(Code::kInvalidArgument, "the " + std::string(type) + " is not a JSON object");
  }
  const auto it = doc.FindMember("resourceType");
  if (it == doc.MemberEnd() || !it->value.IsString() || it->value.GetString() != type) {
    return Status(Code::kInvalidArgument, "expected a " + std::string(type));
  }
  return doc;
}

const to_fhir::MapTable& segment_map(std::string_view name) {
  const to_fhir::MapTable* map = to_fhir::find_segment_map(name);
  static const to_fhir::MapTable kEmpty{};
  return map != nullptr ? *map : kEmpty;  // the generated tables have every map used here
}

// MSH from its values: MSH[MessageHeader] maps a MessageHeader resource, which is not stored, so
// its rows (MSH-3 source, MSH-9 eventCoding, ...) are written here from `header`.
void write_msh(MessageBuilder& b, std::string_view type, std::string_view event,
               std::string_view structure, const MessageHeaderValues& header) {
  b.segment("MSH")
      .field(header.sending_application)                 // MSH-3
      .field(header.sending_facility)                    // MSH-4
      .skip(2)                                           // MSH-5, MSH-6
      .field(v2_from_fhir(header.timestamp, "instant"))  // MSH-7
      .skip()                                            // MSH-8
      .components({type, event, structure})              // MSH-9
      .field(header.control_id)                          // MSH-10
      .field("P")                                        // MSH-11 processing id
      .field(kVersion)                                   // MSH-12
      .skip(5)                                           // MSH-13 .. MSH-17
      .field("UNICODE UTF-8");                           // MSH-18
}

void append(MessageBuilder& b, const SegmentValues& segment) {
  b.segment(segment.id());
  // SegmentValues writes "ID|..." itself: hand its fields over as one raw run.
  const std::string er7 = segment.to_er7(b.delimiters());
  if (er7.size() > segment.id().size()) b.raw_field(std::string_view(er7).substr(4));
}

SegmentValues pid(const rapidjson::Value& patient) {
  SegmentValues out("PID");
  out.put(Position{1}, "1");  // PID-1 set id: no map row
  reverse_segment(segment_map("PID[Patient]"), patient, out);
  return out;
}

// True when `o` holds a value[x].
bool has_value(const rapidjson::Value& o) {
  for (auto it = o.MemberBegin(); it != o.MemberEnd(); ++it) {
    const std::string_view name(it->name.GetString(), it->name.GetStringLength());
    if (name.size() > 5 && name.starts_with("value")) return true;
  }
  return false;
}

// OBX[Observation] backwards; an Observation with components and no value of its own (what
// OBX[Observation-Component] makes of a repeating OBX-5) gets OBX-5 back from its components:
// each component read as an Observation of that code and value, its OBX-5 one repetition, its
// OBX-2 and OBX-6 the segment's when the Observation gave none.
SegmentValues obx(const rapidjson::Value& observation, int set_id) {
  SegmentValues out("OBX");
  out.put(Position{1}, std::to_string(set_id));  // OBX-1 set id: no map row
  reverse_segment(segment_map("OBX[Observation]"), observation, out);
  const auto components = observation.FindMember("component");
  if (has_value(observation) || components == observation.MemberEnd() ||
      !components->value.IsArray()) {
    return out;
  }
  int repetition = 0;
  for (const rapidjson::Value& component : components->value.GetArray()) {
    if (!component.IsObject() || !has_value(component)) continue;
    if (repetition == SegmentValues::kMaxRepetition) break;
    rapidjson::Document one(rapidjson::kObjectType);
    auto& a = one.GetAllocator();
    one.AddMember("resourceType", "Observation", a);
    for (auto it = component.MemberBegin(); it != component.MemberEnd(); ++it) {
      one.AddMember(rapidjson::Value(it->name, a), rapidjson::Value(it->value, a), a);
    }
    SegmentValues part("OBX");
    reverse_segment(segment_map("OBX[Observation]"), one, part);
    if (!part.valued(Position{5, 1, 0, 0})) continue;
    ++repetition;
    out.copy_repetition(part, 5, 1, repetition);
    for (const int field : {2, 6}) {
      if (!out.valued(Position{field, 1, 0, 0})) out.copy_repetition(part, field, 1, 1);
    }
  }
  return out;
}

// An NTE per note of `resource` (ORU's OBSERVATION.NTE row: Observation[2].note with
// NTE[ServiceRequest], read backwards one note at a time), NTE-1 its set id.
void append_notes(MessageBuilder& b, const rapidjson::Value& resource) {
  const auto notes = resource.FindMember("note");
  if (notes == resource.MemberEnd() || !notes->value.IsArray()) return;
  int set_id = 0;
  for (const rapidjson::Value& note : notes->value.GetArray()) {
    rapidjson::Document one(rapidjson::kObjectType);
    auto& a = one.GetAllocator();
    one.AddMember("resourceType", "ServiceRequest", a);
    rapidjson::Value list(rapidjson::kArrayType);
    list.PushBack(rapidjson::Value(note, a), a);
    one.AddMember("note", list, a);
    SegmentValues nte("NTE");
    reverse_segment(segment_map("NTE[ServiceRequest]"), one, nte);
    if (nte.size() == 0) continue;
    // NTE-6 -> note.time (the note's item belongs to NTE-3 in reverse_map.cpp).
    if (const auto time = note.FindMember("time");
        time != note.MemberEnd() && time->value.IsString()) {
      nte.set(Position{6}, v2_from_fhir(time->value.GetString(), "dateTime"));
    }
    nte.put(Position{1}, std::to_string(++set_id));  // NTE-1 set id: no map row
    append(b, nte);
  }
}

}  // namespace

std::vector<std::string> adt_events() {
  std::vector<std::string> out;
  const to_fhir::ConceptMapTable* structures = to_fhir::find_concept_map("MessageStructure");
  if (structures == nullptr) return out;
  for (const to_fhir::ConceptRow& row : structures->rows) {
    if (row.v2_code != "ADT_A01") continue;
    std::string_view events = row.v2_text;  // "A01, A04, A08, A13"
    while (!events.empty()) {
      const std::size_t comma = events.find(',');
      std::string_view one = events.substr(0, comma);
      while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
      while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
      if (!one.empty()) out.emplace_back(one);
      events.remove_prefix(comma == std::string_view::npos ? events.size() : comma + 1);
    }
  }
  return out;
}

Result<std::string> render_adt(std::string_view event, std::string_view patient,
                               std::string_view encounter, const MessageHeaderValues& header) {
  const std::vector<std::string> events = adt_events();
  bool known = false;
  std::string listed;
  for (const std::string& e : events) {
    known = known || e == event;
    listed += (listed.empty() ? "" : ", ") + e;
  }
  if (!known) {
    return Status(
        Code::kInvalidArgument,
        "event '" + std::string(event) + "' cannot be rendered (supported: " + listed + ")",
        "event");
  }
  HEARTH_ASSIGN_OR_RETURN(rapidjson::Document p, parse_resource(patient, "Patient"));
  MessageBuilder b;
  write_msh(b, "ADT", event, "ADT_A01", header);
  // EVN-1 the event (backwards compatible in 2.5.1), EVN-2 recorded: EVN[Provenance] row EVN-2
  // -> Provenance.recorded; the message is recorded as it is rendered.
  b.segment("EVN").field(event).field(v2_from_fhir(header.timestamp, "instant"));
  append(b, pid(p));
  if (!encounter.empty()) {
    HEARTH_ASSIGN_OR_RETURN(rapidjson::Document e, parse_resource(encounter, "Encounter"));
    SegmentValues pv1("PV1");
    pv1.put(Position{1}, "1");  // PV1-1 set id: no map row
    reverse_segment(segment_map("PV1[Encounter]"), e, pv1);
    append(b, pv1);
  }
  return b.finish();
}

Result<std::string> render_oru(std::string_view patient, std::string_view report,
                               const std::vector<std::string>& observations,
                               const MessageHeaderValues& header) {
  return render_oru(OruResources{.patient = patient,
                                 .order = {},
                                 .report = report,
                                 .observations = observations,
                                 .specimens = {}},
                    header);
}

Result<std::string> render_oru(const OruResources& in, const MessageHeaderValues& header) {
  for (const std::vector<std::string>* list : {&in.observations, &in.specimens}) {
    if (list->size() > kMaxObservations) {
      return Status(Code::kInvalidArgument, "the report has " + std::to_string(list->size()) + " " +
                                                (list == &in.specimens ? "specimens" : "results") +
                                                "; at most " + std::to_string(kMaxObservations) +
                                                " are rendered");
    }
  }
  HEARTH_ASSIGN_OR_RETURN(rapidjson::Document r, parse_resource(in.report, "DiagnosticReport"));
  MessageBuilder b;
  write_msh(b, "ORU", "R01", "ORU_R01", header);
  if (!in.patient.empty()) {
    HEARTH_ASSIGN_OR_RETURN(rapidjson::Document p, parse_resource(in.patient, "Patient"));
    append(b, pid(p));
  }
  SegmentValues obr("OBR");
  obr.put(Position{1}, "1");  // OBR-1 set id: no map row
  reverse_segment(segment_map("OBR[DiagnosticReport]"), r, obr);
  if (!in.order.empty()) {
    HEARTH_ASSIGN_OR_RETURN(rapidjson::Document o, parse_resource(in.order, "ServiceRequest"));
    SegmentValues orc("ORC");
    orc.put(Position{1}, "RE");  // ORC-1: observations to follow (the order control of a result)
    reverse_segment(segment_map("ORC[ServiceRequest]"), o, orc);
    // ORC-2 / ORC-3 -> identifier[1] / [2] apply "IF OBR-2 / OBR-3 NOT VALUED", which does not
    // read backwards: the placer and filler numbers are OBR-2 and OBR-3's, as v2 repeats them.
    for (const int field : {2, 3}) orc.copy_repetition(obr, field, 1, 1);
    append(b, orc);
  }
  append(b, obr);
  int set_id = 0;
  for (const std::string& body : in.observations) {
    HEARTH_ASSIGN_OR_RETURN(rapidjson::Document o, parse_resource(body, "Observation"));
    append(b, obx(o, ++set_id));
    append_notes(b, o);
  }
  int specimen_id = 0;
  for (const std::string& body : in.specimens) {
    HEARTH_ASSIGN_OR_RETURN(rapidjson::Document s, parse_resource(body, "Specimen"));
    SegmentValues spm("SPM");
    spm.put(Position{1}, std::to_string(++specimen_id));  // SPM-1 set id: no map row
    reverse_segment(segment_map("SPM[Specimen]"), s, spm);
    append(b, spm);
  }
  return b.finish();
}

}  // namespace hearth::hl7::to_v2
