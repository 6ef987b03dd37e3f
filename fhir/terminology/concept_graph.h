// Building a code system's hierarchy graph (code_system.h ConceptGraph) from its parent-child
// links: the `concept` nesting's and those its `parent`/`child` properties name
// (stored_code_system.h). Checked once, when the code system is compiled: links are deduplicated,
// the graph must be acyclic and no chain of parents longer than a bound, so every later walk of
// it (subsumption, descendants, ancestors) ends.
//
// No I/O; the result is plain data, immutable once built.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/terminology/code_system.h"

namespace hearth::fhir::terminology {

// One link: `parent` is a parent of `child` (concept indices). `path` is the FHIRPath of the
// property's valueCode that says so ("" for the nesting), named when the link is in a cycle.
struct ConceptLink {
  std::uint32_t parent = 0;
  std::uint32_t child = 0;
  std::string path;
};

// The adjacency lists a ConceptGraph views.
struct ConceptGraphData {
  std::vector<std::uint32_t> parent_begin, parents, child_begin, children;
  ConceptGraph view() const { return {parent_begin, parents, child_begin, children}; }
};

// The graph of `links` over `concepts` concepts (every index below it). `code` names a concept in
// messages. Errors, kInvalidArgument ("invalid"): a cycle (the message lists its codes, each a
// parent of the next; the expression is the path of a property's link in it), a chain of parents
// longer than `max_depth` (the expression is "CodeSystem.concept").
Result<ConceptGraphData> build_concept_graph(
    std::size_t concepts, std::vector<ConceptLink> links, int max_depth,
    const std::function<std::string_view(std::uint32_t)>& code);

}  // namespace hearth::fhir::terminology
