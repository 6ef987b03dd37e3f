// FHIR JSON parse/serialise on RapidJSON with numbers kept as their original text.
#include "fhir/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstring>

namespace hearth::fhir {
namespace {

constexpr char kNumberMarker = '\0';
// Nesting deeper than this is refused: validation and serialisation recurse per level, and no
// real FHIR resource comes near it.
constexpr int kMaxDepth = 256;

// RapidJSON 1.1 decodes an unpaired \uD800-\uDFFF escape into the 3-byte form of a surrogate
// (ED A0..BF xx), which is not UTF-8. Raw input is validated (is_utf8, else RapidJSON's
// kParseValidateEncodingFlag), so such bytes can only come from an escape: the string is refused
// rather than stored broken.
bool has_encoded_surrogate(const char* str, rapidjson::SizeType length) {
  const char* end = str + length;
  for (const char* p = str; (p = static_cast<const char*>(std::memchr(p, 0xED, end - p))); ++p) {
    if (p + 1 < end && static_cast<unsigned char>(p[1]) >= 0xA0) return true;
  }
  return false;
}

// Is `text` well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF)? Checked in one pass, eight ASCII bytes at a time, so that the parse can skip
// RapidJSON's per-character validation of every string when the whole input is sound.
bool is_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* end = p + text.size();
  while (p < end) {
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int more;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (end - p <= more) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= more; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += more + 1;
  }
  return true;
}

// Forwards every SAX event to the document, turning raw numbers into marked strings and
// refusing strings that hold U+0000 (which would make the marker ambiguous).
struct MarkingHandler {
  JsonDocument& doc;
  std::string scratch{};
  bool nul_in_string = false;
  bool bad_surrogate = false;
  bool too_deep = false;
  int depth = 0;

  bool enter() {
    if (++depth > kMaxDepth) {
      too_deep = true;
      return false;
    }
    return true;
  }

  bool Null() { return doc.Null(); }
  bool Bool(bool b) { return doc.Bool(b); }
  // With kParseNumbersAsStringsFlag every number arrives through RawNumber; these stay for
  // completeness of the handler concept.
  bool Int(int i) { return doc.Int(i); }
  bool Uint(unsigned u) { return doc.Uint(u); }
  bool Int64(int64_t i) { return doc.Int64(i); }
  bool Uint64(uint64_t u) { return doc.Uint64(u); }
  bool Double(double d) { return doc.Double(d); }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
    scratch.assign(1, kNumberMarker);
    scratch.append(str, length);
    return doc.String(scratch.data(), static_cast<rapidjson::SizeType>(scratch.size()), true);
  }
  bool acceptable(const char* str, rapidjson::SizeType length) {
    if (std::memchr(str, 0, length) != nullptr) {
      nul_in_string = true;
      return false;
    }
    if (has_encoded_surrogate(str, length)) {
      bad_surrogate = true;
      return false;
    }
    return true;
  }
  bool String(const char* str, rapidjson::SizeType length, bool copy) {
    return acceptable(str, length) && doc.String(str, length, copy);
  }
  bool StartObject() { return enter() && doc.StartObject(); }
  bool Key(const char* str, rapidjson::SizeType length, bool copy) {
    return acceptable(str, length) && doc.Key(str, length, copy);
  }
  bool EndObject(rapidjson::SizeType count) {
    --depth;
    return doc.EndObject(count);
  }
  bool StartArray() { return enter() && doc.StartArray(); }
  bool EndArray(rapidjson::SizeType count) {
    --depth;
    return doc.EndArray(count);
  }
};

