// 271 Health Care Eligibility Benefit Response (005010X279A1) -> one CoverageEligibilityResponse
// per subscriber level (2000C) about the dependent when one is named, else the subscriber: each
// EB an insurance item (its service type, X12 element 1365, or its EB01 meaning as the category;
// EB01 as the benefit type, X12 element 1390, with EB07 money and EB08 percent), AAA rejections
// as errors. `request` names the 270 by the trace number the 271 echoes (TRN*2), which is also the
// response's identity. The parties of kEligibilityParties come first.
// docs/mapping/x12-to-fhir.md has the table in prose.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const MapSource k271 = {"271", "005010X279A1", kEligibilityParties, R"(
resource response CoverageEligibilityResponse 2000C update

lookup eb01-text 1=Active-Coverage 2=Active-Full-Risk-Capitation 3=Active-Services-Capitated 4=Active-Services-Capitated-to-Primary-Care-Physician 5=Active-Pending-Investigation 6=Inactive 7=Inactive-Pending-Eligibility-Update 8=Inactive-Pending-Investigation A=Co-Insurance B=Co-Payment C=Deductible CB=Coverage-Basis D=Benefit-Description E=Exclusions F=Limitations G=Out-of-Pocket-Stop-Loss H=Unlimited I=Non-Covered J=Cost-Containment K=Reserve L=Primary-Care-Provider M=Pre-existing-Condition MC=Managed-Care-Coordinator N=Services-Restricted-to-Following-Provider O=Not-Deemed-a-Medical-Necessity P=Benefit-Disclaimer Q=Second-Surgical-Opinion-Required R=Other-or-Additional-Payor S=Prior-Year-History T=Card-Reported-Lost-Stolen U=Contact-Following-Entity-for-Eligibility-or-Benefit-Information V=Cannot-Process W=Other-Source-of-Data X=Health-Care-Facility Y=Spend-Down
lookup inforce 1=true 2=true 3=true 4=true 5=true 6=false 7=false 8=false
lookup network Y=in N=out W=in
lookup procedure-system HC=http://www.ama-assn.org/go/cpt AD=http://www.ada.org/cdt

const response status active
const response purpose[1] benefits
const response outcome complete
const response request.display X12-270-inquiry
value response HDR/BHT 4 created date
value response 2000C|2000D/TRN[1=2] 2 identifier[1].value
value response 2000C|2000D/TRN[1=2] 3 identifier[1].system prefix:urn:hearth:x12:trace-number:
value response 2000C|2000D/TRN[1=2] 2 request.identifier.value
value response 2000C|2000D/TRN[1=2] 3 request.identifier.system prefix:urn:hearth:x12:trace-number:
value response 2000C|2000D/TRN[1=1] 2 identifier[2].value
value response 2000C|2000D/TRN[1=1] 3 identifier[2].system prefix:urn:hearth:x12:trace-number:
ref response patient dependent|subscriber
ref response insurer payer
ref response requestor receiver|receiver_person
ref response insurance[1].coverage coverage
value response 2110C|2110D/EB 1 insurance[1].inforce lookup:inforce
value response 2110C|2110D/EB 1 insurance[1].item[$].category.text lookup:eb01-text
value response 2110C|2110D/EB 3.1 insurance[1].item[$].category.coding[1].system const:https://codesystem.x12.org/005010/1365
value response 2110C|2110D/EB 3.1 insurance[1].item[$].category.coding[1].code
value response 2110C|2110D/EB 5 insurance[1].item[$].name
value response 2110C|2110D/EB 12 insurance[1].item[$].network.coding[1].system const:http://terminology.hl7.org/CodeSystem/benefit-network
value response 2110C|2110D/EB 12 insurance[1].item[$].network.coding[1].code lookup:network
value response 2110C|2110D/EB 1 insurance[1].item[$].benefit[1].type.coding[1].system const:https://codesystem.x12.org/005010/1390
value response 2110C|2110D/EB 1 insurance[1].item[$].benefit[1].type.coding[1].code
value response 2110C|2110D/EB 7 insurance[1].item[$].benefit[1].allowedMoney.value decimal
value response 2110C|2110D/EB 7 insurance[1].item[$].benefit[1].allowedMoney.currency const:USD
value response 2110C|2110D/EB 8 insurance[1].item[$].benefit[1].allowedString
value response 2000A|2100A|2100B|2100C|2100D|2110C|2110D/AAA 3 error[$].code.coding[1].system const:https://codesystem.x12.org/005010/901
value response 2000A|2100A|2100B|2100C|2100D|2110C|2110D/AAA 3 error[$].code.coding[1].code
)"};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
