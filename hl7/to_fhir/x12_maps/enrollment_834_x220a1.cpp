// 834 Benefit Enrollment and Maintenance (005010X220A1) -> per member (2000 INS): a Patient (the
// member, found again by SSN), a Coverage per health coverage (2300 HD) with the member as its
// beneficiary, the payer (1000B) as payor and the sponsor (1000A) as policy holder, and, for a
// dependent (INS01 = N), a RelatedPerson for the subscriber (REF*0F, member id + payer) as the
// Coverage's subscriber. INS03 024 (cancellation) makes the coverages `cancelled`; the other
// maintenance semantics of INS03/HD01 (changes, terminations by date) are carried by the
// coverages' periods only. docs/mapping/x12-to-fhir.md has the table in prose.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const MapSource k834 = {"834", "005010X220A1", "", R"(
resource member Patient 2000 ifnone
resource subscriber RelatedPerson 2000 create INS[1=N]
resource coverage Coverage 2300 create
resource sponsor Organization 1000A ifnone
resource payer Organization 1000B ifnone

lookup gender M=male F=female U=unknown
lookup relationship 18=self 01=spouse 19=child 20=other 21=other 39=other 40=other 53=other G8=other 15=other 17=child 38=other 32=parent 33=parent
lookup subscriber-role 01=SPS 19=PRN 17=STPPRN
lookup status 001=active 021=active 024=cancelled 025=active 026=active 030=active 032=active

# The member (2100A)
value member 2100A/NM1[8=34] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-ssn
value member 2100A/NM1[8=34] 9 identifier[1].value
value member 2100A/NM1[8=ZZ] 9 identifier[2].system const:urn:hearth:x12:834-member-id
value member 2100A/NM1[8=ZZ] 9 identifier[2].value
value member 2100A/NM1 3 name[1].family
value member 2100A/NM1 4 name[1].given[1]
value member 2100A/NM1 5 name[1].given[2]
value member 2100A/NM1 7 name[1].suffix[1]
value member 2100A/PER[3=TE] 4 telecom[1].system const:phone
value member 2100A/PER[3=TE] 4 telecom[1].value
value member 2100A/N3 1 address[1].line[1]
value member 2100A/N3 2 address[1].line[2]
value member 2100A/N4 1 address[1].city
value member 2100A/N4 2 address[1].state
value member 2100A/N4 3 address[1].postalCode
value member 2100A/DMG[1=D8] 2 birthDate date
value member 2100A/DMG 3 gender lookup:gender
const member active true

# The subscriber of a dependent's coverage (2000 REF*0F)
const subscriber active true
ref subscriber patient member
value subscriber 2000/REF[1=0F] 2 identifier[1].value
copy subscriber identifier[1].system payer identifier[1].value urn:hearth:x12:member-id:
value subscriber 2000/INS 2 relationship[1].coding[1].system const:http://terminology.hl7.org/CodeSystem/v3-RoleCode
value subscriber 2000/INS 2 relationship[1].coding[1].code lookup:subscriber-role

# Coverage, per health coverage (2300)
value coverage 2000/INS 3 status lookup:status
default coverage status active
value coverage 2000/REF[1=0F] 2 subscriberId
ref coverage beneficiary member
ref coverage subscriber subscriber|member
ref coverage payor[1] payer
ref coverage policyHolder sponsor
value coverage 2000/INS 2 relationship.coding[1].system const:http://terminology.hl7.org/CodeSystem/subscriber-relationship
value coverage 2000/INS 2 relationship.coding[1].code lookup:relationship
value coverage 2300/HD 3 type.coding[1].system const:https://codesystem.x12.org/005010/1205
value coverage 2300/HD 3 type.coding[1].code
value coverage 2300/HD 4 type.text
value coverage 2000/REF[1=1L] 2 class[1].type.coding[1].system const:http://terminology.hl7.org/CodeSystem/coverage-class
value coverage 2000/REF[1=1L] 2 class[1].type.coding[1].code const:group
value coverage 2000/REF[1=1L] 2 class[1].value
value coverage 2300/DTP[1=348;2=D8] 3 period.start date
value coverage 2300/DTP[1=349;2=D8] 3 period.end date

# Sponsor (1000A) and payer (1000B)
const sponsor active true
value sponsor 1000A/N1 2 name
value sponsor 1000A/N1[3=FI] 4 identifier[1].system const:urn:oid:2.16.840.1.113883.4.4
value sponsor 1000A/N1[3=FI] 4 identifier[1].value
value sponsor 1000A/N1[3=94,ZZ] 4 identifier[2].system const:urn:hearth:x12:sponsor-id
value sponsor 1000A/N1[3=94,ZZ] 4 identifier[2].value
const payer active true
value payer 1000B/N1 2 name
value payer 1000B/N1[3=XV] 4 identifier[1].system const:urn:hearth:x12:payer-id
value payer 1000B/N1[3=XV] 4 identifier[1].value
value payer 1000B/N1[3=FI] 4 identifier[2].system const:urn:oid:2.16.840.1.113883.4.4
value payer 1000B/N1[3=FI] 4 identifier[2].value
value payer 1000B/N1[3=94] 4 identifier[3].system const:urn:hearth:x12:payer-id
value payer 1000B/N1[3=94] 4 identifier[3].value
)"};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
