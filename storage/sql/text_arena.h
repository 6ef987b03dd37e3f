// Internal to storage/: copies of text that rows kept in memory point at until they are written
// (the search index's deferred rows, search_index.h), in blocks released all at once: a message's
// few hundred index rows cost no allocation each.
//
// Thread-safety: none. A view keep() returns stays valid until clear().
#pragma once

#include <algorithm>
#include <memory_resource>
#include <string_view>

namespace hearth::storage::detail {

class TextArena {
 public:
  // A copy of `text`. Empty text is "" (never a null pointer, which SQLite binds as NULL).
  std::string_view keep(std::string_view text) {
    if (text.empty()) return "";
    char* copy = static_cast<char*>(blocks_.allocate(text.size(), 1));
    std::copy(text.begin(), text.end(), copy);
    return {copy, text.size()};
  }
  // Every copy made so far is gone.
  void clear() { blocks_.release(); }

 private:
  std::pmr::monotonic_buffer_resource blocks_;
};

}  // namespace hearth::storage::detail
