// JsonBuilder: Writer-shaped calls forwarded to the document's own SAX handler (as parse_json's
// reader does), with the member and item counts the handler needs and parse_json's refusals.
#include "fhir/json_builder.h"

#include <cstring>
#include <utility>

#include "core/utf8.h"

namespace hearth::fhir {
namespace {

// parse_json's limit (fhir/json.cpp).
constexpr std::size_t kMaxDepth = 256;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// JSON number syntax (RFC 8259): -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number_text(std::string_view s) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

}  // namespace

bool JsonBuilder::refuse(std::string why) {
  if (refusal_.empty()) refusal_ = std::move(why);
  return false;
}

void JsonBuilder::counted() {
  if (levels_.empty()) {
    ++roots_;
  } else if (!levels_.back().object) {
    ++levels_.back().count;
  }
}

bool JsonBuilder::usable(std::string_view text, const char* what) {
  // An empty view may have no data pointer (memchr's is declared non-null).
  if (!text.empty() && std::memchr(text.data(), 0, text.size()) != nullptr) {
    return refuse(std::string("JSON ") + what + " contains U+0000, which FHIR does not allow");
  }
  if (!is_valid_utf8(text)) return refuse(std::string("JSON ") + what + " is not UTF-8");
  return true;
}

bool JsonBuilder::Null() {
  counted();
  doc_.Null();
  return refusal_.empty();
}

bool JsonBuilder::Bool(bool value) {
  counted();
  doc_.Bool(value);
  return refusal_.empty();
}

bool JsonBuilder::String(const char* text, std::size_t length) {
  counted();
  const std::string_view view(text, length);
  if (!usable(view, "string")) {
    doc_.Null();  // holds the place, so that the counts stay right until build_json reports
    return false;
  }
  // An empty value may come as a view with no data pointer, which RapidJSON refuses.
  doc_.String(length == 0 ? "" : text, static_cast<rapidjson::SizeType>(length), true);
  return refusal_.empty();
}

bool JsonBuilder::RawValue(const char* text, std::size_t length, rapidjson::Type) {
  counted();
  const std::string_view view(text, length);
  if (!is_json_number_text(view)) {
    doc_.Null();
    return refuse("'" + std::string(view) + "' is not a JSON number");
  }
  scratch_.assign(1, '\0');  // a number's mark (fhir/json.h)
  scratch_.append(view);
  doc_.String(scratch_.data(), static_cast<rapidjson::SizeType>(scratch_.size()), true);
  return refusal_.empty();
}

bool JsonBuilder::Key(const char* text, std::size_t length) {
  if (levels_.empty() || !levels_.back().object) return refuse("a JSON key outside an object");
  ++levels_.back().count;
  if (!usable(std::string_view(text, length), "key")) {
    doc_.Key("", 0, true);
    return false;
  }
  doc_.Key(text, static_cast<rapidjson::SizeType>(length), true);
  return refusal_.empty();
}

bool JsonBuilder::StartObject() {
  counted();
  if (levels_.size() >= kMaxDepth) {
    refuse("JSON nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  levels_.push_back({.count = 0, .object = true});
  doc_.StartObject();
  return refusal_.empty();
}

bool JsonBuilder::EndObject() {
  if (levels_.empty() || !levels_.back().object) return refuse("an unmatched JSON object end");
  doc_.EndObject(levels_.back().count);
  levels_.pop_back();
  return refusal_.empty();
}

bool JsonBuilder::StartArray() {
  counted();
  if (levels_.size() >= kMaxDepth) {
    refuse("JSON nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  levels_.push_back({.count = 0, .object = false});
  doc_.StartArray();
  return refusal_.empty();
}

bool JsonBuilder::EndArray() {
  if (levels_.empty() || levels_.back().object) return refuse("an unmatched JSON array end");
  doc_.EndArray(levels_.back().count);
  levels_.pop_back();
  return refusal_.empty();
}

Result<JsonDocument> build_json(const std::function<void(JsonBuilder&)>& write) {
  JsonDocument doc;
  JsonBuilder builder(doc);
  // Populate takes the one value left on the handler's stack as the root only when the
  // generator says the calls made exactly one whole value; otherwise it drops the stack.
  auto generate = [&](JsonDocument&) {
    write(builder);
    if (!builder.levels_.empty() || builder.roots_ != 1) {
      builder.refuse("not one whole JSON value");
    }
    return builder.refusal_.empty();
  };
  doc.Populate(generate);
  if (!builder.refusal_.empty()) return Status(Code::kMalformed, builder.refusal_);
  return doc;
}

}  // namespace hearth::fhir
