// What every Bundle the REST core builds (history, searchset) writes the same way: its head,
// and Bundle.link entries for paging.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/rest/json_writer.h"
#include "core/url_encoding.h"

namespace hearth::api {

// Opens the Bundle object and writes resourceType, id, meta.lastUpdated (now) and type; the
// caller writes the rest and closes it.
void write_bundle_head(JsonWriter& w, std::string_view id, std::int64_t now_micros,
                       std::string_view type);

// {"relation": relation, "url": url}
void write_link(JsonWriter& w, std::string_view relation, const std::string& url);

// The offset of the last page for `total` entries, `count` per page (0 when count is 0).
std::int64_t last_page_offset(std::int64_t total, std::int64_t count);

// offset + count for the next page, saturating at INT64_MAX: _offset comes from the client and
// may be any int64 (no signed overflow, whatever it is).
std::int64_t next_page_offset(std::int64_t offset, std::int64_t count);

}  // namespace hearth::api
