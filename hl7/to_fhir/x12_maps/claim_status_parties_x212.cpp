// The parties a 276 and a 277 (005010X212) both name, shared by their maps: the payer (2100A),
// the information receiver (2100B, the submitter), the service provider (2100C: an Organization,
// or a Practitioner when NM102 = 1), the subscriber (2100D, member id + payer) and a dependent
// (2100E). The claim a status is about is named by the 837's identity: its patient control
// number (REF*EJ, CLM01) under the provider's NPI.
#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir::x12_map_sources {

const std::string_view kClaimStatusParties = R"(
resource payer Organization 2100A ifnone
resource receiver Organization 2100B ifnone
resource provider Organization 2100C ifnone NM1[2=2]
resource provider_person Practitioner 2100C ifnone NM1[2=1]
resource subscriber Patient 2100D ifnone
resource dependent Patient 2100E create

lookup gender M=male F=female U=unknown

const payer active true
value payer 2100A/NM1 3 name
value payer 2100A/NM1[8=PI,XV] 9 identifier[1].system const:urn:hearth:x12:payer-id
value payer 2100A/NM1[8=PI,XV] 9 identifier[1].value

const receiver active true
value receiver 2100B/NM1 3 name
value receiver 2100B/NM1[8=46] 9 identifier[1].system const:urn:hearth:x12:etin
value receiver 2100B/NM1[8=FI] 9 identifier[1].system const:urn:oid:2.16.840.1.113883.4.4
value receiver 2100B/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value receiver 2100B/NM1[8=46,FI,XX] 9 identifier[1].value

const provider active true
value provider 2100C/NM1 3 name
value provider 2100C/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value provider 2100C/NM1[8=FI] 9 identifier[1].system const:urn:oid:2.16.840.1.113883.4.4
value provider 2100C/NM1[8=SV] 9 identifier[1].system const:urn:hearth:x12:service-provider-number
value provider 2100C/NM1[8=XX,FI,SV] 9 identifier[1].value
const provider_person active true
value provider_person 2100C/NM1 3 name[1].family
value provider_person 2100C/NM1 4 name[1].given[1]
value provider_person 2100C/NM1[8=XX] 9 identifier[1].system const:http://hl7.org/fhir/sid/us-npi
value provider_person 2100C/NM1[8=FI] 9 identifier[1].system const:urn:oid:2.16.840.1.113883.4.4
value provider_person 2100C/NM1[8=SV] 9 identifier[1].system const:urn:hearth:x12:service-provider-number
value provider_person 2100C/NM1[8=XX,FI,SV] 9 identifier[1].value

value subscriber 2100D/NM1[8=MI] 9 identifier[1].value
copy subscriber identifier[1].system payer identifier[1].value urn:hearth:x12:member-id:
value subscriber 2100D/NM1 3 name[1].family
value subscriber 2100D/NM1 4 name[1].given[1]
value subscriber 2100D/NM1 5 name[1].given[2]
value subscriber 2100D/NM1 7 name[1].suffix[1]
value subscriber 2000D/DMG[1=D8] 2 birthDate date
value subscriber 2000D/DMG 3 gender lookup:gender
value dependent 2100E/NM1 3 name[1].family
value dependent 2100E/NM1 4 name[1].given[1]
value dependent 2100E/NM1 5 name[1].given[2]
value dependent 2100E/NM1 7 name[1].suffix[1]
value dependent 2000E/DMG[1=D8] 2 birthDate date
value dependent 2000E/DMG 3 gender lookup:gender
)";

}  // namespace hearth::hl7::to_fhir::x12_map_sources
