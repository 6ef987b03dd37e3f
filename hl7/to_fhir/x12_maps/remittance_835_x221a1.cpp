// 835 Health Care Claim Payment/Advice (005010X221A1) -> one ExplanationOfBenefit per claim
// payment (2100 CLP) with its service lines (2110 SVC), totals and CAS adjustments, the Patient
// and Coverage it names, the payer (1000A) and payee (1000B) Organizations, and one
// PaymentReconciliation for the check or EFT (BPR, TRN). Field choices follow CARIN Blue Button
// (adjudication categories, X12 group and reason code systems); docs/mapping/x12-to-fhir.md has
// the table in prose.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const MapSource k835 = {"835", "005010X221A1", "", R"(
resource eob ExplanationOfBenefit 2100 update
resource patient Patient 2100 ifnone
resource coverage Coverage 2100 ifnone
resource payer Organization 1000A ifnone
resource payee Organization 1000B ifnone
resource payment PaymentReconciliation HDR update

lookup procedure-system HC=http://www.ama-assn.org/go/cpt AD=http://www.ada.org/cdt NU=https://www.nubc.org/CodeSystem/RevenueCodes

# Explanation of benefit, per claim payment (2100)
const eob status active
const eob use claim
const eob outcome complete
const eob type.text X12-835-claim-payment
value eob 2100/CLP 7 identifier[1].value
copy eob identifier[1].system payer identifier[1].value urn:hearth:x12:payer-claim-control-number:
value eob 2100/CLP 1 identifier[2].value
copy eob identifier[2].system payee identifier[1].value urn:hearth:x12:patient-control-number:
value eob HDR/BPR 16 created date
ref eob patient patient
ref eob insurer payer
ref eob provider payee
const eob insurance[1].focal true
ref eob insurance[1].coverage coverage
value eob 2100/CLP 3 total[1].category.coding[1].system const:http://terminology.hl7.org/CodeSystem/adjudication
value eob 2100/CLP 3 total[1].category.coding[1].code const:submitted
value eob 2100/CLP 3 total[1].amount.value decimal
value eob 2100/CLP 3 total[1].amount.currency const:USD
value eob 2100/CLP 4 total[2].category.coding[1].system const:http://terminology.hl7.org/CodeSystem/adjudication
value eob 2100/CLP 4 total[2].category.coding[1].code const:benefit
value eob 2100/CLP 4 total[2].amount.value decimal
value eob 2100/CLP 4 total[2].amount.currency const:USD
value eob 2100/CLP 4 payment.amount.value decimal
value eob 2100/CLP 4 payment.amount.currency const:USD
value eob HDR/BPR 16 payment.date date
value eob 2100/CAS 1 adjudication[$].category.coding[1].system const:https://x12.org/codes/claim-adjustment-group-codes
value eob 2100/CAS 1 adjudication[$].category.coding[1].code
value eob 2100/CAS 2 adjudication[$].reason.coding[1].system const:https://x12.org/codes/claim-adjustment-reason-codes
value eob 2100/CAS 2 adjudication[$].reason.coding[1].code
value eob 2100/CAS 3 adjudication[$].amount.value decimal
value eob 2100/CAS 3 adjudication[$].amount.currency const:USD
value eob 2110/SVC 1.2 item[@2110].sequence pos
value eob 2110/SVC 1.1 item[@2110].productOrService.coding[1].system lookup:procedure-system
value eob 2110/SVC 1.2 item[@2110].productOrService.coding[1].code
value eob 2110/SVC 1.3 item[@2110].modifier[1].coding[1].code
value eob 2110/SVC 1.4 item[@2110].modifier[2].coding[1].code
value eob 2110/SVC 2 item[@2110].adjudication[1].category.coding[1].system const:http://terminology.hl7.org/CodeSystem/adjudication
value eob 2110/SVC 2 item[@2110].adjudication[1].category.coding[1].code const:submitted
value eob 2110/SVC 2 item[@2110].adjudication[1].amount.value decimal
value eob 2110/SVC 2 item[@2110].adjudication[1].amount.currency const:USD
value eob 2110/SVC 3 item[@2110].adjudication[2].category.coding[1].system const:http://terminology.hl7.org/CodeSystem/adjudication
value eob 2110/SVC 3 item[@2110].adjudication[2].category.coding[1].code const:benefit
value eob 2110/SVC 3 item[@2110].adjudication[2].amount.value decimal
value eob 2110/SVC 3 item[@2110].adjudication[2].amount.currency const:USD
value eob 2110/SVC 5 item[@2110].quantity.value decimal
value eob 2110/DTM[1=472] 2 item[@2110].servicedDate date
value eob 2110/CAS 1 item[@2110].adjudication[$].category.coding[1].system const:https://x12.org/codes/claim-adjustment-group-codes
value eob 2110/CAS 1 item[@2110].adjudication[$].category.coding[1].code
value eob 2110/CAS 2 item[@2110].adjudication[$].reason.coding[1].system const:https://x12.org/codes/claim-adjustment-reason-codes
value eob 2110/CAS 2 item[@2110].adjudication[$].reason.coding[1].code
value eob 2110/CAS 3 item[@2110].adjudication[$].amount.value decimal
value eob 2110/CAS 3 item[@2110].adjudication[$].amount.currency const:USD

