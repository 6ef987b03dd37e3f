#include "fhir/search/full_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "fhir/search/text_fold.h"

namespace hearth::fhir::search {
namespace {

// The words of one text, each kept once, up to kMaxTextBytes. The words are appended to one
// string and told apart by a flat hash set of their places in it, so a word costs no allocation
// of its own; ASCII text (the common case) is split and lowered here without fold_text (ICU).
class Words {
 public:
  // Adds the words of `text` (folded here).
  void add_text(std::string_view text) {
    if (has_non_ascii(text)) {
      split_folded(fold_text(text));
    } else {
      split_ascii(text);
    }
  }
  std::string take() { return std::move(out_); }
  std::vector<std::string> take_list() { return std::move(list_); }
  bool keep_list = false;

 private:
  static bool ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  // Each ASCII byte's lowered form when it is a letter or a digit, else 0.
  static constexpr std::array<char, 128> kLowered = [] {
    std::array<char, 128> table{};
    for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<char>(c);
    for (int c = 'a'; c <= 'z'; ++c) table[c] = static_cast<char>(c);
    for (int c = 'A'; c <= 'Z'; ++c) table[c] = static_cast<char>(c - 'A' + 'a');
    return table;
  }();

  static bool has_non_ascii(std::string_view text) {
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t block = 0;
      std::memcpy(&block, text.data() + i, 8);
      if ((block & 0x8080808080808080ULL) != 0) return true;
    }
    for (; i < text.size(); ++i) {
      if (static_cast<unsigned char>(text[i]) >= 0x80) return true;
    }
    return false;
  }

