// parse_export_params: the kick-off's query string, checked strictly
// (export.html#query-parameters).
#include "api/rest/bulk_export_params.h"

#include <algorithm>

#include "core/time_format.h"
#include "fhir/model.h"

namespace hearth::api {
namespace {

constexpr std::size_t kMaxTypes = 200;

bool prefers(const Request& request, std::string_view token) {
  return request.prefer.find(token) != std::string::npos;
}

bool in_patient_compartment(std::string_view type) {
  return !fhir::compartment_params("Patient", type).empty() || type == "Patient";
}

std::vector<std::string> default_types(ExportLevel level) {
  std::vector<std::string> out;
  for (std::string_view type : fhir::resource_types()) {
    if (level == ExportLevel::kSystem || in_patient_compartment(type)) out.emplace_back(type);
  }
  return out;
}

Status parse_types(std::string_view list, ExportLevel level, std::vector<std::string>& out) {
  std::size_t listed = 0;
  while (true) {
    const std::size_t comma = list.find(',');
    std::string_view one = list.substr(0, comma);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
    if (++listed > kMaxTypes) {
      return Status(Code::kInvalidArgument,
                    "_type lists more than " + std::to_string(kMaxTypes) + " types", "_type");
    }
    if (!fhir::is_resource_type(one)) {
      return Status(Code::kInvalidArgument,
                    "_type: '" + std::string(one) + "' is not a resource type", "_type");
    }
    if (level != ExportLevel::kSystem && !in_patient_compartment(one)) {
      return Status(Code::kInvalidArgument,
                    "_type: " + std::string(one) +
                        " is not in the Patient compartment, which a patient or group export "
                        "covers",
                    "_type");
    }
    out.emplace_back(one);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return Status::ok();
}

}  // namespace

Result<ExportParams> parse_export_params(const Route& route, const Request& request) {
  if (!prefers(request, "respond-async")) {
    return Status(Code::kInvalidArgument,
                  "$export runs asynchronously: send the header 'Prefer: respond-async'", "Prefer");
  }
  ExportParams p;
  if (route.type == "Group") {
    p.level = ExportLevel::kGroup;
    p.group_id = route.id;
  } else if (route.type == "Patient") {
    p.level = ExportLevel::kPatient;
  }
  const bool lenient = prefers(request, "handling=lenient");
  bool typed = false;
  for (const auto& [name, value] : request.query) {
    if (name == "_type") {
      typed = true;
      HEARTH_RETURN_IF_ERROR(parse_types(value, p.level, p.types));
    } else if (name == "_since") {
      p.since_micros = parse_instant_lower_bound(value);
      if (!p.since_micros) {
        return Status(Code::kInvalidArgument, "_since '" + value + "' is not a FHIR instant",
                      "_since");
      }
    } else if (name == "_outputFormat") {
      if (value != "application/fhir+ndjson" && value != "application/fhir ndjson" &&
          value != "application/ndjson" && value != "ndjson") {
        return Status(Code::kInvalidArgument,
                      "_outputFormat '" + value +
                          "' is not served (application/fhir+ndjson, application/ndjson, ndjson)",
                      "_outputFormat");
      }
    } else if (name == "_format" || name == "_pretty") {
      continue;
    } else if (!lenient) {
      return Status(Code::kInvalidArgument,
                    "$export does not support the parameter '" + name +
                        "' (supported: _type, _since, _outputFormat; 'Prefer: handling=lenient' "
                        "ignores the others)",
                    name);
    }
  }
  if (!typed) p.types = default_types(p.level);
  std::sort(p.types.begin(), p.types.end());
  p.types.erase(std::unique(p.types.begin(), p.types.end()), p.types.end());
  return p;
}

}  // namespace hearth::api
