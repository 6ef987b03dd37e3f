// FHIR JSON -> XML: definition order whatever the JSON order, attributes and their escaping,
// primitive extensions merged, null-padded arrays, nested resources, the div, and refusals.
#include "fhir/xml/xml_writer.h"

#include <doctest/doctest.h>

#include <string>

#include "fhir/json.h"
#include "fhir/xml/xml_reader.h"
#include "xml_test_support.h"

namespace hearth::fhir {
namespace {

constexpr std::string_view kDecl = R"(<?xml version="1.0" encoding="UTF-8"?>)";

std::string to_xml(std::string_view json, bool pretty = false) {
  Result<JsonDocument> doc = parse_json(json);
  REQUIRE(doc.is_ok());
  std::string out;
  Status s = write_xml_resource(*doc, pretty, out);
  REQUIRE_MESSAGE(s.is_ok(), s.message() << " @ " << s.issues()[0].expression);
  REQUIRE(out.starts_with(kDecl));
  return out.substr(kDecl.size());
}

Status write_status(std::string_view json) {
  Result<JsonDocument> doc = parse_json(json);
  REQUIRE(doc.is_ok());
  std::string out = "kept";
  Status s = write_xml_resource(*doc, false, out);
  CHECK(out == "kept");  // unchanged on error
  return s;
}

}  // namespace

TEST_CASE("xml writer: element order follows the definitions, not the JSON") {
  CHECK(
      to_xml(R"({"gender":"male","name":[{"given":["A"],"family":"F"}],"id":"p1",)"
             R"("extension":[{"valueString":"v","url":"http://e"}],"resourceType":"Patient",)"
             R"("meta":{"versionId":"1"},"active":true})") ==
      R"(<Patient xmlns="http://hl7.org/fhir"><id value="p1"/><meta><versionId value="1"/></meta>)"
      R"(<extension url="http://e"><valueString value="v"/></extension><active value="true"/>)"
      R"(<name><family value="F"/><given value="A"/></name><gender value="male"/></Patient>)");
}

TEST_CASE("xml writer: primitive extensions, null padding, numbers and escaping") {
  CHECK(
      to_xml(
          R"({"resourceType":"Patient","_birthDate":{"id":"b","extension":[{"url":"u","valueInteger":1}]},)"
          R"("birthDate":"1970","name":[{"id":"n","given":["A",null],"_given":[null,{"id":"g"}]}],)"
          R"("multipleBirthInteger":2})") ==
      R"(<Patient xmlns="http://hl7.org/fhir"><name id="n"><given value="A"/><given id="g"/></name>)"
      R"(<birthDate id="b" value="1970"><extension url="u"><valueInteger value="1"/></extension></birthDate>)"
      R"(<multipleBirthInteger value="2"/></Patient>)");
  CHECK(
      to_xml(R"({"resourceType":"Basic","code":{"text":"a&b<c>\"d\"\te\nf\rg"}})") ==
      R"(<Basic xmlns="http://hl7.org/fhir"><code><text value="a&amp;b&lt;c&gt;&quot;d&quot;&#x9;e&#xA;f&#xD;g"/></code></Basic>)");
  CHECK(
      to_xml(
          R"({"resourceType":"Observation","status":"final","code":{"text":"t"},"valueQuantity":{"value":1.50}})") ==
      R"(<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="t"/></code>)"
      R"(<valueQuantity><value value="1.50"/></valueQuantity></Observation>)");
}

