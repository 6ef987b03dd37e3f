// Lookups over the generated code system tables; see code_system.h.
#include "fhir/terminology/code_system.h"

#include <algorithm>
#include <deque>
#include <limits>

#include "fhir/terminology/concept_graph.h"
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

// Concept i's links (parents or children) in a ConceptGraph.
std::span<const std::uint32_t> links(std::span<const std::uint32_t> begin,
                                     std::span<const std::uint32_t> all, std::size_t i) {
  return all.subspan(begin[i], begin[i + 1] - begin[i]);
}

// Every concept reachable from `c` by the links given (not `c` itself), in document order. Each
// concept is visited once, so the walk is bounded by the size of the graph.
std::vector<const Concept*> reachable(const CodeSystem& cs, const Concept& c,
                                      std::span<const std::uint32_t> begin,
                                      std::span<const std::uint32_t> all) {
  std::vector<char> seen(cs.concepts.size(), 0);
  std::vector<std::uint32_t> stack{static_cast<std::uint32_t>(index_of(cs, c))};
  while (!stack.empty()) {
    std::uint32_t at = stack.back();
    stack.pop_back();
    for (std::uint32_t next : links(begin, all, at)) {
      if (seen[next] == 0) {
        seen[next] = 1;
        stack.push_back(next);
      }
    }
  }
  std::vector<const Concept*> out;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (seen[i] != 0) out.push_back(&cs.concepts[i]);
  }
  return out;
}

// Is `ancestor` reached from concept `from` by parent links? A walk up from `from`.
bool reaches(const CodeSystem& cs, std::size_t from, std::size_t ancestor) {
  std::vector<char> seen(cs.concepts.size(), 0);
  std::vector<std::size_t> stack{from};
  while (!stack.empty()) {
    std::size_t at = stack.back();
    stack.pop_back();
    for (std::uint32_t p : links(cs.graph->parent_begin, cs.graph->parents, at)) {
      if (p == ancestor) return true;
      if (seen[p] == 0) {
        seen[p] = 1;
        stack.push_back(p);
      }
    }
  }
  return false;
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

namespace {

// The built-in code systems, those whose properties name hierarchy links given their graph: built
// once, on first use (a few milliseconds), so that a process that never reads them pays nothing.
struct BuiltinSystems {
  std::vector<CodeSystem> systems;
  std::deque<ConceptGraphData> graphs;
  std::deque<ConceptGraph> views;
};

const BuiltinSystems& builtin_systems() {
  static const BuiltinSystems built = [] {
    BuiltinSystems out;
    out.systems.assign(detail::kCodeSystems.begin(), detail::kCodeSystems.end());
    for (const detail::CodeSystemLinks& l : detail::kCodeSystemLinks) {
      auto it =
          std::lower_bound(out.systems.begin(), out.systems.end(), l.url,
                           [](const CodeSystem& cs, std::string_view u) { return cs.url < u; });
      if (it == out.systems.end() || it->url != l.url) continue;
      std::vector<ConceptLink> links;
      for (std::uint32_t i = 0; i < it->concepts.size(); ++i) {
        if (it->concepts[i].parent >= 0) {
          links.push_back({static_cast<std::uint32_t>(it->concepts[i].parent), i, {}});
        }
      }
      for (std::size_t k = 0; k + 1 < l.pairs.size(); k += 2) {
        links.push_back({l.pairs[k], l.pairs[k + 1], "CodeSystem.concept"});
      }
      const CodeSystem& cs = *it;
      Result<ConceptGraphData> graph =
          build_concept_graph(cs.concepts.size(), std::move(links), std::numeric_limits<int>::max(),
                              [&](std::uint32_t i) { return code_of(cs, cs.concepts[i]); });
      // The package's graphs are acyclic (terminology_test.cpp checks that each is used); one that
      // were not would keep its nesting alone.
      if (!graph.is_ok()) continue;
      out.graphs.push_back(std::move(graph).value());
      out.views.push_back(out.graphs.back().view());
      it->graph = &out.views.back();
    }
    return out;
  }();
  return built;
}

}  // namespace

std::span<const CodeSystem> code_systems() {
  return builtin_systems().systems;
}

const CodeSystem* find_code_system(std::string_view url) {
  url = url.substr(0, url.find('|'));
  std::span<const CodeSystem> all = code_systems();
  auto it = std::lower_bound(all.begin(), all.end(), url,
                             [](const CodeSystem& cs, std::string_view u) { return cs.url < u; });
  return it != all.end() && it->url == url ? &*it : nullptr;
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

std::vector<const Concept*> parents_of(const CodeSystem& cs, const Concept& c) {
  std::vector<const Concept*> out;
  if (cs.graph != nullptr) {
    for (std::uint32_t p : links(cs.graph->parent_begin, cs.graph->parents, index_of(cs, c))) {
      out.push_back(&cs.concepts[p]);
    }
  } else if (c.parent >= 0) {
    out.push_back(&cs.concepts[static_cast<std::size_t>(c.parent)]);
  }
  return out;
}

std::vector<const Concept*> children_of(const CodeSystem& cs, const Concept& c) {
  std::vector<const Concept*> out;
  if (cs.graph != nullptr) {
    for (std::uint32_t k : links(cs.graph->child_begin, cs.graph->children, index_of(cs, c))) {
      out.push_back(&cs.concepts[k]);
    }
    return out;
  }
  for (std::size_t i = index_of(cs, c) + 1; i < c.subtree_end; i = cs.concepts[i].subtree_end) {
    out.push_back(&cs.concepts[i]);
  }
  return out;
}

std::vector<const Concept*> descendants_of(const CodeSystem& cs, const Concept& c) {
  if (cs.graph != nullptr) return reachable(cs, c, cs.graph->child_begin, cs.graph->children);
  std::vector<const Concept*> out;
  for (std::size_t i = index_of(cs, c) + 1; i < c.subtree_end; ++i) {
    out.push_back(&cs.concepts[i]);
  }
  return out;
}

std::vector<const Concept*> ancestors_of(const CodeSystem& cs, const Concept& c) {
  if (cs.graph != nullptr) return reachable(cs, c, cs.graph->parent_begin, cs.graph->parents);
  std::vector<const Concept*> out;
  for (std::int32_t p = c.parent; p >= 0; p = cs.concepts[static_cast<std::size_t>(p)].parent) {
    out.push_back(&cs.concepts[static_cast<std::size_t>(p)]);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Subsumption subsumes(const CodeSystem& cs, const Concept& a, const Concept& b) {
  std::size_t ia = index_of(cs, a), ib = index_of(cs, b);
  if (ia == ib) return Subsumption::kEquivalent;
  if (cs.graph != nullptr) {
    if (reaches(cs, ib, ia)) return Subsumption::kSubsumes;
    if (reaches(cs, ia, ib)) return Subsumption::kSubsumedBy;
    return Subsumption::kNotSubsumed;
  }
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
