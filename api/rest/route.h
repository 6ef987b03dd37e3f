// Routing: a method and a path below the FHIR base -> the REST interaction it asks for, as data
// (STYLE 10). The route table lives in route.cpp; this header is its contract.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/service.h"
#include "core/status.h"

namespace hearth::api {

enum class Interaction {
  kCapabilities,        // GET metadata
  kRead,                // GET Type/id
  kVread,               // GET Type/id/_history/vid
  kUpdate,              // PUT Type/id
  kDelete,              // DELETE Type/id
  kPatch,               // PATCH Type/id
  kCreate,              // POST Type
  kHistoryInstance,     // GET Type/id/_history
  kHistoryType,         // GET Type/_history
  kHistorySystem,       // GET _history
  kSearchType,          // GET Type?params, POST Type/_search
  kSearchCompartment,   // GET Compartment/id/Type?params
  kSearchSystem,        // GET [base]?params, POST [base]/_search (_type=A,B)
  kTransaction,         // POST [base] with a transaction or batch Bundle
  kConditionalUpdate,   // PUT Type?params
  kConditionalDelete,   // DELETE Type?params
  kConditionalPatch,    // PATCH Type?params
  kSmartConfiguration,  // GET .well-known/smart-configuration
  kValidate,            // POST $validate, Type/$validate, Type/id/$validate
  kValidateCode,        // GET or POST ValueSet/$validate-code, CodeSystem/$validate-code
  kLookup,              // GET or POST CodeSystem/$lookup
  kExpand,              // GET or POST ValueSet/$expand
  kSubsumes,            // GET or POST CodeSystem/$subsumes
  kTranslate,           // GET or POST ConceptMap/$translate
  kEverything,          // GET Patient/id/$everything
  kExport,              // GET $export, Patient/$export, Group/id/$export (Bulk Data kick-off)
  kExportStatus,        // GET $export-status/job (Bulk Data status and manifest)
  kExportDelete,        // DELETE $export-status/job (cancel, or delete the files)
  kExportFile,          // GET $export-file/job/file (one NDJSON file of an export)
  kHl7v2,               // GET Patient/id/$hl7v2, DiagnosticReport/id/$hl7v2 (outbound v2)
  kX12,                 // GET Claim/id/$x12, CoverageEligibilityRequest/id/$x12 (outbound X12)
};

struct Route {
  Interaction interaction = Interaction::kCapabilities;
  std::string type;
  std::string id;
  std::string compartment;  // kSearchCompartment: "Patient" of GET Patient/1/Observation
  std::int64_t version = 0;
  // The route row's word on the store (api/service.h): kNone for metadata, kPointRead for
  // read/vread, kRead for search and history, kWrite for create, update, patch and delete.
  StoreUse store_use = StoreUse::kNone;
  std::string file;  // kExportFile: the file name of GET $export-file/job/file
};

// Errors: kNotFound for an unknown resource type or path shape, kMethodNotAllowed when the path
// is known but the method is not served there, kInvalidArgument for a malformed id or
// version ("Patient/a b").
Result<Route> route_request(std::string_view method, std::string_view path);

// The route's facts for the server (api/service.h): its store use and its labels, the resource
// type's index in fhir::resource_types().
RouteFacts route_facts_of(const Route& route);

// FHIR id rule: [A-Za-z0-9\-\.]{1,64}.
bool is_valid_id(std::string_view id);

}  // namespace hearth::api
