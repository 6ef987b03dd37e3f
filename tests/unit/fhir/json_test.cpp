#include "fhir/json.h"

#include <doctest/doctest.h>

#include <string>

using namespace hearth;
using namespace hearth::fhir;

TEST_CASE("numbers keep their original text through parse and write") {
  const std::string text =
      R"({"a":1.50,"b":1e2,"c":-0.0,"d":12345678901234567890123,"e":[0.1,2],"f":"1.50"})";
  auto doc = parse_json(text);
  REQUIRE(doc.is_ok());
  CHECK(is_json_number((*doc)["a"]));
  CHECK(json_number_text((*doc)["a"]) == "1.50");
  CHECK(json_number_text((*doc)["b"]) == "1e2");
  CHECK(is_json_string((*doc)["f"]));
  CHECK_FALSE(is_json_number((*doc)["f"]));
  CHECK(json_string((*doc)["f"]) == "1.50");
  CHECK(write_json(*doc) == text);
}

TEST_CASE("strings, unicode and escapes survive") {
  const std::string text = R"({"s":"a\"b\\c\n\u00e9\u4e2d","t":true,"n":null})";
  auto doc = parse_json(text);
  REQUIRE(doc.is_ok());
  CHECK(json_string((*doc)["s"]) == "a\"b\\c\n\xc3\xa9\xe4\xb8\xad");
  auto again = parse_json(write_json(*doc));
  REQUIRE(again.is_ok());
  CHECK(*again == *doc);
}

TEST_CASE("malformed JSON is reported with its offset") {
  auto doc = parse_json(R"({"a": })");
  REQUIRE_FALSE(doc.is_ok());
  CHECK(doc.status().code() == Code::kMalformed);
  CHECK(doc.status().message().find("byte 6") != std::string::npos);
  CHECK_FALSE(parse_json("").is_ok());
  CHECK_FALSE(parse_json(R"({"a":1} x)").is_ok());
  CHECK(parse_json("{\"a\":1}  \n").is_ok());
  CHECK_FALSE(parse_json("{\"a\":\"\xff\"}").is_ok());  // invalid UTF-8
}

TEST_CASE("a string holding U+0000 is refused, keeping the number marker unambiguous") {
  auto doc = parse_json(R"({"a":"\u00001"})");
  REQUIRE_FALSE(doc.is_ok());
  CHECK(doc.status().message().find("U+0000") != std::string::npos);
}

TEST_CASE("pretty output indents and keeps numbers") {
  auto doc = parse_json(R"({"a":[1.0]})");
  REQUIRE(doc.is_ok());
  CHECK(write_json(*doc, true) == "{\n  \"a\": [\n    1.0\n  ]\n}");
}

TEST_CASE("values built in code") {
  JsonDocument doc(rapidjson::kObjectType);
  doc.AddMember("v", make_json_number("3.00", doc.GetAllocator()), doc.GetAllocator());
  doc.AddMember("s", make_json_string("x", doc.GetAllocator()), doc.GetAllocator());
  CHECK(write_json(doc) == R"({"v":3.00,"s":"x"})");
}

TEST_CASE("deep nesting is refused without exhausting the stack") {
  std::string deep(1'000'000, '[');
  auto doc = parse_json(deep);
  REQUIRE_FALSE(doc.is_ok());
  CHECK(doc.status().message().find("deeper than 256") != std::string::npos);
  std::string ok_depth = std::string(200, '[') + std::string(200, ']');
  CHECK(parse_json(ok_depth).is_ok());
}

TEST_CASE("raw UTF-8 is kept byte for byte when well-formed and refused otherwise") {
  // Well-formed: 2-, 3- and 4-byte forms at the edges of their ranges, beside and after runs of
  // ASCII longer than the eight bytes checked at once.
  for (std::string text : {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                           "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
                           "du March\xC3\xA9, B\xC3\xA9n\xC3\xA9"
                           "dicte and more text"}) {
    auto doc = parse_json("{\"name\":\"" + text + "\"}");
    INFO(text);
    REQUIRE(doc.is_ok());
    CHECK(json_string((*doc)["name"]) == text);
  }
  // Ill-formed: overlong, surrogate, past U+10FFFF, a lone continuation, a cut sequence (also
  // as the last bytes of the input), a bad continuation; in a string value or a name.
  for (std::string text : {"\xC0\xAF", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80",
                           "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\x80",
                           "\xC3", "\xE2\x82", "\xC3\x28", "\xE2\x28\xA1"}) {
    INFO(text);
    auto value = parse_json("{\"a\":\"abcdefghij" + text + "\"}");
    REQUIRE_FALSE(value.is_ok());
    CHECK(value.status().message().find("Invalid encoding") != std::string::npos);
    CHECK_FALSE(parse_json("{\"" + text + "\":1}").is_ok());
    CHECK_FALSE(parse_json("{\"a\":\"x\"}" + text).is_ok());
  }
}

TEST_CASE("an unpaired surrogate escape is refused; a paired one decodes to UTF-8") {
  auto lone = parse_json(R"({"a":"x\uDEFFy"})");
  REQUIRE_FALSE(lone.is_ok());
  CHECK(lone.status().message().find("surrogate") != std::string::npos);
  CHECK_FALSE(parse_json(R"({"a":"\uD83D"})").is_ok());
  CHECK_FALSE(parse_json(R"({"\uDC00":1})").is_ok());
  auto pair = parse_json(R"({"a":"\uD83D\uDE00"})");
  REQUIRE(pair.is_ok());
  CHECK(json_string((*pair)["a"]) == "\xF0\x9F\x98\x80");
  CHECK(json_string((*parse_json(R"({"a":"\uEEFF"})"))["a"]) == "\xEE\xBB\xBF");
}
