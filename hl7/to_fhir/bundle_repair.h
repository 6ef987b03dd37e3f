// Making a mapped Bundle valid FHIR without inventing data. The IG's maps copy what a message
// holds, and messages leave out what FHIR requires (OBR-25 empty: a DiagnosticReport without
// status) or hold what FHIR forbids (an NK1 with only a relationship breaks pat-1). Hearth stores
// only valid resources, so the Bundle is validated (fhir/validate.h) and each error is met by one
// of, in order:
//   1. a default the v2 standard, the message's event or FHIR gives for an absent required
//      element (kDefaults in bundle_repair.cpp, each with its reason: "unknown" where the
//      element's value set has it, RXA-20 empty meaning complete, an S15 appointment being
//      cancelled, an IN1's beneficiary being the message's patient, ...);
//   2. a ContactPoint without system (cpt-2) gets the system its value shows (phone, email);
//   3. the element in error is left out (an extension with both a value and extensions, a
//      contact without details, a component without its code, a narrative that is not xhtml),
//      or the element holding a missing required child when that holder is not the resource.
// Every repair is reported as a MappingIssue (severity warning, ERR-4 W), so the sender sees
// exactly what was not stored. A supporting resource (an Organization, a Coverage, a Basic, ...)
// that still cannot be made valid is left out with every reference to it. An error none of these
// meets (an Observation without code) is returned: the message is refused.
//
// Thread-safety: none needed (a pure function of its arguments).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "hl7/to_fhir/map_engine.h"

namespace hearth::hl7::to_fhir {

// Validates `bundle` (a transaction Bundle the mapper made; its entries' resources and the
// Bundle's structure, not the Bundle's own invariants: fhir::Invariants::kBelowEnvelope) and
// repairs it in place as above,
// appending one MappingIssue per repair to `repairs`. Returns ok when the Bundle is valid, else
// the validator's Status for what could not be repaired (its issues name the elements).
// `event` is the message's trigger event (MSH-9.2: "S15"), which some defaults depend on.
Status repair_bundle(fhir::JsonDocument& bundle, std::string_view event,
                     std::vector<MappingIssue>& repairs);

// "Bundle.entry[2].resource.status" as "DiagnosticReport.status": a validator expression inside
// a Bundle entry as the expression of that entry's resource, what a reader of an ERR segment or
// an archive note can place; `expression` itself when it is not of that shape.
std::string resource_expression(const fhir::JsonDocument& bundle, std::string_view expression);

}  // namespace hearth::hl7::to_fhir