# Patient (NM1*QC) and the coverage paid under (the insured's member id, else the patient's)
value patient 2100/NM1[1=QC] 3 name[1].family
value patient 2100/NM1[1=QC] 4 name[1].given[1]
value patient 2100/NM1[1=QC] 5 name[1].given[2]
value patient 2100/NM1[1=QC;8=MI] 9 identifier[1].value
copy patient identifier[1].system payer identifier[1].value urn:hearth:x12:member-id:
const coverage status active
value coverage 2100/NM1[1=IL;8=MI] 9 identifier[1].value
copy coverage identifier[1].system payer identifier[1].value urn:hearth:x12:member-id:
value coverage 2100/NM1[1=QC;8=MI] 9 identifier[2].value
copy coverage identifier[2].system payer identifier[1].value urn:hearth:x12:member-id:
ref coverage beneficiary patient
ref coverage payor[1] payer

# Payer (1000A) and payee (1000B)
const payer active true
value payer 1000A/N1 2 name
value payer 1000A/REF[1=2U] 2 identifier[1].system const:urn:hearth:x12:payer-id
value payer 1000A/REF[1=2U] 2 identifier[1].value
const payee active true
value payee 1000B/N1 2 name
value payee 1000B/N1[3=XX] 4 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value payee 1000B/N1[3=XX] 4 identifier[1].value
value payee 1000B/N1[3=FI] 4 identifier[2].system const:urn:oid:2.16.840.1.113883.4.4
value payee 1000B/N1[3=FI] 4 identifier[2].value
value payee 1000B/REF[1=TJ] 2 identifier[3].system const:urn:oid:2.16.840.1.113883.4.4
value payee 1000B/REF[1=TJ] 2 identifier[3].value
value payee 1000B/N3 1 address[1].line[1]
value payee 1000B/N4 1 address[1].city
value payee 1000B/N4 2 address[1].state
value payee 1000B/N4 3 address[1].postalCode

# The payment (BPR) and its trace number (TRN)
const payment status active
value payment HDR/BPR 16 created date
value payment HDR/BPR 16 paymentDate date
value payment HDR/BPR 2 paymentAmount.value decimal
value payment HDR/BPR 2 paymentAmount.currency const:USD
value payment HDR/TRN 2 identifier[1].value
copy payment identifier[1].system payer identifier[1].value urn:hearth:x12:trace-number:
value payment HDR/TRN 2 paymentIdentifier.value
ref payment paymentIssuer payer
)"};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
