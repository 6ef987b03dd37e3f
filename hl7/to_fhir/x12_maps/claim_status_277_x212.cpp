// 277 Health Care Claim Status Response (005010X212) -> one ClaimResponse per claim reported
// (2200D, 2200E): each STC a header adjudication (category: the status category code, X12
// element 507; reason: the status code, 508), STC04/STC05 the submitted and paid totals, service
// lines (2220D/E) items with their own STCs. Identity: the payer's claim control number (REF*1K,
// as the 835's ExplanationOfBenefit); `request` names the 837's Claim by its identity (REF*EJ
// under the provider's NPI). Outcome from the last status category: F* complete, A*/P* queued
// (A3/A4/A6-A8, D0, E* error), R* partial. The parties of kClaimStatusParties come first.
// docs/mapping/x12-to-fhir.md has the table in prose.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const MapSource k277 = {"277", "005010X212", kClaimStatusParties, R"(
resource response ClaimResponse 2200D|2200E update

lookup outcome A0=queued A1=queued A2=queued A3=error A4=error A5=queued A6=error A7=error A8=error D0=error E0=error E1=error E2=error E3=error E4=error F0=complete F1=complete F2=complete F3=complete F3F=complete F3N=complete F4=complete P0=queued P1=queued P2=queued P3=queued P4=queued P5=queued R0=partial R1=partial R3=partial R4=partial R5=partial R6=partial R7=partial R8=partial R9=partial R10=partial R11=partial R12=partial R13=partial R14=partial R15=partial R16=partial RQ=partial

const response status active
const response type.text X12-277-claim-status
const response use claim
value response HDR/BHT 4 created date
value response 2200D|2200E/REF[1=1K] 2 identifier[1].value
copy response identifier[1].system payer identifier[1].value urn:hearth:x12:payer-claim-control-number:
value response 2200D|2200E/TRN 2 identifier[2].value
copy response identifier[2].system receiver identifier[1].value urn:hearth:x12:claim-status-trace:
value response 2200D|2200E/REF[1=EJ] 2 request.identifier.value
copy response request.identifier.system provider identifier[1].value urn:hearth:x12:patient-control-number:
copy response request.identifier.system provider_person identifier[1].value urn:hearth:x12:patient-control-number:
ref response patient dependent|subscriber
ref response insurer payer
ref response requestor provider|provider_person
value response 2200D|2200E/STC 1.1 outcome lookup:outcome
default response outcome complete
value response 2200D|2200E/STC 1.1 adjudication[$].category.coding[1].system const:https://codesystem.x12.org/005010/507
value response 2200D|2200E/STC 1.1 adjudication[$].category.coding[1].code
value response 2200D|2200E/STC 1.2 adjudication[$].reason.coding[1].system const:https://codesystem.x12.org/005010/508
value response 2200D|2200E/STC 1.2 adjudication[$].reason.coding[1].code
value response 2200D|2200E/STC 4 total[1].category.coding[1].system const:http://terminology.hl7.org/CodeSystem/adjudication
value response 2200D|2200E/STC 4 total[1].category.coding[1].code const:submitted
value response 2200D|2200E/STC 4 total[1].amount.value decimal
value response 2200D|2200E/STC 4 total[1].amount.currency const:USD
value response 2200D|2200E/STC 5 total[2].category.coding[1].system const:http://terminology.hl7.org/CodeSystem/adjudication
value response 2200D|2200E/STC 5 total[2].category.coding[1].code const:benefit
value response 2200D|2200E/STC 5 total[2].amount.value decimal
value response 2200D|2200E/STC 5 total[2].amount.currency const:USD
value response 2220D|2220E/SVC 1 item[@2220D|2220E].itemSequence pos
value response 2220D|2220E/STC 1.1 item[@2220D|2220E].adjudication[$].category.coding[1].system const:https://codesystem.x12.org/005010/507
value response 2220D|2220E/STC 1.1 item[@2220D|2220E].adjudication[$].category.coding[1].code
value response 2220D|2220E/STC 1.2 item[@2220D|2220E].adjudication[$].reason.coding[1].system const:https://codesystem.x12.org/005010/508
value response 2220D|2220E/STC 1.2 item[@2220D|2220E].adjudication[$].reason.coding[1].code
)"};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
