// Expanding a compose: each include's codes in order, value sets intersected, excludes removed,
// duplicates dropped; see expansion.h.
#include "fhir/terminology/expansion.h"

#include <unicode/regex.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "fhir/terminology/code_system.h"

namespace hearth::fhir::terminology {
namespace {

constexpr std::size_t kMaxRegexPattern = 4096;
constexpr std::int32_t kRegexTimeLimit = 200;  // ICU match-engine steps (~milliseconds)

using Key = std::pair<std::string_view, std::string_view>;  // (system, code)

// Codes in insertion order, without repeats.
class CodeList {
 public:
  Status add(const ExpansionItem& item) {
    if (!seen_.insert({item.system, item.code}).second) return Status::ok();
    if (items_.size() >= kMaxExpansion) {
      return Status(Code::kUnprocessable,
                    "the expansion has more than " + std::to_string(kMaxExpansion) + " codes", {},
                    "too-costly");
    }
    items_.push_back(item);
    return Status::ok();
  }
  bool has(const Key& k) const { return seen_.contains(k); }
  std::vector<ExpansionItem>& items() { return items_; }

 private:
  std::vector<ExpansionItem> items_;
  std::set<Key> seen_;
};

Status not_supported(std::string message) {
  return Status(Code::kUnprocessable, std::move(message), {}, "not-supported");
}

ExpansionItem item_of(const CodeSystem& cs, const Concept& c) {
  return {cs.url, cs.version, code_of(cs, c), display_of(cs, c), c.flags};
}

bool is_descendant(const CodeSystem& cs, const Concept& ancestor, const Concept& c) {
  return subsumes(cs, ancestor, c) == Subsumption::kSubsumes;
}

bool in_list(std::string_view list, std::string_view code) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == code) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// One filter, ready to test concepts of `cs`.
class FilterTest {
 public:
  static Result<FilterTest> make(const CodeSystem& cs, const Filter& f) {
    FilterTest t(cs, f);
    bool on_code = f.property == "concept" || f.property == "code";
    if (on_code && (f.op == "is-a" || f.op == "descendent-of" || f.op == "descendant-of" ||
                    f.op == "is-not-a" || f.op == "generalizes")) {
      t.anchor_ = find_concept(cs, f.value);
      return t;
    }
    if (on_code && (f.op == "=" || f.op == "in" || f.op == "not-in")) return t;
    if (on_code && f.op == "regex") {
      if (f.value.size() > kMaxRegexPattern) return not_supported("the regex filter is too long");
      UErrorCode status = U_ZERO_ERROR;
      std::string pattern(f.value);
      t.regex_.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, status));
      if (U_FAILURE(status)) return not_supported("the regex filter does not compile");
      return t;
    }
    if (f.property == "parent" && f.op == "=") return t;
    if ((f.property == "notSelectable" || f.property == "abstract") && f.op == "=" &&
        (f.value == "true" || f.value == "false")) {
      return t;
    }
    return not_supported("the filter " + std::string(f.property) + " " + std::string(f.op) +
                         " on " + std::string(cs.url) + " is not supported");
  }

  Result<bool> test(const Concept& c) const {
    const Filter& f = *filter_;
    if (f.property == "parent") {
      const Concept* p = parent_of(*cs_, c);
      return p != nullptr && code_of(*cs_, *p) == f.value;
    }
    if (f.property == "notSelectable" || f.property == "abstract") {
      return ((c.flags & kConceptNotSelectable) != 0) == (f.value == "true");
    }
    if (f.op == "=") return code_of(*cs_, c) == f.value;
    if (f.op == "in") return in_list(f.value, code_of(*cs_, c));
    if (f.op == "not-in") return !in_list(f.value, code_of(*cs_, c));
    if (f.op == "regex") return matches(code_of(*cs_, c));
    if (anchor_ == nullptr) return f.op == "is-not-a";
    if (f.op == "is-a") return &c == anchor_ || is_descendant(*cs_, *anchor_, c);
    if (f.op == "is-not-a") return &c != anchor_ && !is_descendant(*cs_, *anchor_, c);
    if (f.op == "generalizes") return &c == anchor_ || is_descendant(*cs_, c, *anchor_);
    return is_descendant(*cs_, *anchor_, c);  // descendent-of
  }

 private:
  FilterTest(const CodeSystem& cs, const Filter& f) : cs_(&cs), filter_(&f) {}

  Result<bool> matches(std::string_view code) const {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString subject = icu::UnicodeString::fromUTF8(std::string(code));
    std::unique_ptr<icu::RegexMatcher> m(regex_->matcher(subject, status));
    if (U_FAILURE(status)) return not_supported("the regex filter cannot run");
    m->setTimeLimit(kRegexTimeLimit, status);
    UBool found = m->matches(status);
    if (U_FAILURE(status)) return not_supported("the regex filter ran out of time");
    return found != 0;
  }

  const CodeSystem* cs_;
  const Filter* filter_;
  const Concept* anchor_ = nullptr;
  std::shared_ptr<icu::RegexPattern> regex_;
};

class Expander {
 public:
  explicit Expander(TerminologySource& source) : source_(source) {}

