// api/audit_event.h: the AuditEvent of an access, valid against the R4 definitions, its action
// and outcome from the interaction and status, the query in base64.
#include "api/audit_event.h"

#include <doctest/doctest.h>

#include "core/base64.h"
#include "fhir/json.h"
#include "fhir/validate.h"

namespace hearth::api {
namespace {

AuditRecord read_record() {
  AuditRecord record;
  record.recorded_micros = 1'800'000'000'000'000;
  record.interaction = "read";
  record.status = 200;
  record.subject = "user-1";
  record.client_id = "app";
  record.address = "127.0.0.1:4000";
  record.reference = "Observation/o1";
  record.description = "request req-1";
  return record;
}

std::string member(const fhir::JsonValue& value, const char* name) {
  auto it = value.FindMember(name);
  return it == value.MemberEnd() || !it->value.IsString() ? std::string()
                                                          : std::string(it->value.GetString());
}

TEST_CASE("audit event: a read by a token's subject, valid R4") {
  const std::string json = audit_event_json(read_record(), "a1");
  auto doc = fhir::parse_json(json);
  REQUIRE(doc.is_ok());
  Status valid = fhir::validate_resource(*doc, "AuditEvent");
  CHECK_MESSAGE(valid.is_ok(), valid.message());
  CHECK(member(*doc, "id") == "a1");
  CHECK(member(*doc, "action") == "R");
  CHECK(member(*doc, "outcome") == "0");
  CHECK(member(*doc, "recorded") == "2027-01-15T08:00:00.000000Z");
  const auto& agent = (*doc)["agent"][0];
  CHECK(member(agent["who"]["identifier"], "value") == "user-1");
  CHECK(member(agent, "altId") == "app");
  CHECK(member(agent["network"], "address") == "127.0.0.1:4000");
  CHECK(member((*doc)["entity"][0]["what"], "reference") == "Observation/o1");
  CHECK(member((*doc)["subtype"][0], "code") == "read");
}

TEST_CASE("audit event: action and outcome from the interaction and the status") {
  CHECK(audit_action("create") == "C");
  CHECK(audit_action("search-type") == "R");
  CHECK(audit_action("conditional-patch") == "U");
  CHECK(audit_action("conditional-delete") == "D");
  CHECK(audit_action("transaction") == "E");
  CHECK(audit_action("hl7-message") == "C");
  CHECK(audit_action("validate") == "E");
  AuditRecord refused = read_record();
  refused.status = 401;
  refused.subject.clear();
  refused.client_id.clear();
  refused.reference.clear();
  refused.interaction = "search-type";
  refused.query = "name=Smith&_count=5";
  auto doc = fhir::parse_json(audit_event_json(refused, "a2"));
  REQUIRE(doc.is_ok());
  CHECK(fhir::validate_resource(*doc, "AuditEvent").is_ok());
  CHECK(member(*doc, "outcome") == "4");
  CHECK(member(*doc, "outcomeDesc") == "401");
  CHECK_FALSE((*doc)["agent"][0].HasMember("who"));
  const std::string query = member((*doc)["entity"][0], "query");
  CHECK(query == "bmFtZT1TbWl0aCZfY291bnQ9NQ==");
  CHECK(decode_base64(query) == std::optional<std::string>("name=Smith&_count=5"));
  AuditRecord failed = read_record();
  failed.status = 503;
  CHECK(audit_event_json(failed, "a3").find("\"outcome\":\"8\"") != std::string::npos);
}

TEST_CASE("audit event: the document is what parsing the text gives; no JSON, no document") {
  AuditRecord message = read_record();
  message.interaction = "hl7-message";
  message.client_id.clear();
  message.query.clear();
  message.tenant = "lab-1";
  AuditRecord search = read_record();
  search.interaction = "search-type";
  search.reference.clear();
  search.query = "name=M\xc3\xbcller";
  for (const AuditRecord& record : {read_record(), message, search}) {
    CAPTURE(record.interaction);
    auto built = audit_event_document(record, "d1");
    REQUIRE(built.is_ok());
    auto parsed = fhir::parse_json(audit_event_json(record, "d1"));
    REQUIRE(parsed.is_ok());
    CHECK(*built == *parsed);
    CHECK(fhir::validate_resource(*built, "AuditEvent").is_ok());
  }
  AuditRecord bad = read_record();
  bad.subject = std::string("user\0x", 6);  // a token's "sub" may decode to anything
  CHECK(audit_event_document(bad, "d2").status().code() == Code::kMalformed);
  CHECK_FALSE(fhir::parse_json(audit_event_json(bad, "d2")).is_ok());
  bad.subject = "user\xff";
  CHECK(audit_event_document(bad, "d3").status().code() == Code::kMalformed);
}

}  // namespace
}  // namespace hearth::api
