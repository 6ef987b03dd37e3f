#include "api/bundle_links.h"

namespace hearth::api {

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

}  // namespace hearth::api
