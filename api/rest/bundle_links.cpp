#include "api/rest/bundle_links.h"

#include <limits>

#include "core/time_format.h"

namespace hearth::api {

void write_bundle_head(JsonWriter& w, std::string_view id, std::int64_t now_micros,
                       std::string_view type) {
  w.StartObject();
  w.Key("resourceType");
  w.String("Bundle");
  w.Key("id");
  write_str(w, id);
  w.Key("meta");
  w.StartObject();
  w.Key("lastUpdated");
  write_str(w, format_instant(now_micros));
  w.EndObject();
  w.Key("type");
  write_str(w, type);
}

void write_link(JsonWriter& w, std::string_view relation, const std::string& url) {
  w.StartObject();
  w.Key("relation");
  write_str(w, relation);
  w.Key("url");
  write_str(w, url);
  w.EndObject();
}

std::int64_t last_page_offset(std::int64_t total, std::int64_t count) {
  if (count <= 0 || total <= 0) return 0;
  return ((total - 1) / count) * count;
}

std::int64_t next_page_offset(std::int64_t offset, std::int64_t count) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(offset, count, &sum)) {
    return count > 0 ? std::numeric_limits<std::int64_t>::max()
                     : std::numeric_limits<std::int64_t>::min();
  }
  return sum;
}

}  // namespace hearth::api
