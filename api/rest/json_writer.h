// The RapidJSON writer the REST core builds its Bundles and CapabilityStatement with, and the
// one helper every builder needs: writing a string_view.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string_view>

namespace hearth::api {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace hearth::api
