// Outbound X12: a FHIR R4 Claim and the resources it references -> one 837P interchange
// (005010X222A1, one group, one transaction set, one claim), the inverse of the inbound 837P map
// (x12_maps/claim_837p_x222a1.cpp, parties_837.cpp): what that map reads, this writes where it
// reads it, so an 837P mapped in and written out again maps to the same Claim.
//
// Read from the Claim: identifier[0] (CLM01, BHT03), created (BHT04), total (CLM02),
// insurance[focal or first].preAuthRef[0] (REF*G1), diagnosis by sequence (HI: ABK/ABF for
// ICD-10-CM, BK/BF for ICD-9-CM, at most 12), careTeam[0].provider (2310B, a Practitioner),
// item[] (LX, SV1: HC code and up to 4 modifiers, net, quantity unit (UN when absent) and value
// (1 when absent), location (CMS place of service), diagnosisSequence up to 4; DTP*472 from
// servicedDate or servicedPeriod). From its references: provider (2010AA and the submitter,
// 1000A: name, NPI, TIN, address, phone), insurer (2010BB and 1000B: name, payer id of system
// urn:hearth:x12:payer-id), insurance.coverage (2000B SBR: subscriber, relationship `self`,
// class `group`; subscriberId), the Coverage's subscriber (2010BA; else the Claim's patient) and
// the Claim's patient (2010CA in a 2000C when it is not the subscriber). The envelope values
// come from the caller. Delimiters: * ^ : ~, a line feed after each segment.
//
// Errors: kInvalidArgument naming the element for a Claim that cannot make an 837P: no
// identifier value, a reference that does not resolve (patient, provider, insurer; coverage
// when given), no item, an item without a code or net amount, an envelope value of the wrong
// width.
//
// Thread-safety: a pure function; `resolve` is called on the calling thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "fhir/json.h"
#include "hl7/to_fhir/x12_fhir_read.h"

namespace hearth::hl7::to_fhir {

using X12Envelope = x12_out::Envelope;

// The resource a reference ("Patient/1", "urn:uuid:...") names, nullptr when unknown.
using FhirResolver = std::function<const fhir::JsonValue*(std::string_view reference)>;

Result<std::string> write_837p(const fhir::JsonValue& claim, const FhirResolver& resolve,
                               const X12Envelope& envelope);

}  // namespace hearth::hl7::to_fhir
