// Table 0396 names to Coding.system URIs: known systems, HL7 tables, and names left alone.
#include "hl7/to_fhir/coding_system.h"

#include <doctest/doctest.h>

namespace hearth::hl7::to_fhir {

TEST_CASE("coding system: 0396 names of known systems become FHIR's URIs") {
  CHECK(coding_system_uri("LN") == "http://loinc.org");
  CHECK(coding_system_uri("SCT") == "http://snomed.info/sct");
  CHECK(coding_system_uri("I10") == "http://hl7.org/fhir/sid/icd-10");
  CHECK(coding_system_uri("RXNORM") == "http://www.nlm.nih.gov/research/umls/rxnorm");
  CHECK(coding_system_uri("CVX") == "http://hl7.org/fhir/sid/cvx");
}

TEST_CASE("coding system: HL7 tables, URIs and local names") {
  CHECK(coding_system_uri("HL70001") == "http://terminology.hl7.org/CodeSystem/v2-0001");
  CHECK(coding_system_uri("HL7 0078") == "http://terminology.hl7.org/CodeSystem/v2-0078");
  CHECK(coding_system_uri("HL7001") == "HL7001");  // not four digits: left as sent
  CHECK(coding_system_uri("http://loinc.org") == "http://loinc.org");
  CHECK(coding_system_uri("urn:oid:2.16.840.1.113883.6.1") == "urn:oid:2.16.840.1.113883.6.1");
  CHECK(coding_system_uri("99LOCAL") == "99LOCAL");
  CHECK(coding_system_uri("L") == "L");
}

TEST_CASE("coding system: an OID becomes urn:oid:, and back") {
  CHECK(coding_system_uri("2.16.840.1.114222.4.5.232") == "urn:oid:2.16.840.1.114222.4.5.232");
  CHECK(coding_system_uri("1.2") == "urn:oid:1.2");
  // Not OIDs: a first arc past 2, an empty arc, letters, a version-like name.
  CHECK(coding_system_uri("3.1.4") == "3.1.4");
  CHECK(coding_system_uri("2..840") == "2..840");
  CHECK(coding_system_uri("2.16.") == "2.16.");
  CHECK(coding_system_uri("2.16.840a") == "2.16.840a");
  CHECK(coding_system_uri("2") == "2");
  CHECK(coding_system_name("urn:oid:2.16.840.1.114222.4.5.232") == "2.16.840.1.114222.4.5.232");
  CHECK(coding_system_name("urn:oid:not-an-oid") == "urn:oid:not-an-oid");
  CHECK(coding_system_name("http://loinc.org") == "LN");
}

}  // namespace hearth::hl7::to_fhir
