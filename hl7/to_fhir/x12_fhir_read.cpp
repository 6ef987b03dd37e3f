// The shared reading and envelope helpers of the outbound X12 writers (x12_fhir_read.h).
#include "hl7/to_fhir/x12_fhir_read.h"

namespace hearth::hl7::to_fhir::x12_out {

using fhir::JsonValue;

const JsonValue* at(const JsonValue* v, std::string_view name) {
  if (v == nullptr || !v->IsObject()) return nullptr;
  auto m = v->FindMember(rapidjson::StringRef(name.data(), name.size()));
  return m == v->MemberEnd() ? nullptr : &m->value;
}

const JsonValue* nth(const JsonValue* v, std::size_t i) {
  if (v == nullptr || !v->IsArray() || i >= v->Size()) return nullptr;
  return &(*v)[static_cast<rapidjson::SizeType>(i)];
}

std::string_view text(const JsonValue* v) {
  if (v == nullptr) return {};
  if (fhir::is_json_string(*v)) return fhir::json_string(*v);
  if (fhir::is_json_number(*v)) return fhir::json_number_text(*v);
  return {};
}

std::string_view identifier(const JsonValue* resource, std::string_view system, bool prefix) {
  const JsonValue* ids = at(resource, "identifier");
  for (std::size_t i = 0; nth(ids, i) != nullptr; ++i) {
    const std::string_view s = text(nth(ids, i), "system");
    if (prefix ? s.starts_with(system) : s == system) return text(nth(ids, i), "value");
  }
  return {};
}

std::pair<std::string_view, std::string_view> coding(const JsonValue* codeable) {
  const JsonValue* c = nth(at(codeable, "coding"), 0);
  return {text(c, "code"), text(c, "system")};
}

std::string d8(std::string_view date) {
  if (date.size() < 10 || date[4] != '-' || date[7] != '-') return {};
  return std::string(date.substr(0, 4)) + std::string(date.substr(5, 2)) +
         std::string(date.substr(8, 2));
}

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s.substr(0, width));
  out.resize(width, ' ');
  return out;
}

bool envelope_fits(const Envelope& envelope) {
  return envelope.control_number.size() == 9 && envelope.date.size() == 8 &&
         envelope.time.size() == 4 && envelope.sender.size() <= 15 &&
         envelope.receiver.size() <= 15;
}

void open_interchange(x12::SegmentWriter& w, const Envelope& envelope, std::string_view receiver,
                      std::string_view functional_id, std::string_view version) {
  w.segment({"ISA", "00", pad("", 10), "00", pad("", 10), pad(envelope.sender_qualifier, 2),
             pad(envelope.sender, 15), pad(envelope.receiver_qualifier, 2), pad(receiver, 15),
             envelope.date.substr(2), envelope.time, "^", "00501", envelope.control_number, "0",
             std::string(1, envelope.usage), ":"});
  w.segment({"GS", functional_id, envelope.sender, receiver, envelope.date, envelope.time, "1", "X",
             version});
  w.reset_count();
}

void close_interchange(x12::SegmentWriter& w, const Envelope& envelope) {
  w.segment({"SE", std::to_string(w.count() + 1), "0001"});
  w.segment({"GE", "1", "1"});
  w.segment({"IEA", "1", envelope.control_number});
}

void person(x12::SegmentWriter& w, std::string_view entity, const JsonValue* p,
            std::string_view member_id) {
  const JsonValue* name = nth(at(p, "name"), 0);
  const JsonValue* given = at(name, "given");
  w.segment({"NM1", entity, "1", text(name, "family"), text(nth(given, 0)), text(nth(given, 1)), "",
             text(nth(at(name, "suffix"), 0)), member_id.empty() ? "" : "MI", member_id});
  const JsonValue* address = nth(at(p, "address"), 0);
  if (const std::string_view line = text(nth(at(address, "line"), 0)); !line.empty()) {
    w.segment({"N3", line, text(nth(at(address, "line"), 1))});
    w.segment({"N4", text(address, "city"), text(address, "state"), text(address, "postalCode")});
  }
  const std::string birth = d8(text(p, "birthDate"));
  const std::string_view gender = text(p, "gender");
  const std::string_view code = gender == "male"     ? "M"
                                : gender == "female" ? "F"
                                : gender.empty()     ? ""
                                                     : "U";
  if (!birth.empty()) w.segment({"DMG", "D8", birth, code});
}

const fhir::JsonValue* focal_insurance(const fhir::JsonValue* insurances) {
  for (std::size_t i = 0; nth(insurances, i) != nullptr; ++i) {
    const fhir::JsonValue* focal = at(nth(insurances, i), "focal");
    if (focal != nullptr && focal->IsBool() && focal->GetBool()) return nth(insurances, i);
  }
  return nth(insurances, 0);
}

}  // namespace hearth::hl7::to_fhir::x12_out