  // FNV-1a, one byte at a time (the words are short).
  static std::uint32_t hash_step(std::uint32_t h, char c) {
    return (h ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  static constexpr std::uint32_t kHashStart = 2166136261u;
  static std::uint32_t hash_of(std::string_view word) {
    std::uint32_t h = kHashStart;
    for (char c : word) h = hash_step(h, c);
    return h;
  }

  // ASCII text: runs of letters and digits, lowered into a buffer (a longer run is no word).
  void split_ascii(std::string_view text) {
    char word[kMaxWordBytes];
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
      char c = kLowered[static_cast<unsigned char>(text[i])];
      if (c == 0) {
        ++i;
        continue;
      }
      const std::size_t from = i;
      std::uint32_t h = kHashStart;
      do {
        if (i - from < kMaxWordBytes) word[i - from] = c;
        h = hash_step(h, c);
        ++i;
      } while (i < n && (c = kLowered[static_cast<unsigned char>(text[i])]) != 0);
      if (i - from <= kMaxWordBytes) add_word(std::string_view(word, i - from), h);
    }
  }

  // Folded text: runs of letters and digits (ASCII, or any Unicode letter or digit).
  void split_folded(std::string_view text) {
    const auto n = static_cast<std::int32_t>(text.size());
    std::size_t i = 0, from = 0;
    bool in_word = false;
    while (i < text.size()) {
      const std::size_t here = i;
      bool letter = false;
      if (static_cast<unsigned char>(text[i]) < 0x80) {
        letter = ascii_alnum(text[i]);
        ++i;
      } else {
        auto k = static_cast<std::int32_t>(i);
        UChar32 cp = 0;
        U8_NEXT(text.data(), k, n, cp);
        i = static_cast<std::size_t>(k);
        letter = cp >= 0 && u_isalnum(cp);
      }
      if (letter && !in_word) from = here;
      if (!letter && in_word) add_word(text.substr(from, here - from));
      in_word = letter;
    }
    if (in_word) add_word(text.substr(from));
  }

  void add_word(std::string_view word) {
    if (word.size() <= kMaxWordBytes) add_word(word, hash_of(word));
  }

  // `hash`: hash_of(word).
  void add_word(std::string_view word, std::uint32_t hash) {
    if (word.size() > kMaxWordBytes || out_.size() + word.size() + 1 > kMaxTextBytes) return;
    if (slots_.empty()) slots_.assign(kFirstSlots, 0);
    std::size_t slot = hash & (slots_.size() - 1);
    for (; slots_[slot] != 0; slot = (slot + 1) & (slots_.size() - 1)) {
      if (at(slots_[slot]) == word) return;
    }
    if (!out_.empty()) out_.push_back(' ');
    slots_[slot] = place(out_.size(), word.size());
    out_ += word;
    if (keep_list) list_.emplace_back(word);
    if (++count_ * 2 > slots_.size()) grow();
  }

  // A word's place in out_: offset and length packed, never 0 (an empty slot).
  static std::uint32_t place(std::size_t offset, std::size_t length) {
    static_assert(kMaxTextBytes <= (std::size_t{1} << 24) && kMaxWordBytes < 128);
    return static_cast<std::uint32_t>((offset << 7) | length) + 1;
  }
  std::string_view at(std::uint32_t slot) const {
    return std::string_view(out_).substr((slot - 1) >> 7, (slot - 1) & 127);
  }

  void grow() {
    std::vector<std::uint32_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    for (std::uint32_t kept : old) {
      if (kept == 0) continue;
      std::size_t slot = hash_of(at(kept)) & (slots_.size() - 1);
      while (slots_[slot] != 0) slot = (slot + 1) & (slots_.size() - 1);
      slots_[slot] = kept;
    }
  }

  static constexpr std::size_t kFirstSlots = 256;  // a power of two
  std::string out_;
  std::vector<std::string> list_;
  std::vector<std::uint32_t> slots_;
  std::size_t count_ = 0;
};

// The character a reference names (&amp; &#233; &#xE9;), or 0 when unknown: a separator.
UChar32 entity(std::string_view name) {
  if (name == "amp") return '&';
  if (name == "lt") return '<';
  if (name == "gt") return '>';
  if (name == "quot") return '"';
  if (name == "apos") return '\'';
  if (name == "nbsp") return ' ';
  if (name.size() < 2 || name[0] != '#') return 0;
  const bool hex = name[1] == 'x' || name[1] == 'X';
  std::uint32_t value = 0;
  for (char c : name.substr(hex ? 2 : 1)) {
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return 0;
    }
    value = value * (hex ? 16 : 10) + digit;
    if (value > 0x10FFFF) return 0;
  }
  return static_cast<UChar32>(value);
}

// The text of an XHTML fragment: tags (and comments) become separators, character references
// their character.
std::string strip_xhtml(std::string_view div) {
  std::string out;
  out.reserve(div.size());
  for (std::size_t i = 0; i < div.size();) {
    const char c = div[i];
    if (c == '<') {
      const std::size_t end = div.find('>', i);
      i = end == std::string_view::npos ? div.size() : end + 1;
      out.push_back(' ');
    } else if (c == '&') {
      const std::size_t end = div.find(';', i);
      const UChar32 cp = end == std::string_view::npos || end - i > 10
                             ? 0
                             : entity(div.substr(i + 1, end - i - 1));
      if (cp <= 0) {
        out.push_back(' ');
        ++i;
        continue;
      }
      char buffer[4];
      std::int32_t length = 0;
      UBool error = false;
      U8_APPEND(buffer, length, 4, cp, error);
      if (error) {
        out.push_back(' ');
      } else {
        out.append(buffer, static_cast<std::size_t>(length));
      }
      i = end + 1;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

const JsonValue* member(const JsonValue& object, std::string_view name) {
  auto it = object.FindMember(rapidjson::StringRef(name.data(), name.size()));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// The narrative div of `object`, if it has one.
const JsonValue* narrative_div(const JsonValue& object) {
  const JsonValue* text = member(object, "text");
  if (text == nullptr || !text->IsObject()) return nullptr;
  const JsonValue* div = member(*text, "div");
  return div != nullptr && is_json_string(*div) ? div : nullptr;
}

// Adds every string under `value`; `top`: `value` is the resource itself, `meta`: it is the
// resource's meta.
void add_strings(const JsonValue& value, Words& words, bool top, bool meta) {
  if (is_json_string(value)) {
    words.add_text(json_string(value));
  } else if (value.IsArray()) {
    for (const JsonValue& item : value.GetArray()) add_strings(item, words, false, false);
  } else if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      const std::string_view name(it->name.GetString(), it->name.GetStringLength());
      if (name == "resourceType" || (top && name == "id")) continue;
      if (meta && (name == "versionId" || name == "lastUpdated")) continue;
      if (name == "div" && is_json_string(it->value)) {
        words.add_text(strip_xhtml(json_string(it->value)));
        continue;
      }
      add_strings(it->value, words, false, top && name == "meta");
    }
  }
}

}  // namespace

FullText full_text(const JsonValue& resource) {
  FullText out;
  if (!resource.IsObject()) return out;
  if (const JsonValue* div = narrative_div(resource)) {
    Words narrative;
    narrative.add_text(strip_xhtml(json_string(*div)));
    out.narrative = narrative.take();
  }
  Words content;
  add_strings(resource, content, true, false);
  out.content = content.take();
  return out;
}

std::vector<std::string> full_text_words(std::string_view value) {
  Words words;
  words.keep_list = true;
  words.add_text(value);
  return words.take_list();
}

void add_words(std::string& text, std::string_view value) {
  for (const std::string& word : full_text_words(value)) {
    if (word.size() > kMaxWordBytes || text.size() + word.size() + 1 > kMaxTextBytes) continue;
    bool held = false;
    for (std::size_t at = text.find(word); at != std::string::npos && !held;
         at = text.find(word, at + 1)) {
      const std::size_t end = at + word.size();
      held = (at == 0 || text[at - 1] == ' ') && (end == text.size() || text[end] == ' ');
    }
    if (held) continue;
    if (!text.empty()) text.push_back(' ');
    text += word;
  }
}

bool is_full_text(const SearchParamDef& param) {
  return param.code == "_text" || param.code == "_content";
}

}  // namespace hearth::fhir::search
