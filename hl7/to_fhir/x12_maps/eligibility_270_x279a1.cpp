// 270 Health Care Eligibility Benefit Inquiry (005010X279A1) -> one CoverageEligibilityRequest per
// subscriber level (2000C) about the dependent when one is named (2000D), else the subscriber; an
// item per EQ (service type codes of X12 element 1365); the parties of kEligibilityParties come
// first. The trace number (TRN*1) is its identity, so a resent inquiry updates the earlier one and
// a 271's TRN*2 names it. docs/mapping/x12-to-fhir.md has the table in prose.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const MapSource k270 = {"270", "005010X279A1", kEligibilityParties, R"(
resource request CoverageEligibilityRequest 2000C update

lookup procedure-system HC=http://www.ama-assn.org/go/cpt AD=http://www.ada.org/cdt

const request status active
const request purpose[1] benefits
value request HDR/BHT 4 created date
value request 2000C|2000D/TRN[1=1] 2 identifier[1].value
value request 2000C|2000D/TRN[1=1] 3 identifier[1].system prefix:urn:hearth:x12:trace-number:
ref request patient dependent|subscriber
ref request insurer payer
ref request provider receiver|receiver_person
const request insurance[1].focal true
ref request insurance[1].coverage coverage
value request 2100C|2100D/DTP[1=291;2=D8] 3 servicedDate date
value request 2100C|2100D/DTP[1=291;2=RD8] 3 servicedPeriod.start period-start
value request 2100C|2100D/DTP[1=291;2=RD8] 3 servicedPeriod.end period-end
value request 2110C|2110D/EQ 1.1 item[$].category.coding[1].system const:https://codesystem.x12.org/005010/1365
value request 2110C|2110D/EQ 1.1 item[$].category.coding[1].code
value request 2110C|2110D/EQ 2.1 item[$].productOrService.coding[1].system lookup:procedure-system
value request 2110C|2110D/EQ 2.2 item[$].productOrService.coding[1].code
value request 2110C|2110D/EQ 2.3 item[$].modifier[1].coding[1].code
)"};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
