// 837 Health Care Claim: Institutional (005010X223A2) -> Claim (type institutional) with its
// diagnoses (ICD-10-CM: principal ABK, other ABF, admitting ABJ, reason for visit APR),
// procedures (ICD-10-PCS: principal BBR, other BBQ), revenue-coded service lines (SV2) and the
// attending (2310A) and rendering (2310D) Practitioners; the parties every 837 names
// (k837Parties) come first. Field choices follow Da Vinci PAS and CARIN Blue Button;
// docs/mapping/x12-to-fhir.md has the table in prose.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const MapSource k837Institutional = {"837", "005010X223A2", k837Parties, R"(
resource claim Claim 2300 update
resource attending Practitioner 2310A ifnone
resource rendering Practitioner 2310D ifnone

lookup dx-system ABK=http://hl7.org/fhir/sid/icd-10-cm ABF=http://hl7.org/fhir/sid/icd-10-cm ABJ=http://hl7.org/fhir/sid/icd-10-cm APR=http://hl7.org/fhir/sid/icd-10-cm BK=http://hl7.org/fhir/sid/icd-9-cm BF=http://hl7.org/fhir/sid/icd-9-cm BJ=http://hl7.org/fhir/sid/icd-9-cm
lookup dx-type ABK=principal BK=principal ABJ=admitting BJ=admitting
lookup dx-type-system ABK=http://terminology.hl7.org/CodeSystem/ex-diagnosistype BK=http://terminology.hl7.org/CodeSystem/ex-diagnosistype ABJ=http://terminology.hl7.org/CodeSystem/ex-diagnosistype BJ=http://terminology.hl7.org/CodeSystem/ex-diagnosistype
lookup px-system BBR=http://www.cms.gov/Medicare/Coding/ICD10 BBQ=http://www.cms.gov/Medicare/Coding/ICD10 BR=http://www.cms.gov/Medicare/Coding/ICD9 BQ=http://www.cms.gov/Medicare/Coding/ICD9
lookup procedure-system HC=http://www.ama-assn.org/go/cpt

# Claim (loop 2300; service lines 2400)
const claim status active
const claim use claim
const claim type.coding[1].system http://terminology.hl7.org/CodeSystem/claim-type
const claim type.coding[1].code institutional
const claim priority.coding[1].system http://terminology.hl7.org/CodeSystem/processpriority
const claim priority.coding[1].code normal
value claim 2300/CLM 1 identifier[1].value
copy claim identifier[1].system billing identifier[1].value urn:hearth:x12:patient-control-number:
value claim HDR/BHT 4 created date
value claim 2300/CLM 2 total.value decimal
value claim 2300/CLM 2 total.currency const:USD
value claim 2300/DTP[1=434;2=RD8] 3 billablePeriod.start period-start
value claim 2300/DTP[1=434;2=RD8] 3 billablePeriod.end period-end
ref claim patient patient|subscriber
ref claim provider billing
ref claim insurer payer
const claim insurance[1].sequence 1
const claim insurance[1].focal true
ref claim insurance[1].coverage coverage
value claim 2300/REF[1=G1] 2 insurance[1].preAuthRef[1]
value claim 2300/HI[*.1=ABK,ABF,ABJ,APR,BK,BF,BJ] 1-12.2?1 diagnosis[#].sequence pos
value claim 2300/HI[*.1=ABK,ABF,ABJ,APR,BK,BF,BJ] 1-12.2 diagnosis[#].diagnosisCodeableConcept.coding[1].code
value claim 2300/HI[*.1=ABK,ABF,ABJ,APR,BK,BF,BJ] 1-12.1?2 diagnosis[#].diagnosisCodeableConcept.coding[1].system lookup:dx-system
value claim 2300/HI[*.1=ABK,ABF,ABJ,APR,BK,BF,BJ] 1-12.1?2 diagnosis[#].type[1].coding[1].system lookup:dx-type-system
value claim 2300/HI[*.1=ABK,ABF,ABJ,APR,BK,BF,BJ] 1-12.1?2 diagnosis[#].type[1].coding[1].code lookup:dx-type
value claim 2300/HI[*.1=BBR,BBQ,BR,BQ] 1-12.2?1 procedure[#].sequence pos
value claim 2300/HI[*.1=BBR,BBQ,BR,BQ] 1-12.2 procedure[#].procedureCodeableConcept.coding[1].code
value claim 2300/HI[*.1=BBR,BBQ,BR,BQ] 1-12.1?2 procedure[#].procedureCodeableConcept.coding[1].system lookup:px-system
value claim 2300/HI[*.1=BBR,BBQ,BR,BQ;*.3=D8] 1-12.4?2 procedure[#].date date
value claim 2310A/NM1 1 careTeam[1].sequence const:1
value claim 2310A/NM1 1 careTeam[1].role.coding[1].system const:http://terminology.hl7.org/CodeSystem/claimcareteamrole
value claim 2310A/NM1 1 careTeam[1].role.coding[1].code const:primary
ref claim careTeam[1].provider attending
value claim 2310D/NM1 1 careTeam[2].sequence const:2
value claim 2310D/NM1 1 careTeam[2].role.coding[1].system const:http://terminology.hl7.org/CodeSystem/claimcareteamrole
value claim 2310D/NM1 1 careTeam[2].role.coding[1].code const:other
ref claim careTeam[2].provider rendering
value claim 2400/LX 1 item[@2400].sequence pos
value claim 2400/SV2 1 item[@2400].revenue.coding[1].system const:https://www.nubc.org/CodeSystem/RevenueCodes
value claim 2400/SV2 1 item[@2400].revenue.coding[1].code
value claim 2400/SV2 2.1 item[@2400].productOrService.coding[1].system lookup:procedure-system
value claim 2400/SV2 2.2 item[@2400].productOrService.coding[1].code
value claim 2400/SV2[2=] 1 item[@2400].productOrService.coding[1].system const:https://www.nubc.org/CodeSystem/RevenueCodes
value claim 2400/SV2[2=] 1 item[@2400].productOrService.coding[1].code
value claim 2400/SV2 2.3 item[@2400].modifier[1].coding[1].code
value claim 2400/SV2 2.4 item[@2400].modifier[2].coding[1].code
value claim 2400/SV2 3 item[@2400].net.value decimal
value claim 2400/SV2 3 item[@2400].net.currency const:USD
value claim 2400/SV2 4 item[@2400].quantity.unit
value claim 2400/SV2 5 item[@2400].quantity.value decimal
value claim 2400/DTP[1=472;2=D8] 3 item[@2400].servicedDate date
value claim 2400/DTP[1=472;2=RD8] 3 item[@2400].servicedPeriod.start period-start
value claim 2400/DTP[1=472;2=RD8] 3 item[@2400].servicedPeriod.end period-end

# Attending (2310A) and rendering (2310D) providers
value attending 2310A/NM1 3 name[1].family
value attending 2310A/NM1 4 name[1].given[1]
value attending 2310A/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value attending 2310A/NM1[8=XX] 9 identifier[1].value
value rendering 2310D/NM1 3 name[1].family
value rendering 2310D/NM1 4 name[1].given[1]
value rendering 2310D/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value rendering 2310D/NM1[8=XX] 9 identifier[1].value
)"};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
