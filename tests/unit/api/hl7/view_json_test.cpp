// The decoded view of a parsed message (hl7/v2/message_view.h) and its JSON: levels (field,
// repetition, component, subcomponent), escapes, MSH-1/MSH-2, empty pieces, character sets,
// the view's limits.
#include "api/hl7/view_json.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth::api {
namespace {

std::string json_of(const hl7::MessageView& view) {
  std::string json = pretty_json([&](PrettyJsonWriter& w) { write_hl7_view(w, view); });
  REQUIRE(json.ends_with('\n'));
  json.pop_back();
  return json;
}

constexpr const char* kMessage =
    "MSH|^~\\&|LAB||HEARTH||20260309140000||ORU^R01|C1|P|2.5.1\r"
    "PID|1||1^^^MRN~2^^^SSN&X&Y||O\\S\\NEIL^ANN\\F\\B||~|\r"
    "NTE|1||line one\\.br\\line two \\T\\ \\R\\ \\E\\ \\X41\\\r"
    "ZZZ\r";

TEST_CASE("view_of splits fields into repetitions, components and subcomponents") {
  auto message = hl7::Message::parse(kMessage);
  REQUIRE(message.is_ok());
  hl7::MessageView view = view_of(*message);
  REQUIRE(view.segments.size() == 4);
  const hl7::SegmentView& msh = view.segments[0];
  CHECK(msh.name == "MSH");
  REQUIRE(msh.fields.size() >= 2);
  CHECK(msh.fields[0].number == 1);
  CHECK(msh.fields[0].repetitions[0][0][0] == "|");
  CHECK(msh.fields[1].repetitions[0][0][0] == "^~\\&");  // not split, not decoded
  CHECK(msh.fields[3].number == 5);                      // MSH-4 is empty
  const hl7::SegmentView& pid = view.segments[1];
  REQUIRE(pid.fields.size() == 4);  // PID-1, -3, -5, -7; PID-2/4/6/8 are empty
  CHECK(pid.fields[1].number == 3);
  REQUIRE(pid.fields[1].repetitions.size() == 2);
  CHECK(pid.fields[1].repetitions[1][3] == hl7::ViewComponent{"SSN", "X", "Y"});
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

// Counts the pieces (subcomponents) a view kept.
std::size_t pieces_of(const hl7::MessageView& view) {
  std::size_t n = 0;
  for (const auto& segment : view.segments) {
    for (const auto& field : segment.fields) {
      for (const auto& repetition : field.repetitions) {
        for (const auto& component : repetition) n += component.size();
      }
    }
  }
  return n;
}

TEST_CASE("view_of stays within its limits and says when it stopped") {
  const std::string head = "MSH|^~\\&|LAB||HEARTH||20260309140000||ORU^R01|C1|P|2.5.1\r";
  auto small = hl7::Message::parse(kMessage);
  REQUIRE(small.is_ok());
  CHECK_FALSE(view_of(*small).truncated);
  CHECK(json_of(view_of(*small)).find("truncated") == std::string::npos);

  // A million empty components in one field: the view keeps at most max_pieces of them.
  const std::string separators = head + "PID|1||" + std::string(1000000, '^') + "\r";
  auto wide = hl7::Message::parse(separators);
  REQUIRE(wide.is_ok());
  hl7::ViewLimits limits;
  limits.max_pieces = 1000;
  hl7::MessageView cut = view_of(*wide, limits);
  CHECK(cut.truncated);
  CHECK(pieces_of(cut) <= 1000);
  CHECK(json_of(cut).find("\"truncated\": true") != std::string::npos);
  CHECK(pieces_of(view_of(*wide)) <= hl7::ViewLimits{}.max_pieces);

  // Escapes that expand: the decoded bytes are bounded too.
  std::string expanding = head + "NTE|1||";
  for (int i = 0; i < 20000; ++i) expanding += "\\.sp1000\\~";
  expanding += "\r";
  auto grown = hl7::Message::parse(expanding);
  REQUIRE(grown.is_ok());
  hl7::ViewLimits bytes;
  bytes.max_decoded_bytes = 4096;
  hl7::MessageView bounded = view_of(*grown, bytes);
  CHECK(bounded.truncated);
  std::size_t decoded = 0;
  for (const auto& segment : bounded.segments) {
    for (const auto& field : segment.fields) {
      for (const auto& repetition : field.repetitions) {
        for (const auto& component : repetition) {
          for (const auto& piece : component) decoded += piece.size();
        }
      }
    }
  }
  CHECK(decoded <= 4096);
  CHECK(bounded.segments.size() == 2);  // MSH whole, NTE cut
}

TEST_CASE("write_parse_error: code, text, location, message") {
  hl7::ParseError error;
  auto bad = hl7::Message::parse("PID|1\r", &error);
  REQUIRE_FALSE(bad.is_ok());
  const std::string json = pretty_json([&](PrettyJsonWriter& w) { write_parse_error(w, error); });
  CHECK(json.find("\"code\": 100") != std::string::npos);
  CHECK(json.find("\"text\": \"Segment sequence error\"") != std::string::npos);
  CHECK(json.find("\"location\": \"PID") != std::string::npos);
  CHECK(json.find("\"message\": ") != std::string::npos);
}

}  // namespace
}  // namespace hearth::api
