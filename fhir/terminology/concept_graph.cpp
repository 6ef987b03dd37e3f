// Building and checking a hierarchy graph: adjacency lists from sorted links, then Kahn's
// topological order, which finds both the longest chain of parents and whether a cycle is left.
#include "fhir/terminology/concept_graph.h"

#include <algorithm>
#include <deque>
#include <tuple>
#include <utility>

#include "fhir/terminology/resource_fields.h"

namespace hearth::fhir::terminology {
namespace {

using detail::invalid_member;

constexpr std::size_t kCodesInMessage = 8;
constexpr std::size_t kCodeInMessage = 64;

// Adjacency lists of `links` keyed by `from` (links sorted by from, then to).
void adjacency(std::size_t n, const std::vector<ConceptLink>& links,
               std::uint32_t ConceptLink::*from, std::uint32_t ConceptLink::*to,
               std::vector<std::uint32_t>& begin, std::vector<std::uint32_t>& out) {
  begin.assign(n + 1, 0);
  for (const ConceptLink& l : links) ++begin[l.*from + 1];
  for (std::size_t i = 0; i < n; ++i) begin[i + 1] += begin[i];
  out.resize(links.size());
  std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
  for (const ConceptLink& l : links) out[next[l.*from]++] = l.*to;
}

// A cycle among the concepts Kahn's order left (each has a parent left too), walking up from
// one of them until a concept repeats: its indices, each a parent of the one before.
std::vector<std::uint32_t> find_cycle(const ConceptGraphData& g, const std::vector<char>& left) {
  std::uint32_t at =
      static_cast<std::uint32_t>(std::find(left.begin(), left.end(), 1) - left.begin());
  std::vector<std::int64_t> visited_at(left.size(), -1);
  std::vector<std::uint32_t> walk;
  while (visited_at[at] < 0) {
    visited_at[at] = static_cast<std::int64_t>(walk.size());
    walk.push_back(at);
    for (std::uint32_t k = g.parent_begin[at]; k < g.parent_begin[at + 1]; ++k) {
      if (left[g.parents[k]] != 0) {
        at = g.parents[k];
        break;
      }
    }
  }
  walk.erase(walk.begin(), walk.begin() + visited_at[at]);
  walk.push_back(at);
  return walk;
}

Status cycle_error(const std::vector<ConceptLink>& links, const std::vector<std::uint32_t>& cycle,
                   const std::function<std::string_view(std::uint32_t)>& code) {
  // Listed from the top: each code a parent of the next; a long cycle shortened in the middle.
  std::vector<std::uint32_t> top_down(cycle.rbegin(), cycle.rend());
  std::string codes;
  for (std::size_t i = 0; i < top_down.size(); ++i) {
    if (i == kCodesInMessage && top_down.size() > kCodesInMessage + 1) {
      codes += ", ...";
      i = top_down.size() - 1;
    }
    codes += (i == 0 ? "" : ", ") + std::string(code(top_down[i]).substr(0, kCodeInMessage));
  }
  std::string path = "CodeSystem.concept";
  for (std::size_t i = 0; i + 1 < cycle.size(); ++i) {
    ConceptLink key{cycle[i + 1], cycle[i], {}};
    auto it = std::lower_bound(links.begin(), links.end(), key, [](const auto& a, const auto& b) {
      return std::pair(a.parent, a.child) < std::pair(b.parent, b.child);
    });
    if (it != links.end() && it->parent == key.parent && it->child == key.child &&
        !it->path.empty()) {
      path = it->path;
      break;
    }
  }
  return invalid_member("the hierarchy has a cycle (each code a parent of the next): " + codes,
                        path);
}

}  // namespace

Result<ConceptGraphData> build_concept_graph(
    std::size_t concepts, std::vector<ConceptLink> links, int max_depth,
    const std::function<std::string_view(std::uint32_t)>& code) {
  // Sorted by (parent, child), a link the nesting and a property both give kept once: the
  // property's, whose path a cycle can name.
  std::stable_sort(links.begin(), links.end(), [](const ConceptLink& a, const ConceptLink& b) {
    return std::tuple(a.parent, a.child, a.path.empty()) <
           std::tuple(b.parent, b.child, b.path.empty());
  });
  links.erase(std::unique(links.begin(), links.end(),
                          [](const ConceptLink& a, const ConceptLink& b) {
                            return a.parent == b.parent && a.child == b.child;
                          }),
              links.end());
  ConceptGraphData g;
  adjacency(concepts, links, &ConceptLink::parent, &ConceptLink::child, g.child_begin, g.children);
  std::vector<ConceptLink> by_child = links;
  std::sort(by_child.begin(), by_child.end(), [](const ConceptLink& a, const ConceptLink& b) {
    return std::pair(a.child, a.parent) < std::pair(b.child, b.parent);
  });
  adjacency(concepts, by_child, &ConceptLink::child, &ConceptLink::parent, g.parent_begin,
            g.parents);

  // Kahn's order from the top concepts; a concept's depth is its longest chain of parents.
  std::vector<std::uint32_t> waiting(concepts);
  std::vector<int> depth(concepts, 1);
  std::deque<std::uint32_t> ready;
  for (std::uint32_t i = 0; i < concepts; ++i) {
    waiting[i] = g.parent_begin[i + 1] - g.parent_begin[i];
    if (waiting[i] == 0) ready.push_back(i);
  }
  std::size_t done = 0;
  while (!ready.empty()) {
    std::uint32_t at = ready.front();
    ready.pop_front();
    ++done;
    for (std::uint32_t k = g.child_begin[at]; k < g.child_begin[at + 1]; ++k) {
      std::uint32_t child = g.children[k];
      depth[child] = std::max(depth[child], depth[at] + 1);
      if (depth[child] > max_depth) {
        return invalid_member("the hierarchy is deeper than " + std::to_string(max_depth) +
                                  " levels (at '" +
                                  std::string(code(child).substr(0, kCodeInMessage)) + "')",
                              "CodeSystem.concept");
      }
      if (--waiting[child] == 0) ready.push_back(child);
    }
  }
  if (done < concepts) {
    std::vector<char> left(concepts, 0);
    for (std::size_t i = 0; i < concepts; ++i) left[i] = waiting[i] > 0 ? 1 : 0;
    return cycle_error(links, find_cycle(g, left), code);
  }
  return g;
}

}  // namespace hearth::fhir::terminology
