// Bulk Data $export kick-off parameters (https://hl7.org/fhir/uv/bulkdata/STU2/export.html): the
// routed kick-off request (GET [base]/$export, Patient/$export, Group/[id]/$export) -> what to
// export. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/request.h"
#include "api/rest/route.h"
#include "core/status.h"

namespace hearth::api {

enum class ExportLevel { kSystem, kPatient, kGroup };

struct ExportParams {
  ExportLevel level = ExportLevel::kSystem;
  std::string group_id;  // kGroup: Group/[id]
  // The types exported, sorted, each once: _type's, else every resource type (system level) or
  // every type of the Patient compartment (patient and group level).
  std::vector<std::string> types;
  std::optional<std::int64_t> since_micros;  // _since: lastUpdated at or after
};

// The kick-off's parameters. `Prefer: respond-async` is required; _outputFormat may be
// application/fhir+ndjson, application/ndjson or ndjson (a '+' sent unencoded, read as a space,
// is taken as meant). Parameters Hearth does not support (_typeFilter, _elements, patient,
// includeAssociatedData, ...) are refused unless `Prefer: handling=lenient`, which ignores them.
// Errors (kInvalidArgument, naming the parameter): no respond-async; an unknown resource type in
// _type, or at patient/group level a type outside the Patient compartment; more than 200 _type
// entries; a malformed _since; another _outputFormat; an unsupported parameter without lenient
// handling.
Result<ExportParams> parse_export_params(const Route& route, const Request& request);

}  // namespace hearth::api
