#include "fhir/json_builder.h"

#include <doctest/doctest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "fhir/json.h"

using namespace hearth;
using namespace hearth::fhir;

namespace {

// One sequence of Writer calls: nested objects and arrays, empty ones, every kind of value.
template <class Writer>
void write_sample(Writer& w) {
  w.StartObject();
  w.Key("resourceType");
  w.String("Observation");
  w.Key("valueQuantity");
  w.StartObject();
  w.Key("value");
  w.RawValue("1.50", 4, rapidjson::kNumberType);
  w.Key("unit");
  w.String("mmol/L");
  w.EndObject();
  w.Key("component");
  w.StartArray();
  w.StartObject();
  w.Key("code");
  w.StartObject();
  w.Key("text");
  w.String("a\"b\n\xc3\xa9");
  w.EndObject();
  w.EndObject();
  w.StartObject();
  w.EndObject();
  w.EndArray();
  w.Key("given");
  w.StartArray();
  w.String("Ann");
  w.Null();
  w.EndArray();
  w.Key("_given");
  w.StartArray();
  w.Null();
  w.StartArray();
  w.EndArray();
  w.EndArray();
  w.Key("active");
  w.Bool(false);
  w.Key("count");
  w.RawValue("-3e+2", 5, rapidjson::kNumberType);
  w.EndObject();
}

Result<JsonDocument> built_from(const char* number, const char* string) {
  return build_json([&](JsonBuilder& json) {
    json.StartObject();
    json.Key("n");
    json.RawValue(number, std::char_traits<char>::length(number), rapidjson::kNumberType);
    json.Key("s");
    json.String(string);
    json.EndObject();
  });
}

}  // namespace

TEST_CASE("a built document is the one parse_json makes of the same calls' text") {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  write_sample(writer);
  Result<JsonDocument> parsed = parse_json(std::string(buffer.GetString(), buffer.GetSize()));
  REQUIRE(parsed.is_ok());
  Result<JsonDocument> built = build_json([](JsonBuilder& json) { write_sample(json); });
  REQUIRE(built.is_ok());
  CHECK(*built == *parsed);
  CHECK(write_json(*built) == std::string(buffer.GetString(), buffer.GetSize()));
  CHECK(is_json_number((*built)["valueQuantity"]["value"]));
  CHECK(json_number_text((*built)["valueQuantity"]["value"]) == "1.50");
  CHECK((*built)["component"].Size() == 2);
  CHECK((*built)["_given"][1].IsArray());
}

// An empty string may come as a view with no data pointer (the HL7 mapper's arena values): it is
// "", and neither the checks nor RapidJSON read through the null pointer (found by the
// hl7_to_fhir fuzz target under UBSan).
TEST_CASE("the builder takes an empty string with no data pointer") {
  Result<JsonDocument> built = build_json([](JsonBuilder& json) {
    json.StartObject();
    json.Key("status");
    const std::string_view empty;
    json.String(empty.data(), empty.size());
    json.EndObject();
  });
  REQUIRE(built.is_ok());
  CHECK(write_json(*built) == R"({"status":""})");
}

TEST_CASE("the builder refuses what parse_json refuses") {
  CHECK(built_from("0", "ok").is_ok());
  CHECK(built_from("-0.5E-3", "ok").is_ok());
  for (const char* number : {"01", "1.", ".5", "+1", "1e", "", " 1", "NaN", "0x10"}) {
    CAPTURE(number);
    Result<JsonDocument> doc = built_from(number, "ok");
    REQUIRE_FALSE(doc.is_ok());
    CHECK(doc.status().code() == Code::kMalformed);
  }
  Result<JsonDocument> nul = build_json([](JsonBuilder& json) {
    json.StartArray();
    json.String("a\0b", 3);
    json.EndArray();
  });
  REQUIRE_FALSE(nul.is_ok());
  CHECK(nul.status().message().find("U+0000") != std::string::npos);
  CHECK_FALSE(built_from("1", "\xc3").is_ok());          // a truncated sequence
  CHECK_FALSE(built_from("1", "\xed\xa0\x80").is_ok());  // a surrogate
  CHECK_FALSE(build_json([](JsonBuilder& json) {
                json.StartObject();
                json.Key("\xff");
                json.Null();
                json.EndObject();
              }).is_ok());
}

TEST_CASE("the builder takes one whole value, at most 256 levels deep") {
  const auto nested = [](int depth) {
    return build_json([depth](JsonBuilder& json) {
      for (int i = 0; i < depth; ++i) json.StartArray();
      for (int i = 0; i < depth; ++i) json.EndArray();
    });
  };
  CHECK(nested(256).is_ok());
  CHECK(nested(257).status().code() == Code::kMalformed);
  CHECK(parse_json(std::string(257, '[') + std::string(257, ']')).status().code() ==
        Code::kMalformed);
  CHECK_FALSE(build_json([](JsonBuilder&) {}).is_ok());
  CHECK_FALSE(build_json([](JsonBuilder& json) {
                json.Null();
                json.Null();
              }).is_ok());
  CHECK_FALSE(build_json([](JsonBuilder& json) { json.StartObject(); }).is_ok());
  CHECK_FALSE(build_json([](JsonBuilder& json) {
                json.StartArray();
                json.EndObject();
              }).is_ok());
}
