// What the access log shows of a request target: the path and the query parameter names, not
// their values (PHI), unless --log-query-values asks for them.
#include "server/access_log.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace hearth::server {
namespace {

std::string logged(std::string_view target, bool values = false) {
  std::string out;
  append_logged_target(out, target, values);
  return out;
}

TEST_CASE("access log target: parameter names only by default") {
  CHECK(logged("/fhir/Patient?family=Smith&birthdate=1970-01-01") ==
        "/fhir/Patient?family=&birthdate=");
  CHECK(logged("/fhir/Patient/123/_history/2") == "/fhir/Patient/123/_history/2");
  CHECK(logged("/fhir/Patient?identifier=http://x%7C123&name:exact=Ann#frag") ==
        "/fhir/Patient?identifier=&name:exact=");
  CHECK(logged("/fhir/Patient?_summary&&x=1&") == "/fhir/Patient?_summary=&x=");
  CHECK(logged("/fhir/Patient?") == "/fhir/Patient");
  CHECK(logged("/fhir/metadata#x=1") == "/fhir/metadata");
}

TEST_CASE("access log target: --log-query-values writes the target as sent") {
  CHECK(logged("/fhir/Patient?family=Smith", true) == "/fhir/Patient?family=Smith");
}

}  // namespace
}  // namespace hearth::server

namespace hearth::server {
namespace {

// 2026-01-02T03:04:05.678901Z
constexpr std::int64_t kNow = 1767323045678901;

AccessEntry read_entry() {
  return AccessEntry{.method = "GET",
                     .target = "/fhir/Patient/1?_format=json",
                     .status = 200,
                     .duration = std::chrono::microseconds(153),
                     .request_id = "abc-123",
                     .interaction = "read",
                     .type = "Patient",
                     .peer = "127.0.0.1:50312"};
}

TEST_CASE("access line, text: path and parameter names, status, duration, request id") {
  std::string out;
  format_access(out, read_entry(), LogFormat::kText, kNow);
  CHECK(out == "hearth: GET /fhir/Patient/1?_format= 200 153us id=abc-123\n");
  AccessEntry slow = read_entry();
  slow.duration = std::chrono::milliseconds(25);
  out.clear();
  format_access(out, slow, LogFormat::kText, kNow);
  CHECK(out == "hearth: GET /fhir/Patient/1?_format= 200 25ms id=abc-123\n");
}

TEST_CASE("access line, json: one object with every field, query values dropped") {
  std::string out;
  format_access(out, read_entry(), LogFormat::kJson, kNow);
  CHECK(out ==
        "{\"time\":\"2026-01-02T03:04:05.678901Z\",\"level\":\"info\",\"event\":\"http.request\","
        "\"request_id\":\"abc-123\",\"method\":\"GET\",\"target\":\"/fhir/Patient/1?_format=\","
        "\"route\":\"read Patient\",\"status\":200,\"latency_us\":153,"
        "\"peer\":\"127.0.0.1:50312\"}\n");
  AccessEntry failed = read_entry();
  failed.status = 503;
  failed.interaction = "";
  failed.type = "";
  out.clear();
  format_access(out, failed, LogFormat::kJson, kNow);
  CHECK(out.find("\"level\":\"error\"") != std::string::npos);
  CHECK(out.find("\"route\":\"unknown\"") != std::string::npos);
}

TEST_CASE("json strings: quotes, backslashes, control characters and bytes that are not UTF-8") {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\x01");
  CHECK(out == "\"a\\\"b\\\\c\\u000ad\\u0001\"");
  out.clear();
  append_json_string(out, "caf\xc3\xa9");  // valid UTF-8 stays as it is
  CHECK(out == "\"caf\xc3\xa9\"");
  out.clear();
  append_json_string(out, "bad\xff");
  CHECK(out == "\"bad\\u00ff\"");
}

TEST_CASE("free-form lines: credentials masked; text loses control characters, json escapes") {
  std::string out;
  format_line(out, "cannot open postgresql://u:secret@db/x\nforged", LogLevel::kError,
              LogFormat::kText, kNow);
  CHECK(out.find("secret") == std::string::npos);
  CHECK(out.find('\n') == out.size() - 1);
  CHECK(out.starts_with("hearth: cannot open "));
  out.clear();
  format_line(out, "listening on http://127.0.0.1:8080/fhir", LogLevel::kInfo, LogFormat::kJson,
              kNow);
  CHECK(out ==
        "{\"time\":\"2026-01-02T03:04:05.678901Z\",\"level\":\"info\","
        "\"event\":\"listening on http://127.0.0.1:8080/fhir\"}\n");
  out.clear();
  format_line(out, "a\nb", LogLevel::kWarning, LogFormat::kJson, kNow);
  CHECK(out.find("\"level\":\"warning\",\"event\":\"a\\u000ab\"") != std::string::npos);
}

TEST_CASE("mllp line: text and json") {
  const MllpEntry entry{"10.0.0.5:4000", "ORU^R01", "MSG00003", "AA",
                        std::chrono::microseconds(1500)};
  std::string out;
  format_mllp(out, entry, LogFormat::kText, kNow);
  CHECK(out == "hearth: MLLP 10.0.0.5:4000 ORU^R01 MSG00003 AA 1500us\n");
  out.clear();
  format_mllp(out, MllpEntry{"10.0.0.5:4000", "", "", "", std::chrono::microseconds(7)},
              LogFormat::kText, kNow);
  CHECK(out == "hearth: MLLP 10.0.0.5:4000 - - - 7us\n");
  out.clear();
  format_mllp(out, entry, LogFormat::kJson, kNow);
  CHECK(out ==
        "{\"time\":\"2026-01-02T03:04:05.678901Z\",\"level\":\"info\",\"event\":\"mllp.message\","
        "\"peer\":\"10.0.0.5:4000\",\"message_type\":\"ORU^R01\",\"control_id\":\"MSG00003\","
        "\"ack\":\"AA\",\"latency_us\":1500}\n");
}

}  // namespace
}  // namespace hearth::server
