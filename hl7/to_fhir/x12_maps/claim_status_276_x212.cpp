// 276 Health Care Claim Status Request (005010X212) -> one Task per claim asked about (2200D,
// 2200E), as FHIR R4's financial examples check a claim's status (Task.code `status` of
// financialtaskcode, focus the claim): Da Vinci PAS's Claim $inquire is the 278 prior
// authorization inquiry, not the 276. Task.focus names the 837's Claim by its identity (REF*EJ
// under the provider's NPI); the trace number (TRN02, under the receiver's id) is the Task's
// identity. The parties of kClaimStatusParties come first. docs/mapping/x12-to-fhir.md has the
// table in prose.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const MapSource k276 = {"276", "005010X212", kClaimStatusParties, R"(
resource task Task 2200D|2200E update

const task status requested
const task intent order
const task code.coding[1].system http://terminology.hl7.org/CodeSystem/financialtaskcode
const task code.coding[1].code status
value task HDR/BHT 4 authoredOn date
value task 2200D|2200E/TRN 2 identifier[1].value
copy task identifier[1].system receiver identifier[1].value urn:hearth:x12:claim-status-trace:
value task 2200D|2200E/REF[1=EJ] 2 focus.identifier.value
copy task focus.identifier.system provider identifier[1].value urn:hearth:x12:patient-control-number:
copy task focus.identifier.system provider_person identifier[1].value urn:hearth:x12:patient-control-number:
value task 2200D|2200E/REF[1=1K] 2 identifier[2].value
copy task identifier[2].system payer identifier[1].value urn:hearth:x12:payer-claim-control-number:
ref task for dependent|subscriber
ref task requester provider|provider_person
ref task owner payer
value task 2200D|2200E/AMT[1=T3] 2 input[1].type.text const:claim-total-charge
value task 2200D|2200E/AMT[1=T3] 2 input[1].valueMoney.value decimal
value task 2200D|2200E/AMT[1=T3] 2 input[1].valueMoney.currency const:USD
value task 2200D|2200E/DTP[1=472] 3 input[2].type.text const:service-period
value task 2200D|2200E/DTP[1=472;2=D8] 3 input[2].valuePeriod.start date
value task 2200D|2200E/DTP[1=472;2=D8] 3 input[2].valuePeriod.end date
value task 2200D|2200E/DTP[1=472;2=RD8] 3 input[2].valuePeriod.start period-start
value task 2200D|2200E/DTP[1=472;2=RD8] 3 input[2].valuePeriod.end period-end
)"};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
