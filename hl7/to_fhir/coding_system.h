// The URI of a v2 coding system name (HL7 table 0396, "LN", "SCT", "HL70001") for Coding.system.
// The IG's rows CWE[CodeableConcept] CWE.3 -> coding[1].system and CWE[Coding] CWE.3 -> system
// (and CE, CNE, CF alike) say only "the vocabulary table will give the actual uri": no map gives
// it, so this is the table, with the URIs FHIR R4 names for these systems
// (terminologies-systems.html, the package's Bundle-terminologies NamingSystems) and the HL7
// terminology's rule for v2 tables (HL7nnnn -> http://terminology.hl7.org/CodeSystem/v2-nnnn).
#pragma once

#include <string>
#include <string_view>

namespace hearth::hl7::to_fhir {

// The URI for `name`; an OID ("2.16.840.1.114222.4.5.232") as urn:oid:; `name` itself when it is
// already a URI (has a ':') or is not known (a local system such as "99ABC" or "L" stays as the
// sender named it).
std::string coding_system_uri(std::string_view name);

// The other way, for outbound messages (hl7/to_v2/): the table 0396 name of `uri` (the first
// name the table above gives it: "http://loinc.org" -> "LN"; a v2 table's URI -> "HL7nnnn"; an
// urn:oid: -> the OID);
// `uri` itself when it has none (a local system "99ABC" stays as it came).
std::string coding_system_name(std::string_view uri);

}  // namespace hearth::hl7::to_fhir
