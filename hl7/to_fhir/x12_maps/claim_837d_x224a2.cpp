// 837 Health Care Claim: Dental (005010X224A2) -> Claim (type oral) with CDT service lines (SV3),
// teeth and surfaces (TOO), diagnoses (ICD-10-CM, when sent) and the rendering Practitioner
// (2310B); the parties every 837 names (k837Parties) come first. docs/mapping/x12-to-fhir.md
// has the table in prose.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const MapSource k837Dental = {"837", "005010X224A2", k837Parties, R"(
resource claim Claim 2300 update
resource rendering Practitioner 2310B ifnone

lookup dx-system ABK=http://hl7.org/fhir/sid/icd-10-cm ABF=http://hl7.org/fhir/sid/icd-10-cm
lookup dx-type ABK=principal
lookup dx-type-system ABK=http://terminology.hl7.org/CodeSystem/ex-diagnosistype
lookup procedure-system AD=http://www.ada.org/cdt

# Claim (loop 2300; service lines 2400)
const claim status active
const claim use claim
const claim type.coding[1].system http://terminology.hl7.org/CodeSystem/claim-type
const claim type.coding[1].code oral
const claim priority.coding[1].system http://terminology.hl7.org/CodeSystem/processpriority
const claim priority.coding[1].code normal
value claim 2300/CLM 1 identifier[1].value
copy claim identifier[1].system billing identifier[1].value urn:hearth:x12:patient-control-number:
value claim HDR/BHT 4 created date
value claim 2300/CLM 2 total.value decimal
value claim 2300/CLM 2 total.currency const:USD
ref claim patient patient|subscriber
ref claim provider billing
ref claim insurer payer
const claim insurance[1].sequence 1
const claim insurance[1].focal true
ref claim insurance[1].coverage coverage
value claim 2300/REF[1=G1] 2 insurance[1].preAuthRef[1]
value claim 2300/HI[*.1=ABK,ABF] 1-12.2?1 diagnosis[#].sequence pos
value claim 2300/HI[*.1=ABK,ABF] 1-12.2 diagnosis[#].diagnosisCodeableConcept.coding[1].code
value claim 2300/HI[*.1=ABK,ABF] 1-12.1?2 diagnosis[#].diagnosisCodeableConcept.coding[1].system lookup:dx-system
value claim 2300/HI[*.1=ABK,ABF] 1-12.1?2 diagnosis[#].type[1].coding[1].system lookup:dx-type-system
value claim 2300/HI[*.1=ABK,ABF] 1-12.1?2 diagnosis[#].type[1].coding[1].code lookup:dx-type
value claim 2310B/NM1 1 careTeam[1].sequence const:1
value claim 2310B/NM1 1 careTeam[1].role.coding[1].system const:http://terminology.hl7.org/CodeSystem/claimcareteamrole
value claim 2310B/NM1 1 careTeam[1].role.coding[1].code const:primary
ref claim careTeam[1].provider rendering
value claim 2400/LX 1 item[@2400].sequence pos
value claim 2400/SV3 1.1 item[@2400].productOrService.coding[1].system lookup:procedure-system
value claim 2400/SV3 1.2 item[@2400].productOrService.coding[1].code
value claim 2400/SV3 1.3 item[@2400].modifier[1].coding[1].code
value claim 2400/SV3 1.4 item[@2400].modifier[2].coding[1].code
value claim 2400/SV3 2 item[@2400].net.value decimal
value claim 2400/SV3 2 item[@2400].net.currency const:USD
value claim 2400/SV3 3 item[@2400].locationCodeableConcept.coding[1].system const:https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set
value claim 2400/SV3 3 item[@2400].locationCodeableConcept.coding[1].code
value claim 2400/SV3 6 item[@2400].quantity.value decimal
value claim 2400/TOO[1=JP] 2 item[@2400].bodySite.coding[1].system const:http://terminology.hl7.org/CodeSystem/ex-tooth
value claim 2400/TOO[1=JP] 2 item[@2400].bodySite.coding[1].code
value claim 2400/TOO[1=JP] 3.1 item[@2400].subSite[1].coding[1].code
value claim 2400/TOO[1=JP] 3.2 item[@2400].subSite[2].coding[1].code
value claim 2400/TOO[1=JP] 3.3 item[@2400].subSite[3].coding[1].code
value claim 2400/TOO[1=JP] 3.4 item[@2400].subSite[4].coding[1].code
value claim 2400/TOO[1=JP] 3.5 item[@2400].subSite[5].coding[1].code
value claim 2400/DTP[1=472;2=D8] 3 item[@2400].servicedDate date

# Rendering provider (2310B)
value rendering 2310B/NM1 3 name[1].family
value rendering 2310B/NM1 4 name[1].given[1]
value rendering 2310B/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value rendering 2310B/NM1[8=XX] 9 identifier[1].value
)"};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
