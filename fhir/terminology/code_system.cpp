// Lookups over the generated code system tables; see code_system.h.
#include "fhir/terminology/code_system.h"

#include <algorithm>

#include "fhir/terminology/tables.h"

namespace hearth::fhir::terminology {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::size_t index_of(const CodeSystem& cs, const Concept& c) {
  return static_cast<std::size_t>(&c - cs.concepts.data());
}

}  // namespace

std::string_view code_of(const Concept& c) {
  return detail::text(c.code);
}

std::string_view display_of(const Concept& c) {
  return detail::text(c.display);
}

std::string_view code_of(const CodeSystem& cs, const Concept& c) {
  return cs.texts == nullptr ? detail::text(c.code) : std::string_view(cs.texts[c.code]);
}

std::string_view display_of(const CodeSystem& cs, const Concept& c) {
  return cs.texts == nullptr ? detail::text(c.display) : std::string_view(cs.texts[c.display]);
}

std::span<const CodeSystem> code_systems() {
  return detail::kCodeSystems;
}

const CodeSystem* find_code_system(std::string_view url) {
  url = url.substr(0, url.find('|'));
  auto it = std::lower_bound(detail::kCodeSystems.begin(), detail::kCodeSystems.end(), url,
                             [](const CodeSystem& cs, std::string_view u) { return cs.url < u; });
  return it != detail::kCodeSystems.end() && it->url == url ? &*it : nullptr;
}

const Concept* find_concept(const CodeSystem& cs, std::string_view code) {
  auto it = std::lower_bound(
      cs.by_code.begin(), cs.by_code.end(), code,
      [&](std::uint32_t i, std::string_view c) { return code_of(cs, cs.concepts[i]) < c; });
  if (it != cs.by_code.end() && code_of(cs, cs.concepts[*it]) == code) return &cs.concepts[*it];
  if (cs.case_sensitive) return nullptr;
  for (const Concept& c : cs.concepts) {
    if (iequals(code_of(cs, c), code)) return &c;
  }
  return nullptr;
}

const Concept* parent_of(const CodeSystem& cs, const Concept& c) {
  return c.parent < 0 ? nullptr : &cs.concepts[static_cast<std::size_t>(c.parent)];
}

std::span<const Concept> descendants_of(const CodeSystem& cs, const Concept& c) {
  std::size_t i = index_of(cs, c);
  return cs.concepts.subspan(i + 1, c.subtree_end - (i + 1));
}

std::vector<const Concept*> children_of(const CodeSystem& cs, const Concept& c) {
  std::vector<const Concept*> out;
  std::span<const Concept> below = descendants_of(cs, c);
  for (std::size_t i = 0; i < below.size(); i = below[i].subtree_end - index_of(cs, below[0])) {
    out.push_back(&below[i]);
  }
  return out;
}

Subsumption subsumes(const CodeSystem& cs, const Concept& a, const Concept& b) {
  std::size_t ia = index_of(cs, a), ib = index_of(cs, b);
  if (ia == ib) return Subsumption::kEquivalent;
  if (ib > ia && ib < a.subtree_end) return Subsumption::kSubsumes;
  if (ia > ib && ia < b.subtree_end) return Subsumption::kSubsumedBy;
  return Subsumption::kNotSubsumed;
}

std::string_view subsumption_code(Subsumption s) {
  switch (s) {
    case Subsumption::kEquivalent: return "equivalent";
    case Subsumption::kSubsumes: return "subsumes";
    case Subsumption::kSubsumedBy: return "subsumed-by";
    case Subsumption::kNotSubsumed: break;
  }
  return "not-subsumed";
}

}  // namespace hearth::fhir::terminology
