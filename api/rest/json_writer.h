// The RapidJSON writer the REST core builds its Bundles and CapabilityStatement with, and the
// one helper every builder needs: writing a string_view.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <string_view>

namespace hearth::api {

// RapidJSON's Writer whose RawValue copies the text in one block. RapidJSON's own passes it
// through its transcoder one character at a time (~10 instructions a byte): for a search page of
// twenty stored bodies that was a quarter of the request. The text is JSON this server wrote
// (stored bodies, its own outcomes), so there is nothing to transcode.
class JsonWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using Writer::Writer;

  bool RawValue(const Ch* json, std::size_t length, rapidjson::Type type) {
    Prefix(type);
    if (length > 0) std::memcpy(os_->Push(length), json, length);
    return EndValue(true);
  }
};

inline void write_str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace hearth::api
