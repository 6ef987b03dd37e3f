// Reading the FHIR JSON an outbound X12 writer turns into segments (x12_claim_writer.h,
// x12_eligibility_writer.h): members and array items that may be absent, a string's or number's
// text, identifiers by system, FHIR dates as X12 D8, and the parts every outbound interchange
// shares (the ISA/GS opening, a person's NM1/N3/N4/DMG). A missing member reads as "" or nullptr,
// never as an error: the writers decide what is required.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "fhir/json.h"
#include "hl7/x12/segment_writer.h"

namespace hearth::hl7::to_fhir::x12_out {

inline constexpr std::string_view kNpi = "http://hl7.org/fhir/sid/us-npi";
inline constexpr std::string_view kTin = "urn:oid:2.16.840.1.113883.4.4";
inline constexpr std::string_view kPayerId = "urn:hearth:x12:payer-id";
inline constexpr std::string_view kMemberIdPrefix = "urn:hearth:x12:member-id:";

// Member `name` of an object, item `i` of an array; nullptr when absent or of another kind.
const fhir::JsonValue* at(const fhir::JsonValue* v, std::string_view name);
const fhir::JsonValue* nth(const fhir::JsonValue* v, std::size_t i);

// A string or number's text; "" otherwise.
std::string_view text(const fhir::JsonValue* v);
inline std::string_view text(const fhir::JsonValue* v, std::string_view name) {
  return text(at(v, name));
}

// The value of the first identifier whose system is `system` (or starts with it, `prefix`).
std::string_view identifier(const fhir::JsonValue* resource, std::string_view system,
                            bool prefix = false);

// The `insurance` item marked focal (Claim and CoverageEligibilityRequest alike), else the first;
// nullptr when there is none.
const fhir::JsonValue* focal_insurance(const fhir::JsonValue* insurances);

// The first coding's (code, system) of a CodeableConcept.
std::pair<std::string_view, std::string_view> coding(const fhir::JsonValue* codeable);

// YYYY-MM-DD... -> CCYYMMDD; "" when it is not a full date.
std::string d8(std::string_view date);

// `s` cut or padded with spaces to `width`.
std::string pad(std::string_view s, std::size_t width);

// The envelope values a writer is given (by the caller: the ids, the control number, the clock).
struct Envelope {
  std::string sender_qualifier = "ZZ", sender = "HEARTH";  // ISA05/06 (GS02)
  std::string receiver_qualifier = "ZZ", receiver;         // ISA07/08 (GS03); "": the payer id
  std::string control_number = "000000001";                // ISA13, IEA02: 9 digits
  std::string date = "20260101";                           // GS04 CCYYMMDD (ISA09: its last 6)
  std::string time = "1200";                               // HHMM
  char usage = 'P';                                        // ISA15
};

// True when the envelope's values fit their elements (control number 9 digits wide, date 8,
// time 4, ids at most 15).
bool envelope_fits(const Envelope& envelope);

// ISA and GS (GS01 `functional_id`, GS08 `version`) with the delimiters * ^ : ~; the writer's
// segment count is reset after them, for the ST that follows.
void open_interchange(x12::SegmentWriter& w, const Envelope& envelope, std::string_view receiver,
                      std::string_view functional_id, std::string_view version);
// SE (counting from ST), GE and IEA of a one-set, one-group interchange.
void close_interchange(x12::SegmentWriter& w, const Envelope& envelope);

// A person as NM1 (entity code `entity`, name, member id with MI when given), N3/N4 (first
// address, when it has a line) and DMG (birth date and gender, when the birth date is full).
void person(x12::SegmentWriter& w, std::string_view entity, const fhir::JsonValue* p,
            std::string_view member_id);

}  // namespace hearth::hl7::to_fhir::x12_out
