// CoverageEligibilityRequest -> 270 (x12_eligibility_writer.h): reads the request and its
// references as JSON and writes the segments in the guide's order.
#include "hl7/to_fhir/x12_eligibility_writer.h"

#include <utility>

#include "hl7/to_fhir/x12_fhir_read.h"
#include "hl7/x12/segment_writer.h"

namespace hearth::hl7::to_fhir {
namespace {

using fhir::JsonValue;
using namespace x12_out;  // NOLINT(google-build-using-namespace): the writer's own vocabulary

constexpr std::string_view kTracePrefix = "urn:hearth:x12:trace-number:";
constexpr std::string_view kServiceProvider = "urn:hearth:x12:service-provider-number";
constexpr std::string_view kCdt = "http://www.ada.org/cdt";
constexpr std::size_t kMaxItems = 99;  // EQ repeats at most 99 times in 2110C/2110D

Status invalid(std::string what) {
  return Status(Code::kInvalidArgument, "cannot write a 270: " + std::move(what));
}

// FHIR subscriber-relationship -> INS02 (the inverse of the inbound lookup).
std::string_view relationship_code(std::string_view code) {
  if (code == "spouse") return "01";
  if (code == "child") return "19";
  if (code == "self") return "18";
  return code.empty() ? "" : "G8";
}

// The TRN*1 of the inquiry, DTP*291 and the EQs: what 2000C or 2000D carries about the patient.
void inquiry(x12::SegmentWriter& w, const JsonValue& request, std::size_t items) {
  const JsonValue* served = at(&request, "servicedPeriod");
  if (const std::string date = d8(text(&request, "servicedDate")); !date.empty()) {
    w.segment({"DTP", "291", "D8", date});
  } else if (served != nullptr) {
    const std::string start = d8(text(served, "start")), end = d8(text(served, "end"));
    if (!start.empty() && !end.empty()) w.segment({"DTP", "291", "RD8", start + "-" + end});
  }
  for (std::size_t i = 0; i < items; ++i) {
    const JsonValue* item = nth(at(&request, "item"), i);
    const auto [code, system] = coding(at(item, "productOrService"));
    const std::string_view qualifier = code.empty() ? "" : (system == kCdt ? "AD" : "HC");
    w.segment({"EQ", coding(at(item, "category")).first,
               w.composite({qualifier, code, coding(nth(at(item, "modifier"), 0)).first})});
  }
}

void trace(x12::SegmentWriter& w, std::string_view value, std::string_view system) {
  w.segment({"TRN", "1", value,
             system.starts_with(kTracePrefix) ? system.substr(kTracePrefix.size()) : ""});
}

}  // namespace

Result<std::string> write_270(const JsonValue& request, const FhirResolver& resolve,
                              const X12Envelope& envelope) {
  auto follow = [&resolve](const JsonValue* reference) -> const JsonValue* {
    const std::string_view ref = text(reference, "reference");
    return ref.empty() ? nullptr : resolve(ref);
  };
  const JsonValue* id = nth(at(&request, "identifier"), 0);
  const std::string_view trace_value = text(id, "value");
  if (trace_value.empty()) return invalid("CoverageEligibilityRequest.identifier[0] is missing");
  const JsonValue* patient = follow(at(&request, "patient"));
  if (patient == nullptr) return invalid("CoverageEligibilityRequest.patient does not resolve");
  const JsonValue* payer = follow(at(&request, "insurer"));
  if (payer == nullptr) return invalid("CoverageEligibilityRequest.insurer does not resolve");
  const JsonValue* provider = follow(at(&request, "provider"));
  if (provider == nullptr) return invalid("CoverageEligibilityRequest.provider does not resolve");
  const JsonValue* insurance = focal_insurance(at(&request, "insurance"));
  const JsonValue* coverage = nullptr;
  if (at(insurance, "coverage") != nullptr) {
    coverage = follow(at(insurance, "coverage"));
    if (coverage == nullptr) {
      return invalid("CoverageEligibilityRequest.insurance.coverage does not resolve");
    }
  }
  const JsonValue* subscriber = follow(at(coverage, "subscriber"));
  if (subscriber == nullptr) subscriber = patient;
  std::string_view member_id = text(coverage, "subscriberId");
  if (member_id.empty()) member_id = identifier(subscriber, kMemberIdPrefix, true);
  if (member_id.empty()) {
    return invalid("no member id (Coverage.subscriberId or the subscriber's member id)");
  }
  const JsonValue* items = at(&request, "item");
  const std::size_t item_count = items != nullptr && items->IsArray() ? items->Size() : 0;
  if (item_count > kMaxItems) {
    return invalid("CoverageEligibilityRequest.item has " + std::to_string(item_count) +
                   " items, at most " + std::to_string(kMaxItems));
  }
  if (!envelope_fits(envelope)) {
    return invalid("the envelope's control number, date, time or ids have the wrong width");
  }

  const std::string_view payer_id = identifier(payer, kPayerId);
  const std::string_view payer_tin = identifier(payer, kTin);
  const std::string_view receiver = envelope.receiver.empty() ? payer_id : envelope.receiver;
  x12::SegmentWriter w(x12::Delimiters{'*', '^', ':', '~'});
  open_interchange(w, envelope, receiver, "HS", "005010X279A1");
  w.segment({"ST", "270", "0001", "005010X279A1"});
  w.segment({"BHT", "0022", "13", trace_value, d8(text(&request, "created")), envelope.time});

  // 2000A/2100A information source (the payer).
  w.segment({"HL", "1", "", "20", "1"});
  w.segment({"NM1", "PR", "2", text(payer, "name"), "", "", "", "",
             !payer_id.empty() ? "PI" : (payer_tin.empty() ? "" : "FI"),
             !payer_id.empty() ? payer_id : payer_tin});

  // 2000B/2100B information receiver (the provider).
  w.segment({"HL", "2", "1", "21", "1"});
  std::string_view qualifier = "XX";
  std::string_view provider_id = identifier(provider, kNpi);
  if (provider_id.empty()) {
    qualifier = "FI";
    provider_id = identifier(provider, kTin);
  }
  if (provider_id.empty()) {
    qualifier = "SV";
    provider_id = identifier(provider, kServiceProvider);
  }
  if (provider_id.empty()) qualifier = "";
  if (text(provider, "resourceType") == "Practitioner") {
    const JsonValue* name = nth(at(provider, "name"), 0);
    w.segment({"NM1", "1P", "1", text(name, "family"), text(nth(at(name, "given"), 0)), "", "", "",
               qualifier, provider_id});
  } else {
    w.segment({"NM1", "1P", "2", text(provider, "name"), "", "", "", "", qualifier, provider_id});
  }

  // 2000C/2100C subscriber; 2000D/2100D the patient when another person.
  const bool dependent = patient != subscriber;
  w.segment({"HL", "3", "2", "22", dependent ? "1" : "0"});
  const std::string_view trace_system = text(id, "system");
  if (!dependent) trace(w, trace_value, trace_system);
  person(w, "IL", subscriber, member_id);
  if (!dependent) {
    inquiry(w, request, item_count);
  } else {
    w.segment({"HL", "4", "3", "23", "0"});
    trace(w, trace_value, trace_system);
    person(w, "03", patient, "");
    const std::string_view relationship =
        relationship_code(coding(at(coverage, "relationship")).first);
    if (!relationship.empty()) w.segment({"INS", "N", relationship});
    inquiry(w, request, item_count);
  }
  close_interchange(w, envelope);
  return w.take();
}

}  // namespace hearth::hl7::to_fhir