template <typename Writer>
void write_value(const JsonValue& value, Writer& writer) {
  switch (value.GetType()) {
    case rapidjson::kNullType: writer.Null(); break;
    case rapidjson::kFalseType: writer.Bool(false); break;
    case rapidjson::kTrueType: writer.Bool(true); break;
    case rapidjson::kNumberType:
      // Only values built by code (not the parser) get here.
      if (value.IsInt64()) {
        writer.Int64(value.GetInt64());
      } else if (value.IsUint64()) {
        writer.Uint64(value.GetUint64());
      } else {
        writer.Double(value.GetDouble());
      }
      break;
    case rapidjson::kStringType:
      if (is_json_number(value)) {
        std::string_view text = json_number_text(value);
        writer.RawValue(text.data(), text.size(), rapidjson::kNumberType);
      } else {
        writer.String(value.GetString(), value.GetStringLength());
      }
      break;
    case rapidjson::kObjectType:
      writer.StartObject();
      for (const auto& member : value.GetObject()) {
        writer.Key(member.name.GetString(), member.name.GetStringLength());
        write_value(member.value, writer);
      }
      writer.EndObject();
      break;
    case rapidjson::kArrayType:
      writer.StartArray();
      for (const auto& item : value.GetArray()) write_value(item, writer);
      writer.EndArray();
      break;
  }
}

}  // namespace

Result<JsonDocument> parse_json(std::string_view text) {
  JsonDocument doc;
  rapidjson::MemoryStream memory(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(memory);
  rapidjson::Reader reader;
  MarkingHandler handler{doc};
  // Recursive parsing (faster than RapidJSON's iterative mode): the handler refuses to go past
  // kMaxDepth levels, which bounds the recursion at a few hundred small frames.
  // Input that is well-formed UTF-8 as a whole cannot fail RapidJSON's encoding validation, so
  // it is parsed without it; any other input is parsed with it, for RapidJSON's own error.
  constexpr unsigned kFlags =
      rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseStopWhenDoneFlag;
  const bool sound = is_utf8(text);
  rapidjson::ParseResult result;
  auto generate = [&](JsonDocument&) {
    result = sound ? reader.Parse<kFlags>(stream, handler)
                   : reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(stream, handler);
    return static_cast<bool>(result);
  };
  doc.Populate(generate);
  if (handler.nul_in_string) {
    return Status(Code::kMalformed, "JSON string contains U+0000, which FHIR does not allow");
  }
  if (handler.bad_surrogate) {
    return Status(Code::kMalformed, "JSON string holds an unpaired UTF-16 surrogate escape");
  }
  if (handler.too_deep) {
    return Status(Code::kMalformed,
                  "JSON nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  if (result.IsError()) {
    return Status(Code::kMalformed, std::string("malformed JSON at byte ") +
                                        std::to_string(result.Offset()) + ": " +
                                        rapidjson::GetParseError_En(result.Code()));
  }
  // kParseStopWhenDoneFlag stops after the root value; only whitespace may follow.
  for (std::size_t i = stream.Tell(); i < text.size(); ++i) {
    char c = text[i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return Status(Code::kMalformed, "malformed JSON at byte " + std::to_string(i) +
                                          ": unexpected content after the root value");
    }
  }
  return doc;
}

bool is_json_number(const JsonValue& value) {
  return value.IsString() && value.GetStringLength() > 0 && value.GetString()[0] == kNumberMarker;
}

std::string_view json_number_text(const JsonValue& value) {
  return {value.GetString() + 1, value.GetStringLength() - 1};
}

bool is_json_string(const JsonValue& value) {
  return value.IsString() && !is_json_number(value);
}

std::string_view json_string(const JsonValue& value) {
  return {value.GetString(), value.GetStringLength()};
}

JsonValue make_json_number(std::string_view text, JsonAllocator& allocator) {
  std::string marked(1, kNumberMarker);
  marked.append(text);
  return JsonValue(marked.data(), static_cast<rapidjson::SizeType>(marked.size()), allocator);
}

JsonValue make_json_string(std::string_view text, JsonAllocator& allocator) {
  return JsonValue(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

void write_json(const JsonValue& value, bool pretty, std::string& out) {
  // RapidJSON's own buffer: its writer reserves once per token and stores bytes unchecked,
  // where a generic stream costs a call and a capacity check per byte (2x slower overall).
  thread_local rapidjson::StringBuffer buffer;
  buffer.Clear();
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    write_value(value, writer);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    write_value(value, writer);
  }
  out.append(buffer.GetString(), buffer.GetSize());
  if (buffer.GetSize() > (1u << 20)) {  // keep no huge buffer per thread
    buffer.Clear();
    buffer.ShrinkToFit();
  }
}

std::string write_json(const JsonValue& value, bool pretty) {
  std::string out;
  write_json(value, pretty, out);
  return out;
}

}  // namespace hearth::fhir
