// Bulk Data $export over HTTP (https://hl7.org/fhir/uv/bulkdata/STU2/export.html): the kick-off
// (202 + Content-Location), the status URL ($export-status/[job]: 202 with X-Progress, 200 with
// the manifest, an error's OperationOutcome; DELETE: 202), and the files ($export-file/[job]/
// [file], application/fhir+ndjson). The work runs in BulkExportJobs.
#include <fstream>
#include <iterator>

#include "api/rest/bulk_export.h"
#include "api/rest/outcome.h"
#include "api/rest/smart_scopes.h"
#include "core/time_format.h"
#include "core/url_encoding.h"
#include "fhir/json.h"

namespace hearth::api {
namespace {

constexpr std::size_t kMaxGroupMembers = 100'000;

// The kick-off URL as the client sent it (decoded parameters encoded again).
std::string request_url(const Request& request) {
  std::string url = request.base_url + "/" + request.path;
  char sep = '?';
  for (const auto& [name, value] : request.query) {
    url += sep + url_encode(name) + "=" + url_encode(value);
    sep = '&';
  }
  return url;
}

// The Patient members of Group/[id] (member.entity, not inactive), relative or absolute.
Result<std::vector<std::string>> group_members(storage::ResourceReader& reader,
                                               const std::string& id) {
  HEARTH_ASSIGN_OR_RETURN(storage::ResourceVersion group, reader.read("Group", id));
  HEARTH_ASSIGN_OR_RETURN(fhir::JsonDocument doc, fhir::parse_json(group.body));
  std::vector<std::string> out;
  if (!doc.HasMember("member") || !doc["member"].IsArray()) return out;
  for (const auto& member : doc["member"].GetArray()) {
    if (member.HasMember("inactive") && member["inactive"].IsBool() &&
        member["inactive"].GetBool()) {
      continue;
    }
    if (!member.HasMember("entity") || !member["entity"].HasMember("reference")) continue;
    std::string_view ref = member["entity"]["reference"].GetString();
    const std::size_t slash = ref.rfind('/');
    if (slash == std::string_view::npos) continue;
    std::string_view head = ref.substr(0, slash);
    if (!(head == "Patient" || head.ends_with("/Patient"))) continue;
    out.emplace_back(ref.substr(slash + 1));
    if (out.size() > kMaxGroupMembers) {
      return Status(Code::kUnprocessable, "Group/" + id + " has more than " +
                                              std::to_string(kMaxGroupMembers) +
                                              " Patient members, more than an export takes");
    }
  }
  return out;
}

Status authorize_job(const Request& request, const ExportStatus& job) {
  if (request.grant == nullptr) return Status::ok();
  return authorize_bulk_export(*request.grant, job.types);
}

Response with_header(Response response, std::string name, std::string value) {
  response.headers.emplace_back(std::move(name), std::move(value));
  return response;
}

}  // namespace

Result<Response> export_kickoff(const InteractionContext& ctx, BulkExportJobs& jobs) {
  HEARTH_ASSIGN_OR_RETURN(ExportParams params, parse_export_params(ctx.route, ctx.request));
  if (ctx.request.grant != nullptr) {
    HEARTH_RETURN_IF_ERROR(authorize_bulk_export(*ctx.request.grant, params.types));
  }
  ExportJobSpec spec{.params = std::move(params),
                     .patient_ids = {},
                     .request_url = request_url(ctx.request),
                     .base_url = ctx.request.base_url,
                     .requires_access_token = ctx.request.grant != nullptr,
                     .transaction_time_micros = ctx.clock.now_micros()};
  if (spec.params.level == ExportLevel::kGroup) {
    HEARTH_ASSIGN_OR_RETURN(spec.patient_ids, group_members(ctx.reader, spec.params.group_id));
  }
  Result<std::string> job = jobs.start(std::move(spec));
  if (!job.is_ok()) {
    return with_header(outcome_response(job.status(), ctx.format), "Retry-After", "30");
  }
  Status accepted(Code::kOk, {Issue{Severity::kInformation, "informational",
                                    "export started; poll the Content-Location URL", ""}});
  Response response;
  response.status = 202;
  response.content_type = std::string(kFhirJsonContentType);
  response.body = operation_outcome_json(accepted, false);
  response.headers.emplace_back("Content-Location",
                                ctx.request.base_url + "/$export-status/" + *job);
  return response;
}

Result<Response> export_status(const InteractionContext& ctx, BulkExportJobs& jobs) {
  HEARTH_ASSIGN_OR_RETURN(ExportStatus job, jobs.status(ctx.route.id));
  HEARTH_RETURN_IF_ERROR(authorize_job(ctx.request, job));
  Response response;
  switch (job.state) {
    case ExportState::kRunning:
      response.status = 202;
      response.headers.emplace_back("X-Progress", job.progress.substr(0, 100));
      response.headers.emplace_back("Retry-After", "2");
      return response;
    case ExportState::kComplete:
      response.status = 200;
      response.content_type = "application/json";
      response.body = std::move(job.manifest);
      response.headers.emplace_back("Expires", format_http_date(job.expires_micros));
      return response;
    case ExportState::kFailed: break;
  }
  return outcome_response(Status(Code::kInternal, job.error), ctx.format);
}

Result<Response> export_delete(const InteractionContext& ctx, BulkExportJobs& jobs) {
  HEARTH_ASSIGN_OR_RETURN(ExportStatus job, jobs.status(ctx.route.id));
  HEARTH_RETURN_IF_ERROR(authorize_job(ctx.request, job));
  HEARTH_RETURN_IF_ERROR(jobs.remove(ctx.route.id));
  Status deleted(Code::kOk, {Issue{Severity::kInformation, "informational",
                                   "the export is cancelled and its files deleted", ""}});
  Response response;
  response.status = 202;
  response.content_type = std::string(kFhirJsonContentType);
  response.body = operation_outcome_json(deleted, false);
  return response;
}

Result<Response> export_file(const InteractionContext& ctx, BulkExportJobs& jobs) {
  HEARTH_ASSIGN_OR_RETURN(ExportStatus job, jobs.status(ctx.route.id));
  HEARTH_RETURN_IF_ERROR(authorize_job(ctx.request, job));
  HEARTH_ASSIGN_OR_RETURN(std::string path, jobs.file_path(ctx.route.id, ctx.route.file));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kInternal, "cannot read the export file");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Response response;
  response.status = 200;
  response.content_type = "application/fhir+ndjson";
  response.body = std::move(data);
  return response;
}

}  // namespace hearth::api
