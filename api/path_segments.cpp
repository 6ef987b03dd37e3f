// Splitting a path into its segments, for the route tables.
#include "api/path_segments.h"

namespace hearth::api {

std::vector<std::string_view> split_path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace hearth::api