  Status add_value_set(const Compose& vs, CodeList& out, int depth) {
    if (depth > kMaxNesting) {
      return Status(Code::kUnprocessable,
                    "value sets nest more than " + std::to_string(kMaxNesting) + " deep", {},
                    "too-costly");
    }
    CodeList included;
    for (const ComposeInclude& inc : vs.include) {
      HEARTH_RETURN_IF_ERROR(add_include(inc, included, depth));
    }
    CodeList excluded;
    for (const ComposeInclude& exc : vs.exclude) {
      HEARTH_RETURN_IF_ERROR(add_include(exc, excluded, depth));
    }
    for (const ExpansionItem& item : included.items()) {
      if (!excluded.has({item.system, item.code})) HEARTH_RETURN_IF_ERROR(out.add(item));
    }
    return Status::ok();
  }

 private:
  Status add_include(const ComposeInclude& inc, CodeList& out, int depth) {
    CodeList part;
    bool has_part = !inc.system.empty();
    if (has_part) HEARTH_RETURN_IF_ERROR(add_system_part(inc, part));
    for (std::string_view url : inc.value_sets) {
      const Compose* other = source_.value_set(url);
      if (other == nullptr) {
        return Status(Code::kNotFound, "the value set " + std::string(url) + " is not held", {},
                      "not-found");
      }
      CodeList codes;
      HEARTH_RETURN_IF_ERROR(add_value_set(*other, codes, depth + 1));
      if (!has_part) {
        part = std::move(codes);
        has_part = true;
        continue;
      }
      CodeList both;
      for (const ExpansionItem& item : part.items()) {
        if (codes.has({item.system, item.code})) HEARTH_RETURN_IF_ERROR(both.add(item));
      }
      part = std::move(both);
    }
    for (const ExpansionItem& item : part.items()) HEARTH_RETURN_IF_ERROR(out.add(item));
    return Status::ok();
  }

  Status add_system_part(const ComposeInclude& inc, CodeList& part) {
    const CodeSystem* cs = source_.code_system(inc.system);
    if (!inc.concepts.empty()) {
      for (const auto& [code, display] : inc.concepts) {
        const Concept* c = cs == nullptr ? nullptr : find_concept(*cs, code);
        if (cs != nullptr && c == nullptr) continue;  // not a code of the system
        ExpansionItem item =
            c != nullptr ? item_of(*cs, *c) : ExpansionItem{inc.system, {}, code, display, 0};
        if (!display.empty()) item.display = display;
        HEARTH_RETURN_IF_ERROR(part.add(item));
      }
      return Status::ok();
    }
    if (cs == nullptr) {
      return not_supported("the code system " + std::string(inc.system) +
                           " is not held in full by Hearth");
    }
    std::vector<FilterTest> tests;
    for (const Filter& f : inc.filters) {
      HEARTH_ASSIGN_OR_RETURN(FilterTest t, FilterTest::make(*cs, f));
      tests.push_back(std::move(t));
    }
    for (const Concept& c : cs->concepts) {
      bool keep = true;
      for (const FilterTest& t : tests) {
        HEARTH_ASSIGN_OR_RETURN(keep, t.test(c));
        if (!keep) break;
      }
      if (keep) HEARTH_RETURN_IF_ERROR(part.add(item_of(*cs, c)));
    }
    return Status::ok();
  }

  TerminologySource& source_;
};

char fold(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool contains_folded(std::string_view text, std::string_view needle) {
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return fold(a) == fold(b); }) != text.end();
}

}  // namespace

const CodeSystem* BuiltinTerminology::code_system(std::string_view url) {
  return find_code_system(url);
}

const Compose* BuiltinTerminology::value_set(std::string_view url) {
  const ValueSet* vs = find_value_set_compose(url);
  return vs == nullptr ? nullptr : &composes_.emplace_back(compose_of(*vs));
}

Result<std::vector<ExpansionItem>> expand_all(const Compose& compose, TerminologySource& source) {
  CodeList codes;
  HEARTH_RETURN_IF_ERROR(Expander(source).add_value_set(compose, codes, 0));
  return std::move(codes.items());
}

Expansion page_of(std::span<const ExpansionItem> all, const ExpandOptions& options) {
  Expansion out;
  for (const ExpansionItem& item : all) {
    if (options.active_only && (item.flags & kConceptInactive) != 0) continue;
    if (!options.filter.empty() && !contains_folded(item.display, options.filter) &&
        !contains_folded(item.code, options.filter)) {
      continue;
    }
    if (out.total >= options.offset && out.items.size() < options.count) {
      out.items.push_back(item);
    }
    ++out.total;
  }
  return out;
}

Result<Expansion> expand(const ValueSet& vs, const ExpandOptions& options) {
  BuiltinTerminology source;
  HEARTH_ASSIGN_OR_RETURN(std::vector<ExpansionItem> all, expand_all(compose_of(vs), source));
  return page_of(all, options);
}

Result<bool> contains(const ValueSet& vs, std::string_view system, std::string_view code) {
  HEARTH_ASSIGN_OR_RETURN(Expansion e, expand(vs));
  return std::any_of(e.items.begin(), e.items.end(), [&](const ExpansionItem& item) {
    return item.code == code && (system.empty() || item.system == system);
  });
}

}  // namespace hearth::fhir::terminology
