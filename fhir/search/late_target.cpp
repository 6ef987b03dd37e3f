// Late targets: stand-in ids in extracted index values, bound to the ids a transaction resolved.
#include "fhir/search/late_target.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string_view>
#include <vector>

#include "fhir/search/full_text.h"
#include "fhir/search/index_row_key.h"

namespace hearth::fhir::search {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// What every stand-in starts with: lower-case letters and digits only (one word of full text,
// unchanged by folding), a random part so that no resource's own words hold it. It starts with a
// letter words seldom hold, which bind_text searches for.
const std::string& stand_in_prefix() {
  static const std::string prefix = [] {
    std::random_device device;
    const std::uint64_t random = (static_cast<std::uint64_t>(device()) << 32) ^ device();
    char text[32];
    std::snprintf(text, sizeof text, "qlate%016llxn", static_cast<unsigned long long>(random));
    return std::string(text);
  }();
  return prefix;
}

// The n of stand-in `id`, or kNone when `id` is not one.
std::size_t stand_in_number(std::string_view id) {
  const std::string& prefix = stand_in_prefix();
  if (id.size() <= prefix.size() || id.compare(0, prefix.size(), prefix) != 0) return kNone;
  std::size_t n = 0;
  for (const char c : id.substr(prefix.size())) {
    if (c < '0' || c > '9') return kNone;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

enum class Bound : std::uint8_t { kNo, kYes, kFailed };

// A row's target (`target_id`, and `url`, the reference as written, which ends with it).
Bound bind_target(std::string& target_id, std::string& url, std::span<const std::string> ids) {
  const std::size_t n = stand_in_number(target_id);
  if (n == kNone) return Bound::kNo;
  if (n >= ids.size() || ids[n].empty() || !url.ends_with(target_id)) return Bound::kFailed;
  url.replace(url.size() - target_id.size(), target_id.size(), ids[n]);
  target_id = ids[n];
  return Bound::kYes;
}

// Drops each reference row equal to an earlier row of its parameter (rows of one parameter are
// contiguous), keeping the first, as extract_index does.
void drop_duplicate_references(std::vector<ReferenceIndex>& rows) {
  std::size_t end = rows.size();
  while (end > 0) {  // from the last run back, so that the runs before keep their places
    std::size_t start = end - 1;
    while (start > 0 && rows[start - 1].param == rows[end - 1].param) --start;
    detail::drop_duplicates(rows, start, end);
    end = start;
  }
}

// Removes each stand-in word from `text`, adding its id to `taken` (space-separated); false
// when a stand-in has no id.
bool take_stand_ins(std::string& text, std::span<const std::string> ids, std::string& taken) {
  const std::string& prefix = stand_in_prefix();
  for (std::size_t at = text.find(prefix); at != std::string::npos;) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::size_t n = stand_in_number(std::string_view(text).substr(at, end - at));
    if ((at != 0 && text[at - 1] != ' ') || n == kNone) {
      at = text.find(prefix, end);
      continue;
    }
    if (n >= ids.size() || ids[n].empty()) return false;
    taken.append(ids[n]).push_back(' ');
    if (end < text.size()) {
      text.erase(at, end - at + 1);  // the word and the space after it
    } else {
      text.erase(at == 0 ? 0 : at - 1);  // the last word and the space before it
    }
    at = text.find(prefix, at == 0 ? 0 : at - 1);
  }
  return true;
}

// Appends each of `words` (distinct) that `text` (words separated by single spaces) does not
// hold yet: one pass over the text (add_words searches the text once per word, which cost the
// store's writer more than the rest of binding).
void append_new_words(std::string& text, const std::vector<std::string>& words) {
  std::vector<bool> held(words.size(), false);
  // For each first byte, the lengths of the words starting with it (bit length - 1): most of
  // the text's words are passed over on one test.
  std::array<std::uint64_t, 256> lengths{};
  for (const std::string& w : words) {
    lengths[static_cast<unsigned char>(w[0])] |= std::uint64_t{1} << (w.size() - 1);
  }
  const char* const stop = text.data() + text.size();
  for (const char* from = text.data(); from < stop;) {
    const auto* space = static_cast<const char*>(std::memchr(from, ' ', stop - from));
    const char* end = space == nullptr ? stop : space;
    const auto length = static_cast<std::size_t>(end - from);
    const auto first = static_cast<unsigned char>(*from);
    if (length > 0 && length <= kMaxWordBytes && (lengths[first] >> (length - 1) & 1) != 0) {
      const std::string_view word(from, length);
      for (std::size_t i = 0; i < words.size(); ++i) {
        if (!held[i] && words[i] == word) held[i] = true;
      }
    }
    from = end + 1;
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (held[i]) continue;
    if (!text.empty()) text.push_back(' ');
    text += words[i];
  }
}

// Replaces each stand-in word of `text` by the words of its id.
bool bind_text(std::string& text, std::span<const std::string> ids) {
  if (text.find(stand_in_prefix()) == std::string::npos) return true;
  // Near the cap, extraction may have cut words the id would have given, or the stand-in.
  if (text.size() > kMaxTextBytes / 2) return false;
  std::string taken;
  if (!take_stand_ins(text, ids, taken)) return false;
  append_new_words(text, full_text_words(taken));  // each word once, two ids' shared ones too
  return true;
}

}  // namespace

std::string late_target_id(std::size_t n) {
  return stand_in_prefix() + std::to_string(n);
}

bool bind_late_targets(IndexValues& values, std::span<const std::string> ids) {
  bool bound_reference = false;
  for (ReferenceIndex& row : values.references) {
    const Bound bound = bind_target(row.target_id, row.url, ids);
    if (bound == Bound::kFailed) return false;
    bound_reference = bound_reference || bound == Bound::kYes;
  }
  if (bound_reference) drop_duplicate_references(values.references);
  for (CompositeIndex& row : values.composites) {
    if (bind_target(row.target_id, row.url, ids) == Bound::kFailed) return false;
  }
  return bind_text(values.text.content, ids) && bind_text(values.text.narrative, ids);
}

}  // namespace hearth::fhir::search
