// Claim -> 837P (x12_claim_writer.h): reads the Claim and its references as JSON and writes the
// segments in the guide's order through the X12 segment writer.
#include "hl7/to_fhir/x12_claim_writer.h"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "hl7/to_fhir/x12_fhir_read.h"
#include "hl7/x12/segment_writer.h"

namespace hearth::hl7::to_fhir {
namespace {

using fhir::JsonValue;
using namespace x12_out;  // NOLINT(google-build-using-namespace): the writer's own vocabulary

constexpr std::string_view kIcd9 = "http://hl7.org/fhir/sid/icd-9-cm";

Status invalid(std::string what) {
  return Status(Code::kInvalidArgument, "cannot write an 837P: " + std::move(what));
}

}  // namespace

Result<std::string> write_837p(const JsonValue& claim, const FhirResolver& resolve,
                               const X12Envelope& envelope) {
  auto follow = [&resolve](const JsonValue* reference) -> const JsonValue* {
    const std::string_view ref = text(reference, "reference");
    return ref.empty() ? nullptr : resolve(ref);
  };
  const std::string_view claim_id = text(nth(at(&claim, "identifier"), 0), "value");
  if (claim_id.empty()) return invalid("Claim.identifier[0].value is missing");
  const JsonValue* patient = follow(at(&claim, "patient"));
  if (patient == nullptr) return invalid("Claim.patient does not resolve");
  const JsonValue* billing = follow(at(&claim, "provider"));
  if (billing == nullptr) return invalid("Claim.provider does not resolve");
  const JsonValue* payer = follow(at(&claim, "insurer"));
  if (payer == nullptr) return invalid("Claim.insurer does not resolve");
  const JsonValue* insurance = focal_insurance(at(&claim, "insurance"));
  const JsonValue* coverage = nullptr;
  if (at(insurance, "coverage") != nullptr) {
    coverage = follow(at(insurance, "coverage"));
    if (coverage == nullptr) return invalid("Claim.insurance.coverage does not resolve");
  }
  const JsonValue* subscriber = follow(at(coverage, "subscriber"));
  if (subscriber == nullptr) subscriber = patient;
  const JsonValue* items = at(&claim, "item");
  if (nth(items, 0) == nullptr) return invalid("Claim.item is empty");
  if (!envelope_fits(envelope)) {
    return invalid("the envelope's control number, date, time or ids have the wrong width");
  }

  const std::string_view payer_id = identifier(payer, kPayerId);
  const std::string_view receiver = envelope.receiver.empty() ? payer_id : envelope.receiver;
  x12::SegmentWriter w(x12::Delimiters{'*', '^', ':', '~'});
  open_interchange(w, envelope, receiver, "HC", "005010X222A1");
  w.segment({"ST", "837", "0001", "005010X222A1"});
  w.segment({"BHT", "0019", "00", claim_id, d8(text(&claim, "created")), envelope.time, "CH"});

  // 1000A submitter and 1000B receiver; 2000A/2010AA billing provider.
  const std::string_view billing_name = text(billing, "name");
  w.segment({"NM1", "41", "2", billing_name, "", "", "", "", "46", envelope.sender});
  std::string_view phone;
  for (std::size_t i = 0; nth(at(billing, "telecom"), i) != nullptr; ++i) {
    const JsonValue* t = nth(at(billing, "telecom"), i);
    if (text(t, "system") == "phone") phone = text(t, "value");
  }
  w.segment({"PER", "IC", billing_name, phone.empty() ? "" : "TE", phone});
  w.segment({"NM1", "40", "2", text(payer, "name"), "", "", "", "", "46", receiver});
  w.segment({"HL", "1", "", "20", "1"});
  const std::string_view npi = identifier(billing, kNpi);
  w.segment({"NM1", "85", "2", billing_name, "", "", "", "", npi.empty() ? "" : "XX", npi});
  const JsonValue* address = nth(at(billing, "address"), 0);
  w.segment({"N3", text(nth(at(address, "line"), 0)), text(nth(at(address, "line"), 1))});
  w.segment({"N4", text(address, "city"), text(address, "state"), text(address, "postalCode")});
  if (const std::string_view tin = identifier(billing, kTin); !tin.empty()) {
    w.segment({"REF", "EI", tin});
  }

  // 2000B subscriber, 2010BA, 2010BB payer; 2000C patient when another person.
  const bool dependent = patient != subscriber;
  w.segment({"HL", "2", "1", "22", dependent ? "1" : "0"});
  const bool self = coding(at(coverage, "relationship")).first == "self" || !dependent;
  std::string_view group;
  for (std::size_t i = 0; nth(at(coverage, "class"), i) != nullptr; ++i) {
    const JsonValue* c = nth(at(coverage, "class"), i);
    if (coding(at(c, "type")).first == "group") group = text(c, "value");
  }
  w.segment({"SBR", "P", self ? "18" : "", group, "", "", "", "", "", "CI"});
  std::string_view member_id = text(coverage, "subscriberId");
  if (member_id.empty()) member_id = identifier(subscriber, "urn:hearth:x12:member-id:", true);
  person(w, "IL", subscriber, member_id);
  w.segment({"NM1", "PR", "2", text(payer, "name"), "", "", "", "", payer_id.empty() ? "" : "PI",
             payer_id});
  if (dependent) {
    w.segment({"HL", "3", "2", "23", "0"});
    w.segment({"PAT", "G8"});
    person(w, "QC", patient, "");
  }

  // 2300 claim.
  const JsonValue* first_item = nth(items, 0);
  std::string_view place = coding(at(first_item, "locationCodeableConcept")).first;
  if (place.empty()) place = "11";
  w.segment({"CLM", claim_id, text(at(&claim, "total"), "value"), "", "",
             w.composite({place, "B", "1"}), "Y", "A", "Y", "Y"});
  if (const std::string_view auth = text(nth(at(insurance, "preAuthRef"), 0)); !auth.empty()) {
    w.segment({"REF", "G1", auth});
  }
  std::vector<std::pair<int, const JsonValue*>> diagnoses;
  for (std::size_t i = 0; nth(at(&claim, "diagnosis"), i) != nullptr; ++i) {
    const JsonValue* d = nth(at(&claim, "diagnosis"), i);
    const std::string_view seq = text(d, "sequence");
    int n = static_cast<int>(i) + 1;
    std::from_chars(seq.data(), seq.data() + seq.size(), n);  // unchanged when not a number
    diagnoses.emplace_back(n, d);
  }
  std::stable_sort(diagnoses.begin(), diagnoses.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<x12::Composite> hi;
  for (const auto& [seq, d] : diagnoses) {
    const auto [code, system] = coding(at(d, "diagnosisCodeableConcept"));
    if (code.empty() || hi.size() == 12) continue;
    const bool icd9 = system == kIcd9;
    const std::string_view qualifier = hi.empty() ? (icd9 ? "BK" : "ABK") : (icd9 ? "BF" : "ABF");
    hi.push_back(w.composite({qualifier, code}));
  }
  if (!hi.empty()) {
    std::vector<x12::ElementText> elements = {"HI"};
    for (const x12::Composite& c : hi) elements.emplace_back(c);
    w.segment(elements);
  }
  const JsonValue* rendering = follow(at(nth(at(&claim, "careTeam"), 0), "provider"));
  if (rendering != nullptr && text(rendering, "resourceType") == "Practitioner") {
    const JsonValue* name = nth(at(rendering, "name"), 0);
    const std::string_view rendering_npi = identifier(rendering, kNpi);
    w.segment({"NM1", "82", "1", text(name, "family"), text(nth(at(name, "given"), 0)), "", "", "",
               rendering_npi.empty() ? "" : "XX", rendering_npi});
  }

  // 2400 service lines.
  for (std::size_t i = 0; nth(items, i) != nullptr; ++i) {
    const JsonValue* item = nth(items, i);
    const std::string_view code = coding(at(item, "productOrService")).first;
    const std::string_view net = text(at(item, "net"), "value");
    if (code.empty() || net.empty()) {
      return invalid("Claim.item[" + std::to_string(i) + "] has no productOrService code or net");
    }
    const JsonValue* modifiers = at(item, "modifier");
    auto modifier = [&](std::size_t k) { return coding(nth(modifiers, k)).first; };
    const JsonValue* pointers = at(item, "diagnosisSequence");
    std::string_view unit = text(at(item, "quantity"), "unit");
    std::string_view quantity = text(at(item, "quantity"), "value");
    w.segment({"LX", std::to_string(i + 1)});
    w.segment({"SV1", w.composite({"HC", code, modifier(0), modifier(1), modifier(2), modifier(3)}),
               net, unit.empty() ? "UN" : unit, quantity.empty() ? "1" : quantity,
               coding(at(item, "locationCodeableConcept")).first, "",
               w.composite({text(nth(pointers, 0)), text(nth(pointers, 1)), text(nth(pointers, 2)),
                            text(nth(pointers, 3))})});
    if (const std::string date = d8(text(item, "servicedDate")); !date.empty()) {
      w.segment({"DTP", "472", "D8", date});
    } else if (const JsonValue* period = at(item, "servicedPeriod"); period != nullptr) {
      const std::string start = d8(text(period, "start")), end = d8(text(period, "end"));
      if (!start.empty() && !end.empty()) w.segment({"DTP", "472", "RD8", start + "-" + end});
    }
  }
  close_interchange(w, envelope);
  return w.take();
}

}  // namespace hearth::hl7::to_fhir
