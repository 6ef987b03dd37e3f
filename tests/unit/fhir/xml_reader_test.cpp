// FHIR XML -> JSON: the shapes of R4's XML format (primitives, arrays with null padding, choice
// types, attributes, nested resources, content references, the XHTML div) and every refusal
// (DOCTYPE/XXE, limits, namespace, malformed XML, unknown content).
#include "fhir/xml/xml_reader.h"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "fhir/json.h"
#include "fhir/xml/xml_writer.h"
#include "xml_test_support.h"

namespace hearth::fhir {
namespace {

// Parses `xml` and checks it equals the JSON `expected` (member order aside).
void check_reads_as(std::string_view xml, std::string_view expected) {
  Result<JsonDocument> got = parse_xml_resource(xml);
  REQUIRE_MESSAGE(got.is_ok(), got.status().message());
  Result<JsonDocument> want = parse_json(expected);
  REQUIRE(want.is_ok());
  CHECK_MESSAGE(testing::json_difference(*want, *got).empty(),
                testing::json_difference(*want, *got) << "\n got: " << write_json(*got));
}

Status read_status(std::string_view xml, const XmlLimits& limits = {}) {
  return parse_xml_resource(xml, limits).status();
}

}  // namespace

TEST_CASE("xml reader: primitives become typed JSON values, exact number text kept") {
  check_reads_as(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<Patient xmlns="http://hl7.org/fhir">
  <!-- a comment and a processing instruction are ignored --><?pi x?>
  <id value="p1"/>
  <active value="true"/>
  <gender value="male"/>
  <multipleBirthInteger value="3"/>
</Patient>)",
      R"({"resourceType":"Patient","id":"p1","active":true,"gender":"male","multipleBirthInteger":3})");
  Result<JsonDocument> obs = parse_xml_resource(
      R"(<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="t"/></code>
      <valueQuantity><value value="1.50"/></valueQuantity>
      <referenceRange><low><value value="1e2"/></low></referenceRange></Observation>)");
  REQUIRE(obs.is_ok());
  CHECK(write_json(*obs) ==
        R"({"resourceType":"Observation","status":"final","code":{"text":"t"},)"
        R"("valueQuantity":{"value":1.50},"referenceRange":[{"low":{"value":1e2}}]})");
}

TEST_CASE("xml reader: primitive id and extensions go to _name, arrays padded with null") {
  check_reads_as(
      R"(<Patient xmlns="http://hl7.org/fhir"><name id="n1"><given value="A"/>
      <given id="g2"><extension url="http://e"><valueString value="x"/></extension></given>
      <given value="C"/></name>
      <birthDate value="1974-12-25"><extension url="http://b"><valueBoolean value="false"/></extension></birthDate>
      </Patient>)",
      R"({"resourceType":"Patient","name":[{"id":"n1","given":["A",null,"C"],
          "_given":[null,{"id":"g2","extension":[{"url":"http://e","valueString":"x"}]},null]}],
          "birthDate":"1974-12-25",
          "_birthDate":{"extension":[{"url":"http://b","valueBoolean":false}]}})");
  // Only extensions in a repeating primitive: no value array at all (as the official JSON does).
  check_reads_as(
      R"(<ActivityDefinition xmlns="http://hl7.org/fhir"><status value="draft"/><timingTiming>
      <event><extension url="http://e"><valueString value="x"/></extension></event></timingTiming>
      </ActivityDefinition>)",
      R"({"resourceType":"ActivityDefinition","status":"draft","timingTiming":
          {"_event":[{"extension":[{"url":"http://e","valueString":"x"}]}]}})");
}

