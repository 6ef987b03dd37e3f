// OperationOutcome building with RapidJSON's writer.
#include "api/outcome.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/code_table.h"

namespace hearth::api {
namespace {

template <typename Writer>
void write_issue(Writer& w, std::string_view severity, std::string_view code,
                 std::string_view diagnostics, std::string_view expression) {
  w.StartObject();
  w.Key("severity");
  w.String(severity.data(), static_cast<rapidjson::SizeType>(severity.size()));
  w.Key("code");
  w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  if (!diagnostics.empty()) {
    w.Key("diagnostics");
    w.String(diagnostics.data(), static_cast<rapidjson::SizeType>(diagnostics.size()));
  }
  if (!expression.empty()) {
    w.Key("expression");
    w.StartArray();
    w.String(expression.data(), static_cast<rapidjson::SizeType>(expression.size()));
    w.EndArray();
  }
  w.EndObject();
}

template <typename Writer>
void write_outcome(Writer& w, const Status& status) {
  w.StartObject();
  w.Key("resourceType");
  w.String("OperationOutcome");
  w.Key("issue");
  w.StartArray();
  if (status.issues().empty()) {
    write_issue(w, "error", issue_type(status.code()), code_info(status.code()).name, "");
  }
  for (const Issue& issue : status.issues()) {
    std::string_view type = issue.type.empty() ? issue_type(status.code()) : issue.type;
    write_issue(w, severity_code(issue.severity), type, issue.diagnostics, issue.expression);
  }
  w.EndArray();
  w.EndObject();
}

template <typename Fn>
std::string with_writer(bool pretty, Fn&& fn) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
    w.SetIndent(' ', 2);
    fn(w);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    fn(w);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string operation_outcome_json(const Status& status, bool pretty) {
  return with_writer(pretty, [&](auto& w) { write_outcome(w, status); });
}

std::string information_outcome_json(std::string_view diagnostics, bool pretty) {
  Status info(Code::kOk,
              {Issue{Severity::kInformation, "informational", std::string(diagnostics), ""}});
  return with_writer(pretty, [&](auto& w) { write_outcome(w, info); });
}

Response outcome_response(const Status& status, const ResponseFormat& format) {
  if (format.format == Format::kJson) {  // the common case: written once, already indented
    Response response;
    response.status = http_status(status.code());
    response.content_type = std::string(kFhirJsonContentType);
    response.body = operation_outcome_json(status, format.pretty);
    return response;
  }
  return fhir_response(http_status(status.code()), operation_outcome_json(status, false), format);
}

}  // namespace hearth::api
