// The parties every 837 (P, I, D) names, shared by their maps: the billing provider (2010AA),
// the subscriber (2010BA) and patient (2010CA), the payer (2010BB) and the subscriber's coverage
// (2000B). Patients and coverages are found again by member id + payer, organizations by NPI
// or payer id.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const std::string_view k837Parties = R"(
resource billing Organization 2010AA ifnone
resource subscriber Patient 2010BA ifnone
resource patient Patient 2010CA ifnone
resource payer Organization 2010BB ifnone
resource coverage Coverage 2000B ifnone

lookup gender M=male F=female U=unknown
lookup relationship 18=self 01=spouse 19=child 20=other 21=other 39=other 40=other 53=other G8=other

# Billing provider (2010AA): NPI, then the tax id
const billing active true
value billing 2010AA/NM1 3 name
value billing 2010AA/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value billing 2010AA/NM1[8=XX] 9 identifier[1].value
value billing 2010AA/REF[1=EI] 2 identifier[2].system const:urn:oid:2.16.840.1.113883.4.4
value billing 2010AA/REF[1=EI] 2 identifier[2].value
value billing 2010AA/N3 1 address[1].line[1]
value billing 2010AA/N3 2 address[1].line[2]
value billing 2010AA/N4 1 address[1].city
value billing 2010AA/N4 2 address[1].state
value billing 2010AA/N4 3 address[1].postalCode

# Payer (2010BB)
const payer active true
value payer 2010BB/NM1 3 name
value payer 2010BB/NM1[8=PI,XV] 9 identifier[1].system const:urn:hearth:x12:payer-id
value payer 2010BB/NM1[8=PI,XV] 9 identifier[1].value

# Subscriber (2010BA) and patient (2010CA): member id + payer
value subscriber 2010BA/NM1[8=MI] 9 identifier[1].value
copy subscriber identifier[1].system payer identifier[1].value urn:hearth:x12:member-id:
value subscriber 2010BA/NM1 3 name[1].family
value subscriber 2010BA/NM1 4 name[1].given[1]
value subscriber 2010BA/NM1 5 name[1].given[2]
value subscriber 2010BA/NM1 7 name[1].suffix[1]
value subscriber 2010BA/N3 1 address[1].line[1]
value subscriber 2010BA/N3 2 address[1].line[2]
value subscriber 2010BA/N4 1 address[1].city
value subscriber 2010BA/N4 2 address[1].state
value subscriber 2010BA/N4 3 address[1].postalCode
value subscriber 2010BA/DMG[1=D8] 2 birthDate date
value subscriber 2010BA/DMG 3 gender lookup:gender
value patient 2010CA/NM1 3 name[1].family
value patient 2010CA/NM1 4 name[1].given[1]
value patient 2010CA/NM1 5 name[1].given[2]
value patient 2010CA/NM1 7 name[1].suffix[1]
value patient 2010CA/N3 1 address[1].line[1]
value patient 2010CA/N3 2 address[1].line[2]
value patient 2010CA/N4 1 address[1].city
value patient 2010CA/N4 2 address[1].state
value patient 2010CA/N4 3 address[1].postalCode
value patient 2010CA/DMG[1=D8] 2 birthDate date
value patient 2010CA/DMG 3 gender lookup:gender

# Coverage (2000B): the subscriber's, with the payer
const coverage status active
value coverage 2010BA/NM1[8=MI] 9 identifier[1].value
copy coverage identifier[1].system payer identifier[1].value urn:hearth:x12:member-id:
value coverage 2010BA/NM1[8=MI] 9 subscriberId
ref coverage beneficiary subscriber
ref coverage subscriber subscriber
ref coverage payor[1] payer
value coverage 2000B/SBR 2 relationship.coding[1].system const:http://terminology.hl7.org/CodeSystem/subscriber-relationship
value coverage 2000B/SBR 2 relationship.coding[1].code lookup:relationship
value coverage 2000B/SBR 3 class[1].type.coding[1].system const:http://terminology.hl7.org/CodeSystem/coverage-class
value coverage 2000B/SBR 3 class[1].type.coding[1].code const:group
value coverage 2000B/SBR 3 class[1].value

)";

}  // namespace hearth::hl7::to_fhir::x12_map_sources
