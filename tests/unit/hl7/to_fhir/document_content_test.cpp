// MDM^T02: the document its OBX segments carry becomes the DocumentReference's content
// (document_content.h): TX lines as one text attachment, FT as text/hl7v2, RP as urls; TXA-3's
// presentation code is not a content type.
#include "hl7/to_fhir/document_content.h"

#include <doctest/doctest.h>

#include <string>

#include "core/base64.h"
#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::map_text;

std::string decoded(const rapidjson::Value& content) {
  const std::optional<std::string> text = decode_base64(content["attachment"]["data"].GetString());
  REQUIRE(text.has_value());
  return *text;
}

}  // namespace

TEST_CASE("MDM^T02: TX lines, FT text and RP references as the document's content") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|DOC|H|HEARTH|H|20260101120000||MDM^T02^MDM_T02|1|P|2.5.1\r"
      "EVN|T02|20260101120000\r"
      "PID|1||123^^^H^MR||DOE^JANE\r"
      "PV1|1|O\r"
      "TXA|1|PN^Progress note|TX|20260101||20260101120000|||||||DOC1||||AU||AV\r"
      "OBX|1|TX|NOTE^Note||Line one~~Line three||||||F\r"
      "OBX|2|TX|NOTE^Note||Line four||||||F\r"
      "OBX|3|FT|NOTE^Note||Bold \\H\\text\\N\\\\.br\\next||||||F\r"
      "OBX|4|RP|IMG^Image||http://example.org/doc.pdf^^application^pdf||||||F\r",
      bundle);
  REQUIRE(mapped.is_ok());
  REQUIRE(bundle.by_type["DocumentReference"].size() == 1);
  const rapidjson::Value& document = *bundle.by_type["DocumentReference"][0];
  REQUIRE(document.HasMember("content"));
  const auto& content = document["content"];
  REQUIRE(content.Size() == 3);  // TXA-3 "TX" made no content of its own
  CHECK(std::string(content[0]["attachment"]["contentType"].GetString()) == "application/text");
  CHECK(decoded(content[0]) == "Line one\n\nLine three\nLine four");
  CHECK(std::string(content[1]["attachment"]["contentType"].GetString()) == "text/hl7v2");
  CHECK(decoded(content[1]) == "Bold \\H\\text\\N\\\\.br\\next");
  CHECK(std::string(content[2]["attachment"]["url"].GetString()) == "http://example.org/doc.pdf");
  CHECK_FALSE(content[2]["attachment"].HasMember("data"));
}

// ED.3 (table 0291) -> Attachment.contentType through Hearth's DataSubtype[MimeType] map: a
// MIME type, never the bare subtype; an unknown subtype is left out with a warning.
TEST_CASE("MDM^T02: an ED document's subtype (table 0291) becomes a MIME type") {
  const std::string head =
      "MSH|^~\\&|DOC|H|HEARTH|H|20260101120000||MDM^T02^MDM_T02|1|P|2.5.1\r"
      "EVN|T02|20260101120000\r"
      "PID|1||123^^^H^MR||DOE^JANE\r"
      "TXA|1|DS^Discharge summary|AP|20260101||20260101120000|||||||DOC2||||AU||AV\r";
  struct Case {
    const char* ed;            // OBX-5
    const char* content_type;  // expected contentType; "" when left out
  };
  const Case cases[] = {
      {"^AP^PDF^Base64^JVBERi0xLjQ=", "application/pdf"},
      {"^application^pdf^Base64^JVBERi0xLjQ=", "application/pdf"},
      {"^IM^JPEG^Base64^/9j/4AAQ", "image/jpeg"},
      {"^TEXT^XML^Base64^PGE+PC9hPg==", "application/xml"},
      {"^IM^JOT^Base64^AAAA", ""},  // table 0291's ink data: no MIME type
  };
  for (const Case& c : cases) {
    CAPTURE(c.ed);
    Bundle bundle;
    Result<MappedMessage> mapped =
        map_text(head + "OBX|1|ED|DOC^Document||" + c.ed + "||||||F\r", bundle);
    REQUIRE(mapped.is_ok());
    REQUIRE(bundle.by_type["DocumentReference"].size() == 1);
    const rapidjson::Value& document = *bundle.by_type["DocumentReference"][0];
    REQUIRE(document.HasMember("content"));
    REQUIRE(document["content"].Size() == 1);
    const rapidjson::Value& attachment = document["content"][0]["attachment"];
    CHECK(attachment.HasMember("data"));
    bool warned = false;
    for (const MappingIssue& issue : mapped->issues) {
      warned = warned || (issue.segment == "OBX" && issue.field == 5 && issue.component == 3 &&
                          issue.message.find("DataSubtype[MimeType]") != std::string::npos);
    }
    if (*c.content_type != '\0') {
      REQUIRE(attachment.HasMember("contentType"));
      CHECK(std::string(attachment["contentType"].GetString()) == c.content_type);
      CHECK_FALSE(warned);
    } else {
      CHECK_FALSE(attachment.HasMember("contentType"));
      CHECK(warned);
    }
  }
}

TEST_CASE("MDM^T02: no OBX, no content") {
  Result<Message> message = Message::parse(
      "MSH|^~\\&|DOC|H|HEARTH|H|20260101120000||MDM^T02^MDM_T02|1|P|2.5.1\r"
      "TXA|1|PN|TX\r");
  REQUIRE(message.is_ok());
  ResourceBuilder builder(testing::ids());
  Result<Resource*> document = builder.add("DocumentReference");
  REQUIRE(document.is_ok());
  CHECK(add_document_content(*message, *(*document)->root) == 0);
  CHECK((*document)->root->empty());
}

}  // namespace hearth::hl7::to_fhir