TEST_CASE("xml reader: nested resources, content references and the XHTML div") {
  check_reads_as(
      R"(<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
      <entry><resource><Patient><contained><Organization><id value="o"/></Organization></contained>
      <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml">a &lt; b &amp; "c"<br/><p class="x">y</p></div></text>
      </Patient></resource></entry>
      <entry><response><status value="200"/><outcome><OperationOutcome><issue><severity value="error"/>
      <code value="invalid"/></issue></OperationOutcome></outcome></response></entry></Bundle>)",
      R"({"resourceType":"Bundle","type":"collection","entry":[
          {"resource":{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o"}],
            "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">a &lt; b &amp; &quot;c&quot;<br/><p class=\"x\">y</p></div>"}}},
          {"response":{"status":"200","outcome":{"resourceType":"OperationOutcome",
            "issue":[{"severity":"error","code":"invalid"}]}}}]})");
  check_reads_as(
      R"(<Questionnaire xmlns="http://hl7.org/fhir"><status value="draft"/><item><linkId value="1"/>
      <type value="group"/><item><linkId value="1.1"/><type value="string"/><text value="a&#10;b"/></item></item>
      </Questionnaire>)",
      R"({"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"group",
          "item":[{"linkId":"1.1","type":"string","text":"a\nb"}]}]})");
  check_reads_as(
      R"(<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="r"/><resource><Basic>
      <code><text value="x"/></code></Basic></resource></parameter></Parameters>)",
      R"({"resourceType":"Parameters","parameter":[{"name":"r","resource":{"resourceType":"Basic","code":{"text":"x"}}}]})");
}

