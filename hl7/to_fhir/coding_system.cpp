// Table 0396 names -> URIs: the names senders use for the systems FHIR R4 lists with a URI.
#include "hl7/to_fhir/coding_system.h"

#include <cctype>

#include "fhir/primitive.h"

namespace hearth::hl7::to_fhir {
namespace {

struct KnownSystem {
  std::string_view name, uri;
};
constexpr KnownSystem kKnown[] = {
    {"LN", "http://loinc.org"},
    {"LOINC", "http://loinc.org"},
    {"SCT", "http://snomed.info/sct"},
    {"SNOMEDCT", "http://snomed.info/sct"},
    {"SNOMED-CT", "http://snomed.info/sct"},
    {"RXNORM", "http://www.nlm.nih.gov/research/umls/rxnorm"},
    {"UCUM", "http://unitsofmeasure.org"},
    {"CVX", "http://hl7.org/fhir/sid/cvx"},
    {"NDC", "http://hl7.org/fhir/sid/ndc"},
    {"C4", "http://www.ama-assn.org/go/cpt"},
    {"CPT", "http://www.ama-assn.org/go/cpt"},
    {"CPT4", "http://www.ama-assn.org/go/cpt"},
    {"I10", "http://hl7.org/fhir/sid/icd-10"},
    {"ICD10", "http://hl7.org/fhir/sid/icd-10"},
    {"I10C", "http://hl7.org/fhir/sid/icd-10-cm"},
    {"ICD10CM", "http://hl7.org/fhir/sid/icd-10-cm"},
    {"I9C", "http://hl7.org/fhir/sid/icd-9-cm"},
    {"I9CDX", "http://hl7.org/fhir/sid/icd-9-cm"},
    {"ICD9CM", "http://hl7.org/fhir/sid/icd-9-cm"},
    {"I10P", "http://www.icd10data.com/icd10pcs"},
    {"ATC", "http://www.whocc.no/atc"},
    {"NCIT", "http://ncimeta.nci.nih.gov"},
    {"UNII", "http://fdasis.nlm.nih.gov"},
    {"ISO3166_1", "urn:iso:std:iso:3166"},
    {"DCM", "http://dicom.nema.org/resources/ontology/DCM"},
};

// FHIR's Coding.system must be an absolute URI, which for an ISO object identifier is urn:oid:
// (terminologies-systems.html, "OIDs"); a sender puts the bare OID in CWE.3.
constexpr std::string_view kOidPrefix = "urn:oid:";

bool is_oid_uri(std::string_view uri) {
  return fhir::is_valid_primitive(fhir::Primitive::kOid, uri);
}

}  // namespace

std::string coding_system_uri(std::string_view name) {
  if (name.find(':') != std::string_view::npos) return std::string(name);
  for (const KnownSystem& known : kKnown) {
    if (known.name == name) return std::string(known.uri);
  }
  // "HL70001" (also written "HL7 0001"): HL7 v2 table 0001 in the HL7 terminology.
  if (name.size() >= 7 && name.substr(0, 3) == "HL7") {
    std::string_view digits = name.substr(3);
    if (!digits.empty() && digits.front() == ' ') digits.remove_prefix(1);
    bool numeric = digits.size() == 4;
    for (char c : digits) numeric = numeric && std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (numeric) return "http://terminology.hl7.org/CodeSystem/v2-" + std::string(digits);
  }
  std::string oid = std::string(kOidPrefix) + std::string(name);
  return is_oid_uri(oid) ? oid : std::string(name);
}

std::string coding_system_name(std::string_view uri) {
  for (const KnownSystem& known : kKnown) {
    if (known.uri == uri) return std::string(known.name);
  }
  constexpr std::string_view kV2Tables = "http://terminology.hl7.org/CodeSystem/v2-";
  if (uri.size() == kV2Tables.size() + 4 && uri.substr(0, kV2Tables.size()) == kV2Tables) {
    return "HL7" + std::string(uri.substr(kV2Tables.size()));
  }
  if (is_oid_uri(uri)) return std::string(uri.substr(kOidPrefix.size()));
  return std::string(uri);
}

}  // namespace hearth::hl7::to_fhir