TEST_CASE("xml writer: nested resources and the XHTML div") {
  CHECK(
      to_xml(
          R"({"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o"}],)"
          R"("text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p></div>"}})") ==
      R"(<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>)"
      R"(<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></text>)"
      R"(<contained><Organization><id value="o"/></Organization></contained></Patient>)");
  // A div written without the namespace gets it.
  CHECK(
      to_xml(
          R"({"resourceType":"Basic","text":{"status":"generated","div":"<div>x</div>"},"code":{"text":"c"}})") ==
      R"(<Basic xmlns="http://hl7.org/fhir"><text><status value="generated"/>)"
      R"(<div xmlns="http://www.w3.org/1999/xhtml">x</div></text><code><text value="c"/></code></Basic>)");
}

TEST_CASE("xml writer: pretty output indents and reads back the same") {
  std::string json =
      R"({"resourceType":"Patient","id":"p","name":[{"given":["A","B"]}],"active":false})";
  std::string xml = to_xml(json, true);
  CHECK(xml ==
        "\n<Patient xmlns=\"http://hl7.org/fhir\">\n  <id value=\"p\"/>\n  <active "
        "value=\"false\"/>\n"
        "  <name>\n    <given value=\"A\"/>\n    <given value=\"B\"/>\n  </name>\n</Patient>\n");
  Result<JsonDocument> back = parse_xml_resource(xml);
  REQUIRE(back.is_ok());
  CHECK(testing::json_difference(*parse_json(json), *back).empty());
}

TEST_CASE("xml writer: JSON that is not a known resource is an invalid argument") {
  CHECK(write_status(R"({"resourceType":"Nope"})").code() == Code::kInvalidArgument);
  CHECK(write_status(R"({"id":"x"})").code() == Code::kInvalidArgument);
  CHECK(write_status(R"([1])").code() == Code::kInvalidArgument);
  Status unknown = write_status(R"({"resourceType":"Patient","name":[{"foo":"x"}]})");
  CHECK(unknown.code() == Code::kInvalidArgument);
  CHECK(unknown.issues()[0].expression == "Patient.name[0].foo");
  CHECK(write_status(R"({"resourceType":"Patient","active":"true"})").code() ==
        Code::kInvalidArgument);
  CHECK(write_status(R"({"resourceType":"Patient","gender":["male"]})").code() ==
        Code::kInvalidArgument);
  CHECK(write_status(R"({"resourceType":"Patient","name":{"family":"x"}})").code() ==
        Code::kInvalidArgument);
  CHECK(write_status(R"({"resourceType":"Patient","name":[{"given":[null]}]})").code() ==
        Code::kInvalidArgument);
  CHECK(write_status(R"({"resourceType":"Patient","gender":"a\u0001b"})").code() ==
        Code::kInvalidArgument);
  CHECK(
      write_status(R"({"resourceType":"Observation","valueString":"a","valueInteger":1})").code() ==
      Code::kInvalidArgument);
  // A div that would close elements around it, or is not XHTML, is refused.
  CHECK(
      write_status(
          R"({"resourceType":"Basic","text":{"status":"generated",)"
          R"("div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></text><id value=\"evil\"/><text><div>"}})")
          .code() == Code::kInvalidArgument);
  CHECK(write_status(R"({"resourceType":"Basic","text":{"status":"generated","div":"<p>x</p>"}})")
            .code() == Code::kInvalidArgument);
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml writer: a div with an undeclared prefix is refused") {
  CHECK(write_status(R"({"resourceType":"Basic","text":{"status":"generated",)"
                     R"("div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><x:b/></div>"}})")
            .code() == Code::kInvalidArgument);
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml writer: the div is the only thing written; trailing whitespace dropped") {
  CHECK(write_status(R"({"resourceType":"Basic","text":{"status":"generated",)"
                     R"("div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div><!-- c -->"}})")
            .code() == Code::kInvalidArgument);
  CHECK(
      to_xml(R"({"resourceType":"Basic","text":{"status":"generated","div":"<div>x</div>\n "},)"
             R"("code":{"text":"c"}})") ==
      R"(<Basic xmlns="http://hl7.org/fhir"><text><status value="generated"/>)"
      R"(<div xmlns="http://www.w3.org/1999/xhtml">x</div></text><code><text value="c"/></code></Basic>)");
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml writer: a div of more nodes than an XML body may have is refused, not built") {
  auto basic = [](std::size_t elements) {
    std::string div = R"(<div xmlns=\"http://www.w3.org/1999/xhtml\">)";
    for (std::size_t i = 0; i < elements; ++i) div += "<b/>";
    return R"({"resourceType":"Basic","code":{"text":"c"},"text":{"status":"generated","div":")" +
           div + R"(</div>"}})";
  };
  CHECK(to_xml(basic(1000)).find("<b/><b/>") != std::string::npos);
  // The div element and its <b/>s (namespace declarations are not attributes to libxml2).
  Status over = write_status(basic(kDefaultXmlMaxNodes));
  CHECK(over.code() == Code::kInvalidArgument);
  CHECK(over.message().find("--xml-max-nodes") != std::string::npos);
}

}  // namespace hearth::fhir
