// Outbound X12: a FHIR R4 CoverageEligibilityRequest and the resources it references -> one 270
// eligibility inquiry (005010X279A1, one group, one transaction set, one subscriber), the inverse
// of the inbound 270 map (x12_maps/eligibility_270_x279a1.cpp, eligibility_parties_x279a1.cpp):
// what that map reads, this writes where it reads it, so a 270 mapped in and written out again
// maps to the same request.
//
// Read from the request: identifier[0] (TRN*1: TRN02 its value, TRN03 what follows
// "urn:hearth:x12:trace-number:" in its system; also BHT03), created (BHT04), servicedDate or
// servicedPeriod (DTP*291 D8 / RD8), item[] (EQ: EQ01 the category's code, EQ02 HC or AD with the
// productOrService code and its first modifier; at most 99), insurer (2100A: name, payer id of
// system urn:hearth:x12:payer-id as PI, else its TIN as FI), provider (2100B, NM1*1P: an
// Organization or a Practitioner, by NPI as XX, else TIN as FI, else the service provider
// number as SV), insurance[focal or first].coverage (subscriberId, else the subscriber's member
// id, as 2100C NM109; relationship as the dependent's INS02), the Coverage's subscriber (2100C;
// else the request's patient) and the patient (2000D/2100D when it is not the subscriber).
// The envelope values come from the caller. Delimiters: * ^ : ~, a line feed after each segment.
//
// Errors: kInvalidArgument naming the element for a request that cannot make a 270: no
// identifier value, a reference that does not resolve (patient, insurer, provider; the coverage
// when given), no member id, an envelope value of the wrong width.
//
// Thread-safety: a pure function; `resolve` is called on the calling thread.
#pragma once

#include <string>

#include "core/status.h"
#include "fhir/json.h"
#include "hl7/to_fhir/x12_claim_writer.h"

namespace hearth::hl7::to_fhir {

Result<std::string> write_270(const fhir::JsonValue& request, const FhirResolver& resolve,
                              const X12Envelope& envelope);

}  // namespace hearth::hl7::to_fhir