TEST_CASE("xml reader: DOCTYPE, external entities and entity expansion are refused") {
  Status xxe = read_status(
      R"(<?xml version="1.0"?><!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Patient xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Patient>)");
  CHECK(xxe.code() == Code::kMalformed);
  CHECK(xxe.message().find("DOCTYPE") != std::string::npos);
  CHECK(xxe.message().find("root:") == std::string::npos);
  Status laughs = read_status(
      R"(<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<Patient xmlns="http://hl7.org/fhir"><id value="&lol2;"/></Patient>)");
  CHECK(laughs.code() == Code::kMalformed);
  CHECK(
      read_status(
          R"(<!DOCTYPE Patient SYSTEM "http://example.org/x.dtd"><Patient xmlns="http://hl7.org/fhir"/>)")
          .code() == Code::kMalformed);
  // Without a DOCTYPE an entity reference is simply undeclared.
  CHECK(
      read_status(R"(<Patient xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Patient>)").code() ==
      Code::kMalformed);
}

TEST_CASE("xml reader: limits, namespace, resource type and well-formedness") {
  std::string deep = R"(<Questionnaire xmlns="http://hl7.org/fhir"><status value="draft"/>)";
  for (int i = 0; i < 20; ++i) deep += "<item><linkId value=\"x\"/><type value=\"group\"/>";
  for (int i = 0; i < 20; ++i) deep += "</item>";
  deep += "</Questionnaire>";
  CHECK(parse_xml_resource(deep).is_ok());
  Status too_deep = read_status(deep, XmlLimits{64u << 20, 10});
  CHECK(too_deep.code() == Code::kMalformed);
  CHECK(read_status(deep, XmlLimits{100, 256}).code() == Code::kMalformed);

  CHECK(read_status(R"(<Patient xmlns="http://hl7.org/fhir/other"/>)").code() == Code::kMalformed);
  CHECK(read_status(R"(<Patient/>)").code() == Code::kMalformed);
  CHECK(read_status(R"(<Patiente xmlns="http://hl7.org/fhir"/>)").code() == Code::kMalformed);
  CHECK(read_status(R"(<DomainResource xmlns="http://hl7.org/fhir"/>)").code() == Code::kMalformed);
  CHECK(read_status(R"(<Patient xmlns="http://hl7.org/fhir"><id value="x"></Patient>)").code() ==
        Code::kMalformed);
  CHECK(read_status("").code() == Code::kMalformed);
  CHECK(read_status("not xml").code() == Code::kMalformed);
  // A nested resource of an unknown type.
  CHECK(read_status(
            R"(<Patient xmlns="http://hl7.org/fhir"><contained><Nope/></contained></Patient>)")
            .code() == Code::kMalformed);
}

TEST_CASE("xml reader: content the definitions do not allow is unprocessable, with its location") {
  Status unknown = read_status(
      R"(<Patient xmlns="http://hl7.org/fhir"><name><family value="x"/></name><name><foo value="y"/></name></Patient>)");
  CHECK(unknown.code() == Code::kUnprocessable);
  CHECK(unknown.issues()[0].expression == "Patient.name[1].foo");
  CHECK(unknown.message() == "unknown element 'foo' at Patient.name[1].foo");
  CHECK(read_status(R"(<Patient xmlns="http://hl7.org/fhir" bogus="1"/>)").code() ==
        Code::kUnprocessable);
  CHECK(read_status(R"(<Patient xmlns="http://hl7.org/fhir"><active value="yes"/></Patient>)")
            .code() == Code::kUnprocessable);
  CHECK(read_status(
            R"(<Patient xmlns="http://hl7.org/fhir"><multipleBirthInteger value="1x"/></Patient>)")
            .code() == Code::kUnprocessable);
  CHECK(
      read_status(
          R"(<Patient xmlns="http://hl7.org/fhir"><gender value="male"/><gender value="female"/></Patient>)")
          .code() == Code::kUnprocessable);
  CHECK(read_status(R"(<Patient xmlns="http://hl7.org/fhir">text</Patient>)").code() ==
        Code::kUnprocessable);
  CHECK(read_status(R"(<Patient xmlns="http://hl7.org/fhir"><gender/></Patient>)").code() ==
        Code::kUnprocessable);
  Status choice = read_status(
      R"(<Observation xmlns="http://hl7.org/fhir"><valueFoo value="1"/></Observation>)");
  CHECK(choice.code() == Code::kUnprocessable);
  CHECK(choice.issues()[0].expression == "Observation.valueFoo");
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml reader: the div string stands alone: prefixes declared outside it are carried in") {
  check_reads_as(
      R"(<Patient xmlns="http://hl7.org/fhir" xmlns:x="urn:x"><text><status value="generated"/>)"
      R"(<div xmlns="http://www.w3.org/1999/xhtml" x:a="1"><x:b/><td></td><!-- c --></div></text></Patient>)",
      R"({"resourceType":"Patient","text":{"status":"generated","div":)"
      R"("<div xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:x=\"urn:x\" x:a=\"1\"><x:b/><td></td><!-- c --></div>"}})");
  check_reads_as(
      R"(<f:Patient xmlns:f="http://hl7.org/fhir" xmlns:h="http://www.w3.org/1999/xhtml"><f:text>)"
      R"(<f:status value="generated"/><h:div><h:p>x</h:p></h:div></f:text></f:Patient>)",
      R"({"resourceType":"Patient","text":{"status":"generated","div":)"
      R"("<div xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:p>x</h:p></div>"}})");
  // An undeclared prefix is not namespace-well-formed.
  CHECK(read_status(R"(<Patient xmlns="http://hl7.org/fhir"><x:id value="1"/></Patient>)").code() ==
        Code::kMalformed);
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml reader and writer: concurrent use from several threads gives the same results") {
  const std::string xml =
      R"(<Patient xmlns="http://hl7.org/fhir"><id value="p"/><text><status value="generated"/>)"
      R"(<div xmlns="http://www.w3.org/1999/xhtml"><p>x<br/></p></div></text>)"
      R"(<name><given value="A"/><given value="B"/></name></Patient>)";
  Result<JsonDocument> reference = parse_xml_resource(xml);
  REQUIRE(reference.is_ok());
  const std::string expected = write_json(*reference);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        Result<JsonDocument> doc = parse_xml_resource(xml);
        std::string out;
        if (!doc.is_ok() || write_json(*doc) != expected ||
            !write_xml_resource(*doc, false, out).is_ok() ||
            read_status("<!DOCTYPE x><x/>").code() != Code::kMalformed) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(failures.load() == 0);
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml reader: an ampersand in a namespace URI inside the div survives the round trip") {
  check_reads_as(
      R"(<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>)"
      R"(<div xmlns="http://www.w3.org/1999/xhtml"><p xmlns:q="urn:a&amp;b" q:x="1&amp;2">x</p></div>)"
      R"(</text></Patient>)",
      R"({"resourceType":"Patient","text":{"status":"generated","div":)"
      R"("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p xmlns:q=\"urn:a&amp;b\" q:x=\"1&amp;2\">x</p></div>"}})");
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml reader: one value may exceed libxml2's default 10 MB text cap within max_bytes") {
  std::string data(12u << 20, 'A');
  std::string xml =
      R"(<Binary xmlns="http://hl7.org/fhir"><contentType value="a/b"/><data value=")" + data +
      R"("/></Binary>)";
  Result<JsonDocument> doc = parse_xml_resource(xml);
  REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
  CHECK(json_string((*doc)["data"]).size() == data.size());
  CHECK(read_status(xml, XmlLimits{1u << 20, 256}).code() == Code::kMalformed);
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml reader: nesting beyond the default depth limit is refused, also inside the div") {
  std::string items = R"(<Questionnaire xmlns="http://hl7.org/fhir"><status value="draft"/>)";
  for (int i = 0; i < 1000; ++i) items += "<item><linkId value=\"x\"/><type value=\"group\"/>";
  for (int i = 0; i < 1000; ++i) items += "</item>";
  items += "</Questionnaire>";
  CHECK(read_status(items).code() == Code::kMalformed);
  std::string div = R"(<Basic xmlns="http://hl7.org/fhir"><text><status value="generated"/>)"
                    R"(<div xmlns="http://www.w3.org/1999/xhtml">)";
  for (int i = 0; i < 1000; ++i) div += "<b>";
  for (int i = 0; i < 1000; ++i) div += "</b>";
  div += "</div></text><code><text value=\"c\"/></code></Basic>";
  CHECK(read_status(div).code() == Code::kMalformed);
  CHECK(read_status(div, XmlLimits{64u << 20, 2000}).is_ok());
}

}  // namespace hearth::fhir

namespace hearth::fhir {

TEST_CASE("xml reader: node count is bounded while the tree is built (413 beyond)") {
  // <Patient> + 3 x (<given> + value) + <name> = 1 + 1 + 6 nodes.
  const std::string patient = R"(<Patient xmlns="http://hl7.org/fhir"><name>)"
                              R"(<given value="a"/><given value="b"/><given value="c"/>)"
                              R"(</name></Patient>)";
  CHECK(read_status(patient, XmlLimits{.max_nodes = 8}).is_ok());
  Status over = read_status(patient, XmlLimits{.max_nodes = 7});
  CHECK(over.code() == Code::kPayloadTooLarge);
  CHECK(over.message().find("more than 7 nodes") != std::string::npos);
  CHECK(over.message().find("--xml-max-nodes") != std::string::npos);
  // Comments count: each is a node libxml2 would allocate.
  const std::string commented = R"(<Patient xmlns="http://hl7.org/fhir"><!----><!----></Patient>)";
  CHECK(read_status(commented, XmlLimits{.max_nodes = 3}).is_ok());
  CHECK(read_status(commented, XmlLimits{.max_nodes = 2}).code() == Code::kPayloadTooLarge);
}

TEST_CASE("xml reader: 16 MiB of tiny elements stops at the node limit, not at the end") {
  std::string body = R"(<Patient xmlns="http://hl7.org/fhir">)";
  body.reserve(16u << 20);
  while (body.size() < (16u << 20) - 16) body += "<a/>";
  body += "</Patient>";
  Status status = read_status(body);
  CHECK(status.code() == Code::kPayloadTooLarge);
  // Well below the limit the same body is an unknown element, found after the whole parse.
  CHECK(read_status(body, XmlLimits{.max_nodes = 1u << 24}).code() == Code::kUnprocessable);
}

TEST_CASE("xml reader: depth is checked while the tree is built, naming the flag") {
  std::string deep = R"(<Questionnaire xmlns="http://hl7.org/fhir"><status value="draft"/>)";
  for (int i = 0; i < 300; ++i) deep += "<item>";
  for (int i = 0; i < 300; ++i) deep += "</item>";
  deep += "</Questionnaire>";
  Status status = read_status(deep);
  CHECK(status.code() == Code::kMalformed);
  CHECK(status.message().find("--xml-max-depth") != std::string::npos);
  // At the limit (root at 1): 3 levels pass with max_depth 3, 4 do not.
  const std::string three = R"(<Basic xmlns="http://hl7.org/fhir"><code><text value="c"/>)"
                            R"(</code></Basic>)";
  CHECK(read_status(three, XmlLimits{.max_depth = 3}).is_ok());
  CHECK(read_status(three, XmlLimits{.max_depth = 2}).code() == Code::kMalformed);
}

}  // namespace hearth::fhir
