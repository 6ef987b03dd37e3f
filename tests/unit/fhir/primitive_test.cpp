// The hand-written primitive checkers against the OFFICIAL regexes from the generated tables:
// for every sample, std::regex (ECMAScript) over the definition's regex and our checker must
// both give the expected answer, except the listed cases where Hearth is deliberately stricter
// than the regex (see fhir/primitive.h).
#include "fhir/primitive.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "fhir/model.h"

namespace hearth::fhir {
namespace {

struct Sample {
  const char* type;
  std::string text;
  bool valid;
};

const std::vector<Sample>& samples() {
  static const std::vector<Sample> kSamples = {
      {"boolean", "true", true},
      {"boolean", "false", true},
      {"boolean", "True", false},
      {"boolean", "1", false},
      {"integer", "0", true},
      {"integer", "-0", true},
      {"integer", "42", true},
      {"integer", "-2147483648", true},
      {"integer", "2147483647", true},
      {"integer", "007", false},
      {"integer", "+1", false},
      {"integer", "1.0", false},
      {"integer", "1e2", false},
      {"integer", "", false},
      {"integer", "-", false},
      {"positiveInt", "1", true},
      {"positiveInt", "2147483647", true},
      {"positiveInt", "0", false},
      {"positiveInt", "-1", false},
      {"positiveInt", "01", false},
      {"unsignedInt", "0", true},
      {"unsignedInt", "17", true},
      {"unsignedInt", "00", false},
      {"unsignedInt", "-1", false},
      {"unsignedInt", "1.5", false},
      {"decimal", "0", true},
      {"decimal", "-0.5", true},
      {"decimal", "1.50", true},
      {"decimal", "1e2", true},
      {"decimal", "1.5E-10", true},
      {"decimal", "-3e+4", true},
      {"decimal", "01", false},
      {"decimal", ".5", false},
      {"decimal", "1.", false},
      {"decimal", "+1", false},
      {"decimal", "1e", false},
      {"decimal", "--1", false},
      {"date", "2020", true},
      {"date", "2020-02", true},
      {"date", "2020-02-29", true},
      {"date", "0001-01-01", true},
      {"date", "0000", false},
      {"date", "20", false},
      {"date", "2020-13", false},
      {"date", "2020-1-01", false},
      {"date", "2020-01-32", false},
      {"date", "2020-01-01T10:00:00Z", false},
      {"date", "2020-00", false},
      {"dateTime", "2020", true},
      {"dateTime", "2020-05", true},
      {"dateTime", "2020-05-06", true},
      {"dateTime", "2015-02-07T13:28:17-05:00", true},
      {"dateTime", "2017-01-01T00:00:00Z", true},
      {"dateTime", "2017-01-01T00:00:00.123+14:00", true},
      {"dateTime", "2017-01-01T23:59:60Z", true},
      {"dateTime", "2017-01-01T00:00:00", false},
      {"dateTime", "2017-01-01T00:00Z", false},
      {"dateTime", "2017-01T00:00:00Z", false},
      {"dateTime", "2017-01-01T24:00:00Z", false},
      {"dateTime", "2017-01-01T00:00:00+14:30", false},
      {"dateTime", "2017-01-01T00:00:00.Z", false},
      {"dateTime", "2017-01-01 00:00:00Z", false},
      {"instant", "2015-02-07T13:28:17.239+02:00", true},
      {"instant", "2015-02-07T13:28:17Z", true},
      {"instant", "2015-02-07", false},
      {"instant", "2015-02-07T13:28:17", false},
      {"time", "00:00:00", true},
      {"time", "23:59:59.999", true},
      {"time", "12:30", false},
      {"time", "24:00:00", false},
      {"time", "12:30:00Z", false},
      {"string", "hello", true},
      {"string", " ", true},
      {"string", "a\tb\r\nc", true},
      {"string", "caf\xc3\xa9", true},
      {"string", "", false},
      {"string", "a\fb", false},
      {"string", "a\vb", false},
      {"markdown", "# Title\n\n*text*", true},
      {"markdown", "", false},
      {"code", "active", true},
      {"code", "a b", true},
      {"code", "mg/dL", true},
      {"code", " a", false},
      {"code", "a ", false},
      {"code", "a  b", false},
      {"code", "", false},
      {"code", "a\tb", true},
      {"code", "a\t\tb", false},
      {"id", "a", true},
      {"id", "example-1.2", true},
      {"id", std::string(64, 'x'), true},
      {"id", std::string(65, 'x'), false},
      {"id", "a_b", false},
      {"id", "a b", false},
      {"id", "", false},
      {"uri", "http://example.org/a", true},
      {"uri", "urn:oid:1.2", true},
      {"uri", "a b", false},
      {"uri", "a\tb", false},
      {"url", "http://hl7.org/fhir", true},
      {"url", "http://x y", false},
      {"canonical", "http://hl7.org/fhir/ValueSet/x|4.0.1", true},
      {"canonical", "a b", false},
      {"oid", "urn:oid:1.2.3", true},
      {"oid", "urn:oid:2.16.840.1.113883", true},
      {"oid", "urn:oid:3.1", false},
      {"oid", "urn:oid:1", false},
      {"oid", "urn:oid:1.02", false},
      {"oid", "1.2.3", false},
      {"oid", "urn:oid:1.2.", false},
      {"uuid", "urn:uuid:c757873d-ec9a-4326-a141-556f43239520", true},
      {"uuid", "urn:uuid:C757873D-EC9A-4326-A141-556F43239520", false},
      {"uuid", "c757873d-ec9a-4326-a141-556f43239520", false},
      {"uuid", "urn:uuid:c757873d-ec9a-4326-a141-556f4323952", false},
      {"base64Binary", "SGVsbG8=", true},
      {"base64Binary", "SGVs bG8=", true},
      {"base64Binary", " SGVsbG8= \n", true},
      {"base64Binary", "SGVsbG8", false},
      {"base64Binary", "SG Vs", false},
      {"base64Binary", "", false},
      {"base64Binary", " ", false},
      {"base64Binary", "SGV$", false},
  };
  return kSamples;
}

// Cases the official regex accepts but Hearth rejects, with the rule (primitive.h).
const std::vector<Sample>& stricter() {
  static const std::vector<Sample> kStricter = {
      {"integer", "2147483648", false},             // 32-bit range
      {"integer", "-2147483649", false},            // 32-bit range
      {"positiveInt", "2147483648", false},         // 32-bit range
      {"unsignedInt", "9999999999", false},         // 32-bit range
      {"date", "2021-02-29", false},                // not a calendar day
      {"date", "2020-04-31", false},                // not a calendar day
      {"dateTime", "2019-02-29T00:00:00Z", false},  // not a calendar day
      {"string",
       std::string("a\x01"
                   "b"),
       false},  // control character
      {"markdown",
       std::string("a\x1b"
                   "b"),
       false},                   // control character
      {"uri", "", false},        // ele-1: no empty values
      {"url", "", false},        // ele-1
      {"canonical", "", false},  // ele-1
  };
  return kStricter;
}

}  // namespace

TEST_CASE("every primitive type except xhtml has an official regex and a checker") {
  int primitives = 0;
  for (const TypeDef& t : all_types()) {
    if (t.kind != TypeKind::kPrimitive) continue;
    ++primitives;
    INFO(t.name);
    REQUIRE(primitive_from_name(t.name).has_value());
    CHECK(primitive_name(*primitive_from_name(t.name)) == t.name);
    CHECK(t.regex.empty() == (t.name == "xhtml"));
  }
  CHECK(primitives == 20);
}

TEST_CASE("checkers agree with the official regexes") {
  int checked = 0;
  for (const Sample& s : samples()) {
    const TypeDef* type = find_type(s.type);
    REQUIRE(type != nullptr);
    std::regex re(std::string(type->regex), std::regex::ECMAScript);
    INFO(s.type, " '", s.text, "'");
    CHECK(std::regex_match(s.text, re) == s.valid);
    CHECK(is_valid_primitive(*primitive_from_name(s.type), s.text) == s.valid);
    ++checked;
  }
  MESSAGE("primitive samples cross-checked against the official regexes: ", checked);
}

TEST_CASE("deliberately stricter than the regex") {
  for (const Sample& s : stricter()) {
    const TypeDef* type = find_type(s.type);
    REQUIRE(type != nullptr);
    std::regex re(std::string(type->regex), std::regex::ECMAScript);
    INFO(s.type, " '", s.text, "'");
    CHECK(std::regex_match(s.text, re));
    CHECK_FALSE(is_valid_primitive(*primitive_from_name(s.type), s.text));
  }
}

TEST_CASE("xhtml and json shapes") {
  CHECK(
      is_valid_primitive(Primitive::kXhtml, "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"));
  CHECK_FALSE(is_valid_primitive(Primitive::kXhtml, ""));
  CHECK_FALSE(is_valid_primitive(Primitive::kXhtml, "<p>x</p>"));
  CHECK(json_shape(Primitive::kBoolean) == JsonShape::kBoolean);
  CHECK(json_shape(Primitive::kDecimal) == JsonShape::kNumber);
  CHECK(json_shape(Primitive::kUnsignedInt) == JsonShape::kNumber);
  CHECK(json_shape(Primitive::kDate) == JsonShape::kString);
  CHECK_FALSE(primitive_from_name("HumanName").has_value());
}

TEST_CASE("a control character is refused at every offset; tab, CR and LF anywhere are kept") {
  // The check reads eight bytes at a time: every offset of a block and of the tail after it.
  for (std::size_t length = 1; length <= 19; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      CAPTURE(length);
      CAPTURE(at);
      std::string text(length, 'x');
      text[at] = '\x01';
      CHECK_FALSE(is_valid_primitive(Primitive::kString, text));
      text[at] = '\x1f';
      CHECK_FALSE(is_valid_primitive(Primitive::kMarkdown, text));
      for (char allowed : {'\t', '\r', '\n', ' ', '\x7f'}) {
        text[at] = allowed;
        CHECK(is_valid_primitive(Primitive::kString, text));
      }
      if (at + 1 < length) {  // é: bytes with bit 7 set, never control characters
        text[at] = '\xc3';
        text[at + 1] = '\xa9';
        CHECK(is_valid_primitive(Primitive::kString, text));
      }
    }
  }
}

TEST_CASE("a space in a uri or a code at every offset, as the official regexes say") {
  // uri and code read eight bytes at a time for a byte up to ' ': every offset of a block and of
  // the tail after it, one space and two, against std::regex over the definitions' regexes.
  const std::regex uri(std::string(find_type("uri")->regex), std::regex::ECMAScript);
  const std::regex code(std::string(find_type("code")->regex), std::regex::ECMAScript);
  int checked = 0;
  for (std::size_t length = 1; length <= 19; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (const char* space : {" ", "\t", "\r\n", "  ", "\x7f", "!"}) {
        std::string text(length, 'x');
        text.replace(at, std::min(std::strlen(space), length - at), space);
        CAPTURE(text);
        CHECK(is_valid_primitive(Primitive::kUri, text) == std::regex_match(text, uri));
        CHECK(is_valid_primitive(Primitive::kCode, text) == std::regex_match(text, code));
        ++checked;
      }
    }
  }
  MESSAGE("uri and code texts cross-checked: ", checked);
}

}  // namespace hearth::fhir
