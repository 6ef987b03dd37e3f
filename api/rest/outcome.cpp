// OperationOutcome building with RapidJSON's writer.
#include "api/rest/outcome.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <random>

#include "core/code_table.h"
#include "core/utf8.h"

namespace hearth::api {
namespace {

template <typename Writer>
void write_text(Writer& w, std::string_view text) {
  if (is_xml_text(text)) {
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  } else {
    const std::string clean = xml_text(text);
    w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
  }
}

// 64 random bits as 16 hex digits: enough that two errors a day never share one.
std::string new_reference() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = engine();
  std::string out(16, '0');
  for (char& c : out) {
    c = kHex[bits & 0xF];
    bits >>= 4;
  }
  return out;
}

// Every issue's diagnostics (and expression), for the log line.
std::string detail_of(const Status& status) {
  std::string detail;
  for (const Issue& issue : status.issues()) {
    if (!detail.empty()) detail += "; ";
    detail += issue.diagnostics;
    if (!issue.expression.empty()) detail += " @ " + issue.expression;
  }
  return detail.empty() ? std::string(code_info(status.code()).name) : detail;
}

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
    write_text(w, diagnostics);
  }
  if (!expression.empty()) {
    w.Key("expression");
    w.StartArray();
    write_text(w, expression);
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

namespace {

// The outcome with the status's own text.
Response shown_outcome_response(const Status& status, const ResponseFormat& format) {
  if (format.format == Format::kJson) {  // the common case: written once, already indented
    Response response;
    response.status = http_status(status.code());
    response.content_type = std::string(kFhirJsonContentType);
    response.body = operation_outcome_json(status, format.pretty);
    return response;
  }
  return fhir_response(http_status(status.code()), operation_outcome_json(status, false), format);
}

}  // namespace

bool hides_details(Code code) {
  return code == Code::kInternal || code == Code::kUnavailable;
}

Response outcome_response(const Status& status, const ResponseFormat& format) {
  if (!hides_details(status.code())) return shown_outcome_response(status, format);
  std::string reference = new_reference();
  const char* what = status.code() == Code::kInternal ? "internal error; reference "
                                                      : "service unavailable; reference ";
  Response response = shown_outcome_response(Status(status.code(), what + reference), format);
  response.error_reference = std::move(reference);
  response.error_detail = detail_of(status);
  return response;
}

}  // namespace hearth::api
