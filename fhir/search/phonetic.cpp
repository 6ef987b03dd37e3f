// Soundex (fhir/search/phonetic.h): one table of letter classes, one pass per word.
#include "fhir/search/phonetic.h"

#include <algorithm>

#include "fhir/search/expression_branches.h"
#include "fhir/search/text_fold.h"

namespace hearth::fhir::search {
namespace {

// The Soundex class of each letter a..z: '0' for vowels and y, 'h' for h and w (they do not
// separate equal codes), else the digit.
constexpr std::string_view kClasses = "0123012h02245501262301h202";

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string soundex_folded(std::string_view folded) {
  std::string out;
  char last = 0;  // the class of the letter before (h/w skipped)
  for (char c : folded) {
    if (!is_letter(c)) continue;
    c = lower(c);
    const char cls = kClasses[static_cast<std::size_t>(c - 'a')];
    if (out.empty()) {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
      last = cls;
      continue;
    }
    if (cls == 'h') continue;
    if (cls != '0' && cls != last) out.push_back(cls);
    last = cls;
    if (out.size() == 4) break;
  }
  if (!out.empty()) out.resize(4, '0');
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string soundex(std::string_view text) {
  return soundex_folded(fold_text(text));
}

std::vector<std::string> phonetic_keys(std::string_view text) {
  const std::string folded = fold_text(text);
  std::vector<std::string> keys;
  auto add = [&](std::string key) {
    if (!key.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(std::move(key));
    }
  };
  std::size_t words = 0;
  for (std::size_t i = 0; i < folded.size();) {
    if (!is_letter(folded[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < folded.size() && is_letter(folded[end])) ++end;
    add(soundex_folded(std::string_view(folded).substr(i, end - i)));
    ++words;
    i = end;
  }
  if (words > 1) add(soundex_folded(folded));
  return keys;
}

const SearchParamDef* phonetic_source(std::string_view resource_type, const SearchParamDef& param) {
  const TypeDef* type = find_type(resource_type);
  const SearchParamDef* name = find_search_param(resource_type, "name");
  if (type == nullptr || name == nullptr || name->type != SearchParamType::kString) return nullptr;
  const std::string mine = detail::branches_for(type, param.expression);
  return !mine.empty() && trimmed(mine) == trimmed(detail::branches_for(type, name->expression))
             ? name
             : nullptr;
}

bool has_phonetic_source(const SearchParamDef& param) {
  return std::all_of(param.base.begin(), param.base.end(), [&](std::string_view type) {
    return phonetic_source(type, param) != nullptr;
  });
}

}  // namespace hearth::fhir::search
