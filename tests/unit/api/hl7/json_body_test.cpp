// pretty_json: the same text RapidJSON's PrettyWriter writes into a StringBuffer, plus a newline,
// in a string allocated at its final size.
#include "api/hl7/json_body.h"

#include <doctest/doctest.h>
#include <rapidjson/stringbuffer.h>

#include <string>

namespace hearth::api {
namespace {

// Writes an object with `n` string members, so the size grows with n.
template <typename Writer>
void emit_members(Writer& w, int n) {
  w.StartObject();
  for (int i = 0; i < n; ++i) {
    const std::string key = "k" + std::to_string(i);
    w.Key(key.c_str());
    w.String("line\nbreak \"quoted\" \\ caf\xc3\xa9");
  }
  w.Key("list");
  w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  w.StartArray();
  w.Int(1);
  w.Bool(false);
  w.Null();
  w.EndArray();
  w.SetFormatOptions(rapidjson::kFormatDefault);
  w.EndObject();
}

TEST_CASE("pretty_json writes what a PrettyWriter over a StringBuffer writes, and a newline") {
  for (int n : {0, 1, 3, 5000}) {
    CAPTURE(n);
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> reference(buffer);
    reference.SetIndent(' ', 2);
    emit_members(reference, n);
    const std::string expected = std::string(buffer.GetString(), buffer.GetSize()) + "\n";

    int runs = 0;
    const std::string json = pretty_json([&](PrettyJsonWriter& w) {
      ++runs;
      emit_members(w, n);
    });
    CHECK(json == expected);
    CHECK(runs == 2);  // one counting, one writing
    // Reserved once at the counted size: no growth left spare room behind.
    CHECK(json.capacity() - json.size() < 16);
  }
}

TEST_CASE("pretty_json sizes every byte value as RapidJSON escapes it") {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string values[] = {"", all, "\"\\/\b\f\n\r\t\x01\x1f\x7f", "caf\xc3\xa9 \xff"};
  for (const std::string& value : values) {
    CAPTURE(value.size());
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> reference(buffer);
    reference.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    CHECK(json_string_size(value.data(), value.size()) == buffer.GetSize());
    const std::string json = pretty_json([&](PrettyJsonWriter& w) {
      w.StartArray();
      w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
      w.EndArray();
    });
    rapidjson::StringBuffer array_buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> array_reference(array_buffer);
    array_reference.SetIndent(' ', 2);
    array_reference.StartArray();
    array_reference.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    array_reference.EndArray();
    CHECK(json == std::string(array_buffer.GetString(), array_buffer.GetSize()) + "\n");
  }
}

TEST_CASE("JsonBodyStream counts, or stores within its range and drops the rest") {
  JsonBodyStream counter;
  for (char c : std::string("abc")) counter.Put(c);
  CHECK(counter.count() == 3);
  std::string out = "xx";
  JsonBodyStream stream(out.data(), out.data() + out.size());
  for (char c : std::string("yzw")) stream.Put(c);
  stream.Flush();
  CHECK(out == "yz");
  CHECK(stream.count() == 3);
}

}  // namespace
}  // namespace hearth::api
