// What every paged Bundle (history, searchset) writes the same way: query values encoded into
// link URLs, and Bundle.link entries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/json_writer.h"
#include "core/url_encoding.h"

namespace hearth::api {

// {"relation": relation, "url": url}
void write_link(JsonWriter& w, std::string_view relation, const std::string& url);

// The offset of the last page for `total` entries, `count` per page (0 when count is 0).
std::int64_t last_page_offset(std::int64_t total, std::int64_t count);

}  // namespace hearth::api
