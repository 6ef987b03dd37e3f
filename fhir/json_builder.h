// FHIR JSON built as a value, for code that produces JSON and hands it on to code that reads a
// JsonDocument (fhir/json.h): the same calls that write the text through a RapidJSON Writer build
// the document that parse_json would make of that text, without the text. The HL7 v2 and X12
// mappings build their transaction Bundles this way for the write path.
//
// The builder's methods are named and shaped as RapidJSON's Writer's (Key, String, RawValue for a
// number, Bool, Null, StartObject/EndObject, StartArray/EndArray), so that one template writes
// either. What parse_json refuses, the builder refuses too: a string or key holding U+0000 or bytes
// that are not UTF-8, a number that is not JSON number syntax, nesting deeper than 256 levels.
//
// Thread-safety: a builder is used by one thread.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir {

class JsonBuilder {
 public:
  // Calls in the order a Writer gets them; each returns false once the builder refused a value
  // (the calls that follow are taken and dropped, build_json reports the first refusal).
  bool Null();
  bool Bool(bool value);
  bool String(const char* text, std::size_t length);
  bool String(const char* text) { return String(text, std::char_traits<char>::length(text)); }
  // A number as its JSON text ("1.50"); `type` is ignored (always a number, as Writer is told).
  bool RawValue(const char* text, std::size_t length, rapidjson::Type type);
  bool Key(const char* text, std::size_t length);
  bool Key(const char* text) { return Key(text, std::char_traits<char>::length(text)); }
  bool StartObject();
  bool EndObject();
  bool StartArray();
  bool EndArray();

 private:
  friend Result<JsonDocument> build_json(const std::function<void(JsonBuilder&)>& write);
  explicit JsonBuilder(JsonDocument& doc) : doc_(doc) {}
  bool refuse(std::string why);
  void counted();  // one more value in the array being built, or at the root (an object's
                   // members are counted by Key)
  bool usable(std::string_view text, const char* what);

  struct Level {
    rapidjson::SizeType count = 0;
    bool object = false;
  };
  JsonDocument& doc_;
  std::vector<Level> levels_;
  std::size_t roots_ = 0;  // values made outside any object or array
  std::string scratch_;
  std::string refusal_;  // the first refusal, "" while none
};

// The document `write` builds (one root value). Errors: kMalformed with the first refusal (see
// above), as parse_json would report the written text.
Result<JsonDocument> build_json(const std::function<void(JsonBuilder&)>& write);

}  // namespace hearth::fhir
