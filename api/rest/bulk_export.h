// The Bulk Data $export interactions of the REST core (bulk_export_operation.cpp), run by
// RestHandler with its BulkExportJobs. Each answers a Response or an error Status, as the other
// interactions do (interactions.h).
//
// export_kickoff: GET [base]/$export, Patient/$export, Group/[id]/$export -> 202 with
//   Content-Location [base]/$export-status/[job]. Errors: parse_export_params's (400);
//   kForbidden when the token lacks system/ read scopes on a type exported; kNotFound / kGone
//   for the Group; kUnavailable (503, Retry-After) when --export-max-jobs jobs run already.
// export_status: GET [base]/$export-status/[job] -> 202 (X-Progress, Retry-After) while it
//   runs, 200 with the manifest (application/json, Expires) when complete, 500 with an
//   OperationOutcome when it failed. Errors: kNotFound for an unknown, deleted or expired job;
//   kForbidden for a token that could not have started it.
// export_delete: DELETE [base]/$export-status/[job] -> 202; the job stops and its files go.
//   Errors as export_status.
// export_file: GET [base]/$export-file/[job]/[file] -> 200 application/fhir+ndjson. Errors as
//   export_status; kNotFound for a file that is not the job's.
#pragma once

#include "api/rest/bulk_export_jobs.h"
#include "api/rest/interactions.h"

namespace hearth::api {

Result<Response> export_kickoff(const InteractionContext& ctx, BulkExportJobs& jobs);
Result<Response> export_status(const InteractionContext& ctx, BulkExportJobs& jobs);
Result<Response> export_delete(const InteractionContext& ctx, BulkExportJobs& jobs);
Result<Response> export_file(const InteractionContext& ctx, BulkExportJobs& jobs);

}  // namespace hearth::api
