// The decoded view of a parsed message and its JSON: levels (field, repetition, component,
// subcomponent), escapes, MSH-1/MSH-2, empty pieces, character sets.
#include "api/hl7_message_view.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth::api {
namespace {

std::string json_of(const Hl7MessageView& view) {
  rapidjson::StringBuffer buffer;
  PrettyJsonWriter w(buffer);
  w.SetIndent(' ', 2);
  write_hl7_view(w, view);
  return std::string(buffer.GetString(), buffer.GetSize());
}

constexpr const char* kMessage =
    "MSH|^~\\&|LAB||HEARTH||20260309140000||ORU^R01|C1|P|2.5.1\r"
    "PID|1||1^^^MRN~2^^^SSN&X&Y||O\\S\\NEIL^ANN\\F\\B||~|\r"
    "NTE|1||line one\\.br\\line two \\T\\ \\R\\ \\E\\ \\X41\\\r"
    "ZZZ\r";

TEST_CASE("view_of splits fields into repetitions, components and subcomponents") {
  auto message = hl7::Message::parse(kMessage);
  REQUIRE(message.is_ok());
  Hl7MessageView view = view_of(*message);
  REQUIRE(view.segments.size() == 4);
  const Hl7SegmentView& msh = view.segments[0];
  CHECK(msh.name == "MSH");
  REQUIRE(msh.fields.size() >= 2);
  CHECK(msh.fields[0].number == 1);
  CHECK(msh.fields[0].repetitions[0][0][0] == "|");
  CHECK(msh.fields[1].repetitions[0][0][0] == "^~\\&");  // not split, not decoded
  CHECK(msh.fields[3].number == 5);                      // MSH-4 is empty
  const Hl7SegmentView& pid = view.segments[1];
  REQUIRE(pid.fields.size() == 4);  // PID-1, -3, -5, -7; PID-2/4/6/8 are empty
  CHECK(pid.fields[1].number == 3);
  REQUIRE(pid.fields[1].repetitions.size() == 2);
  CHECK(pid.fields[1].repetitions[1][3] == Hl7Component{"SSN", "X", "Y"});
  CHECK(pid.fields[2].repetitions[0][0][0] == "O^NEIL");
  CHECK(pid.fields[2].repetitions[0][1][0] == "ANN|B");
  CHECK(pid.fields[3].number == 7);  // "~": two empty repetitions, kept
  CHECK(pid.fields[3].repetitions.size() == 2);
  CHECK(view.segments[2].fields[1].repetitions[0][0][0] == "line one\nline two & ~ \\ A");
  CHECK(view.segments[3].name == "ZZZ");
  CHECK(view.segments[3].fields.empty());
}

TEST_CASE("the JSON view: strings, component arrays, repetitions objects") {
  auto message =
      hl7::Message::parse("MSH|^~\\&|A||B||||ADT^A01|1|P|2.5\rPID|1||1^^^MRN~2&x||SMITH^^J|||F\r");
  REQUIRE(message.is_ok());
  CHECK(json_of(view_of(*message)) == R"({
  "segments": [
    {
      "name": "MSH",
      "fields": {
        "1": "|",
        "2": "^~\\&",
        "3": "A",
        "5": "B",
        "9": ["ADT", "A01"],
        "10": "1",
        "11": "P",
        "12": "2.5"
      }
    },
    {
      "name": "PID",
      "fields": {
        "1": "1",
        "3": {
          "repetitions": [["1", "", "", "MRN"], ["2", "x"]]
        },
        "5": ["SMITH", "", "J"],
        "8": "F"
      }
    }
  ]
})");
}

TEST_CASE("values come out as UTF-8: MSH-18 8859/1 converted, stray bytes read as Latin-1") {
  auto declared =
      hl7::Message::parse("MSH|^~\\&|A||B||||ADT^A01|1|P|2.5|||||8859/1\rPID|1||||M\xC9NARD\r");
  REQUIRE(declared.is_ok());
  CHECK(view_of(*declared).segments[1].fields[1].repetitions[0][0][0] == "M\xC3\x89NARD");
  auto undeclared = hl7::Message::parse("MSH|^~\\&|A||B||||ADT^A01|1|P|2.5\rPID|1||||M\xC9N\r");
  REQUIRE(undeclared.is_ok());
  CHECK(json_of(view_of(*undeclared)).find("\"M\xC3\x89N\"") != std::string::npos);
  CHECK(as_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(as_utf8("caf\xE9") == "caf\xC3\xA9");
  CHECK(as_utf8("\xC3") == "\xC3\x83");                          // truncated sequence
  CHECK(as_utf8("\xED\xA0\x80") == "\xC3\xAD\xC2\xA0\xC2\x80");  // a surrogate is not UTF-8
}

TEST_CASE("write_parse_error: code, text, location, message") {
  hl7::ParseError error;
  auto bad = hl7::Message::parse("PID|1\r", &error);
  REQUIRE_FALSE(bad.is_ok());
  rapidjson::StringBuffer buffer;
  PrettyJsonWriter w(buffer);
  write_parse_error(w, error);
  const std::string json(buffer.GetString(), buffer.GetSize());
  CHECK(json.find("\"code\": 100") != std::string::npos);
  CHECK(json.find("\"text\": \"Segment sequence error\"") != std::string::npos);
  CHECK(json.find("\"location\": \"PID") != std::string::npos);
  CHECK(json.find("\"message\": ") != std::string::npos);
}

}  // namespace
}  // namespace hearth::api
