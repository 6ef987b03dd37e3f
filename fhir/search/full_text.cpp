#include "fhir/search/full_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <unordered_set>

#include "fhir/search/text_fold.h"

namespace hearth::fhir::search {
namespace {

// The words of one text, each kept once, up to kMaxTextBytes.
class Words {
 public:
  // Adds the words of `text` (folded here).
  void add_text(std::string_view text) {
    bool ascii = true;
    for (char c : text) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      split(text, true);
    } else {
      split(fold_text(text), false);
    }
  }
  std::string take() { return std::move(out_); }
  std::vector<std::string> take_list() { return std::move(list_); }
  bool keep_list = false;

 private:
  // `lower`: fold ASCII letters here (the text is ASCII and not folded yet).
  void split(std::string_view text, bool lower) {
    std::size_t i = 0;
    const auto n = static_cast<std::int32_t>(text.size());
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    // One pass: letters and digits extend the word, anything else ends it.
    word_.clear();
    while (i < text.size()) {
      const std::size_t here = i;
      bool letter = false;
      if (at(i) < 0x80) {
        const char c = text[i];
        letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        ++i;
      } else {
        auto k = static_cast<std::int32_t>(i);
        UChar32 cp = 0;
        U8_NEXT(text.data(), k, n, cp);
        i = static_cast<std::size_t>(k);
        letter = cp >= 0 && u_isalnum(cp);
      }
      if (!letter) {
        add_word();
        continue;
      }
      for (std::size_t k = here; k < i; ++k) {
        char c = text[k];
        if (lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        word_.push_back(c);
      }
    }
    add_word();
  }

  // Adds the word read so far (if any) and starts the next.
  void add_word() {
    if (word_.empty()) return;
    if (word_.size() <= kMaxWordBytes && out_.size() + word_.size() + 1 <= kMaxTextBytes &&
        seen_.insert(word_).second) {
      if (!out_.empty()) out_.push_back(' ');
      out_ += word_;
      if (keep_list) list_.push_back(word_);
    }
    word_.clear();
  }

  std::string out_, word_;
  std::vector<std::string> list_;
  std::unordered_set<std::string> seen_;
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

bool is_full_text(const SearchParamDef& param) {
  return param.code == "_text" || param.code == "_content";
}

}  // namespace hearth::fhir::search
