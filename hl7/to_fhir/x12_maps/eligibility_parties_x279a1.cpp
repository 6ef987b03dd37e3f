// The parties a 270 and a 271 (005010X279A1) both name, shared by their maps: the information
// source (payer, 2100A), the information receiver (2100B: an Organization, or a Practitioner when
// NM102 = 1), the subscriber (2100C) and a dependent (2000D, from its 2100D), and the subscriber's
// Coverage. Patients and coverages are found again by member id + payer, providers by NPI.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const std::string_view kEligibilityParties = R"(
resource payer Organization 2100A ifnone
resource receiver Organization 2100B ifnone NM1[2=2]
resource receiver_person Practitioner 2100B ifnone NM1[2=1]
resource subscriber Patient 2100C ifnone
resource dependent Patient 2000D ifnone
resource coverage Coverage 2100C ifnone

lookup gender M=male F=female U=unknown
lookup relationship 18=self 01=spouse 19=child 20=other 21=other 39=other 40=other 53=other G8=other

# Information source: the payer (2100A)
const payer active true
value payer 2100A/NM1 3 name
value payer 2100A/NM1[8=PI,XV] 9 identifier[1].system const:urn:hearth:x12:payer-id
value payer 2100A/NM1[8=PI,XV] 9 identifier[1].value
value payer 2100A/NM1[8=FI] 9 identifier[2].system const:urn:oid:2.16.840.1.113883.4.4
value payer 2100A/NM1[8=FI] 9 identifier[2].value

# Information receiver (2100B): NPI, tax id or the payer's service provider number
const receiver active true
value receiver 2100B/NM1 3 name
value receiver 2100B/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value receiver 2100B/NM1[8=FI] 9 identifier[1].system const:urn:oid:2.16.840.1.113883.4.4
value receiver 2100B/NM1[8=SV] 9 identifier[1].system const:urn:hearth:x12:service-provider-number
value receiver 2100B/NM1[8=XX,FI,SV] 9 identifier[1].value
const receiver_person active true
value receiver_person 2100B/NM1 3 name[1].family
value receiver_person 2100B/NM1 4 name[1].given[1]
value receiver_person 2100B/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value receiver_person 2100B/NM1[8=FI] 9 identifier[1].system const:urn:oid:2.16.840.1.113883.4.4
value receiver_person 2100B/NM1[8=SV] 9 identifier[1].system const:urn:hearth:x12:service-provider-number
value receiver_person 2100B/NM1[8=XX,FI,SV] 9 identifier[1].value

# Subscriber (2100C): member id + payer
value subscriber 2100C/NM1[8=MI] 9 identifier[1].value
copy subscriber identifier[1].system payer identifier[1].value urn:hearth:x12:member-id:
value subscriber 2100C/NM1 3 name[1].family
value subscriber 2100C/NM1 4 name[1].given[1]
value subscriber 2100C/NM1 5 name[1].given[2]
value subscriber 2100C/NM1 7 name[1].suffix[1]
value subscriber 2100C/N3 1 address[1].line[1]
value subscriber 2100C/N3 2 address[1].line[2]
value subscriber 2100C/N4 1 address[1].city
value subscriber 2100C/N4 2 address[1].state
value subscriber 2100C/N4 3 address[1].postalCode
value subscriber 2100C/DMG[1=D8] 2 birthDate date
value subscriber 2100C/DMG 3 gender lookup:gender

# Dependent (2000D, named in its 2100D): no member id of its own in 5010
value dependent 2100D/NM1 3 name[1].family
value dependent 2100D/NM1 4 name[1].given[1]
value dependent 2100D/NM1 5 name[1].given[2]
value dependent 2100D/NM1 7 name[1].suffix[1]
value dependent 2100D/N3 1 address[1].line[1]
value dependent 2100D/N3 2 address[1].line[2]
value dependent 2100D/N4 1 address[1].city
value dependent 2100D/N4 2 address[1].state
value dependent 2100D/N4 3 address[1].postalCode
value dependent 2100D/DMG[1=D8] 2 birthDate date
value dependent 2100D/DMG 3 gender lookup:gender

# Coverage (the subscriber's, with the payer; the dependent is its beneficiary when named)
const coverage status active
value coverage 2100C/NM1[8=MI] 9 identifier[1].value
copy coverage identifier[1].system payer identifier[1].value urn:hearth:x12:member-id:
value coverage 2100C/NM1[8=MI] 9 subscriberId
ref coverage beneficiary dependent|subscriber
ref coverage subscriber subscriber
ref coverage payor[1] payer
value coverage 2100D/INS 2 relationship.coding[1].system const:http://terminology.hl7.org/CodeSystem/subscriber-relationship
value coverage 2100D/INS 2 relationship.coding[1].code lookup:relationship
)";

}  // namespace hearth::hl7::to_fhir::x12_map_sources
