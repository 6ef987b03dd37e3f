// The Bulk Data complete-status manifest (export.html#response---complete-status): what a
// finished export produced, as the JSON object the status URL answers with 200. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hearth::api {

struct ExportOutputFile {
  std::string type;        // the resource type of every line
  std::string url;         // absolute, served by Hearth ($export-file)
  std::int64_t count = 0;  // resources (lines) in the file
};

struct ExportManifest {
  std::int64_t transaction_time_micros = 0;  // the kick-off's instant: nothing later is exported
  std::string request;                       // the kick-off URL
  bool requires_access_token = false;        // the file URLs need the kick-off's bearer token
  std::vector<ExportOutputFile> output;      // in the order written
  std::vector<ExportOutputFile> error;       // OperationOutcome files; none today
};

// {"transactionTime": ..., "request": ..., "requiresAccessToken": ..., "output": [{"type",
// "url", "count"}], "error": [...]}: output and error always present, possibly empty.
std::string manifest_json(const ExportManifest& manifest);

}  // namespace hearth::api
