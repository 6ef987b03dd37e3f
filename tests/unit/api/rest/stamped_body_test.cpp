// StampedBody: id and meta set ahead of the write, versionId and lastUpdated filled in at render,
// and meta.source left to render (an HL7 message's resources, prepared before their message has
// its archive id).
#include <doctest/doctest.h>

#include <string>

#include "api/rest/resource_body.h"
#include "fhir/json.h"
#include "rest_test_support.h"

namespace hearth::api {
namespace {

fhir::JsonDocument parse(std::string_view text) {
  return testing::json_doc(text);
}

constexpr std::int64_t kTime = 1'772'000'000'000'000;  // 2026-02-25T06:13:20.000000Z

TEST_CASE("StampedBody: id and meta first, the client's other meta kept") {
  auto doc = parse(R"({"gender":"male","resourceType":"Patient","id":"old",
    "meta":{"versionId":"9","tag":[{"code":"t"}],"source":"urn:client"}})");
  const StampedBody body(doc, "p1");
  CHECK(
      body.render(3, kTime) ==
      R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"3",)"
      R"("lastUpdated":"2026-02-25T06:13:20.000000Z","tag":[{"code":"t"}],"source":"urn:client"},)"
      R"("gender":"male"})");
}

TEST_CASE("StampedBody with the source at render: the given one, after lastUpdated") {
  auto doc = parse(R"({"resourceType":"Patient","gender":"male",
    "meta":{"tag":[{"code":"t"}],"source":"urn:client"}})");
  const StampedBody body(doc, doc.GetAllocator(), "p1", /*source_at_render=*/true);
  CHECK(body.render(1, kTime, "urn:hearth:hl7-message:42") ==
        R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"1",)"
        R"("lastUpdated":"2026-02-25T06:13:20.000000Z","source":"urn:hearth:hl7-message:42",)"
        R"("tag":[{"code":"t"}]},"gender":"male"})");
  // Without one the member is left out, the rest unchanged.
  CHECK(body.render(2, kTime) ==
        R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"2",)"
        R"("lastUpdated":"2026-02-25T06:13:20.000000Z","tag":[{"code":"t"}]},"gender":"male"})");
  // A source that JSON must escape is escaped, and the body parses back to it.
  const std::string escaped = body.render(1, kTime, "urn:x:\"q\"\\");
  auto back = fhir::parse_json(escaped);
  REQUIRE(back.is_ok());
  CHECK(std::string((*back)["meta"]["source"].GetString()) == "urn:x:\"q\"\\");
}

TEST_CASE("StampedBody with the source at render on a resource without meta") {
  auto doc = parse(R"({"resourceType":"Basic","code":{"text":"x"}})");
  const StampedBody body(doc, doc.GetAllocator(), "b1", /*source_at_render=*/true);
  CHECK(body.render(1, kTime, "urn:s") ==
        R"({"resourceType":"Basic","id":"b1","meta":{"versionId":"1",)"
        R"("lastUpdated":"2026-02-25T06:13:20.000000Z","source":"urn:s"},"code":{"text":"x"}})");
  CHECK(body.render(1, kTime) ==
        R"({"resourceType":"Basic","id":"b1","meta":{"versionId":"1",)"
        R"("lastUpdated":"2026-02-25T06:13:20.000000Z"},"code":{"text":"x"}})");
}

}  // namespace
}  // namespace hearth::api
