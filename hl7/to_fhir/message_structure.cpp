// The structure is flattened into its segment places, each with its enclosing groups; placing a
// message walks those places forward, restarting a repeating group when a segment belongs to an
// earlier place of it.
#include "hl7/to_fhir/message_structure.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace hearth::hl7::to_fhir {
namespace {

bool has_letter(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

std::string last_part(std::string_view identifier) {
  const std::size_t dot = identifier.rfind('.');
  return std::string(dot == std::string_view::npos ? identifier : identifier.substr(dot + 1));
}

struct Place {
  const StructureNode* segment;
  std::vector<const StructureNode*> groups;  // enclosing groups, outermost first (no root)
};

void flatten(const StructureNode& node, std::vector<const StructureNode*>& groups,
             std::vector<Place>& out) {
  for (const auto& child : node.children) {
    if (child->group) {
      groups.push_back(child.get());
      flatten(*child, groups, out);
      groups.pop_back();
    } else {
      out.push_back(Place{child.get(), groups});
    }
  }
}

// True when `events` ("A01, A04, A08, A13") lists `event`.
bool lists_event(std::string_view events, std::string_view event) {
  std::size_t at = 0;
  while ((at = events.find(event, at)) != std::string_view::npos) {
    const bool starts = at == 0 || std::isalnum(static_cast<unsigned char>(events[at - 1])) == 0;
    const std::size_t end = at + event.size();
    const bool ends =
        end == events.size() || std::isalnum(static_cast<unsigned char>(events[end])) == 0;
    if (starts && ends) return true;
    at = end;
  }
  return false;
}

}  // namespace

std::string standard_structure_of(const Message& message) {
  const std::string_view code = message.message_code();
  const std::string_view event = message.trigger_event();
  const ConceptMapTable* table = find_concept_map("MessageStructure");
  if (table == nullptr || code.empty() || event.empty()) return {};
  for (const ConceptRow& row : table->rows) {
    if (row.v2_code.size() > code.size() && row.v2_code.substr(0, code.size()) == code &&
        row.v2_code[code.size()] == '_' && lists_event(row.v2_text, event)) {
      return std::string(row.v2_code);
    }
  }
  return {};
}

const MessageMapTable* message_map_for(const Message& message) {
  const std::string by_event =
      std::string(message.message_code()) + "_" + std::string(message.trigger_event());
  if (const MessageMapTable* map = find_message_map(by_event)) return map;
  Result<std::string> declared = message.get_text("MSH-9.3");
  if (declared.is_ok() && !declared->empty()) {
    if (const MessageMapTable* map = find_message_map(*declared)) return map;
  }
  return find_message_map(standard_structure_of(message));
}

Result<std::unique_ptr<StructureNode>> build_structure(const MessageMapTable& map) {
  auto root = std::make_unique<StructureNode>();
  root->name = std::string(map.name);
  root->identifier = std::string(map.name);
  root->group = true;
  std::vector<StructureNode*> open{root.get()};
  std::string previous;
  for (const MessageRow& row : map.rows) {
    const std::string_view syntax = row.syntax;
    std::string_view identifier = row.identifier;
    if (identifier.substr(0, 1) == "/") identifier.remove_prefix(1);
    const bool closes = !has_letter(syntax) && !syntax.empty() &&
                        syntax.find_first_not_of("}]> ") == std::string_view::npos;
    if (closes) {
      if (open.size() < 2) {
        return Status(Code::kInvalidArgument, std::string(map.name) + ": " +
                                                  std::string(row.identifier) +
                                                  " closes a group that is not open");
      }
      open.pop_back();
      previous.clear();
      continue;
    }
    if (identifier == previous || syntax == "|" || syntax.empty()) continue;  // same place again
    previous = std::string(identifier);
    auto node = std::make_unique<StructureNode>();
    node->identifier = std::string(identifier);
    node->optional = syntax.find('[') != std::string_view::npos || open.back()->name == "<";
    node->repeating = syntax.find('{') != std::string_view::npos;
    StructureNode* raw = node.get();
    if (!has_letter(syntax)) {  // a group: "{", "[", "[{", or "<" (a choice of alternatives)
      node->group = true;
      node->name = syntax == "<" ? "<" : last_part(identifier);
      node->optional = node->optional || syntax == "<";
      open.back()->children.push_back(std::move(node));
      open.push_back(raw);
      continue;
    }
    node->name = std::string(row.segment.empty() ? last_part(identifier) : row.segment);
    open.back()->children.push_back(std::move(node));
  }
  return root;
}

std::vector<SegmentPlace> place_segments(const Message& message, const StructureNode& root) {
  std::vector<Place> places;
  std::vector<const StructureNode*> groups;
  flatten(root, groups, places);
  std::map<const StructureNode*, int> occurrence;  // of each group, and of each place's segment
  std::vector<SegmentPlace> out;
  std::ptrdiff_t current = -1;

  // Moves to place `to`, counting a new occurrence of each group it enters (every group from
  // `restart` inward is entered anew, even when the current place is inside it).
  auto move_to = [&](std::size_t to, const StructureNode* restart) {
    const std::vector<const StructureNode*>* before =
        current >= 0 ? &places[static_cast<std::size_t>(current)].groups : nullptr;
    bool anew = false;
    for (const StructureNode* group : places[to].groups) {
      anew = anew || group == restart || before == nullptr ||
             std::find(before->begin(), before->end(), group) == before->end();
      if (anew) ++occurrence[group];
    }
    if (anew || static_cast<std::ptrdiff_t>(to) != current) {
      occurrence[places[to].segment] = 0;
    }
    ++occurrence[places[to].segment];
    current = static_cast<std::ptrdiff_t>(to);
  };

  // Each group's places: [first, last].
  std::map<const StructureNode*, std::pair<std::size_t, std::size_t>> range;
  for (std::size_t j = 0; j < places.size(); ++j) {
    for (const StructureNode* group : places[j].groups) {
      auto [it, inserted] = range.try_emplace(group, j, j);
      it->second.second = j;
    }
  }
  auto find_in = [&](std::string_view id, std::size_t from, std::size_t to) -> std::ptrdiff_t {
    for (std::size_t j = from; j <= to && j < places.size(); ++j) {
      if (places[j].segment->name == id) return static_cast<std::ptrdiff_t>(j);
    }
    return -1;
  };

  for (std::size_t i = 0; i < message.segment_count(); ++i) {
    const std::string_view id = message.segment_id(i);
    std::ptrdiff_t found = -1;
    const StructureNode* restart = nullptr;
    if (current >= 0 && places[static_cast<std::size_t>(current)].segment->name == id &&
        places[static_cast<std::size_t>(current)].segment->repeating) {
      found = current;
    }
    // From the innermost enclosing group outward: a later place in it, else (when it repeats)
    // an earlier place of it in a new occurrence; last, a later place anywhere.
    const std::vector<const StructureNode*> none;
    const auto& enclosing = current >= 0 ? places[static_cast<std::size_t>(current)].groups : none;
    const auto next = static_cast<std::size_t>(current + 1);
    // A segment that begins an enclosing repeating group (OML_O21's ORC, first of ORDER) begins
    // a new occurrence of it rather than enter a group nested further in (the ORC of
    // OBSERVATION_REQUEST.PRIOR_RESULT.ORDER_PRIOR, after an order's SPM): up to that group, a
    // later place only counts when it is in the groups already open.
    const StructureNode* anchor = nullptr;
    for (auto g = enclosing.rbegin(); g != enclosing.rend(); ++g) {
      if ((*g)->repeating && places[range[*g].first].segment->name == id) {
        anchor = *g;
        break;
      }
    }
    auto find_open = [&](std::size_t from, std::size_t to) -> std::ptrdiff_t {
      for (std::ptrdiff_t j = find_in(id, from, to); j >= 0;
           j = find_in(id, static_cast<std::size_t>(j) + 1, to)) {
        const auto& groups = places[static_cast<std::size_t>(j)].groups;
        if (std::all_of(groups.begin(), groups.end(), [&](const StructureNode* group) {
              return std::find(enclosing.begin(), enclosing.end(), group) != enclosing.end();
            })) {
          return j;
        }
      }
      return -1;
    };
    bool inside_anchor = anchor != nullptr;
    for (auto g = enclosing.rbegin(); found < 0 && g != enclosing.rend(); ++g) {
      const auto [first, last] = range[*g];
      found = inside_anchor ? find_open(next, last) : find_in(id, next, last);
      if (*g == anchor) inside_anchor = false;
      if (found < 0 && (*g)->repeating) {
        found = find_in(id, first, static_cast<std::size_t>(current));
        if (found >= 0) restart = *g;
      }
    }
    if (found < 0) found = find_in(id, next, places.size() - 1);
    SegmentPlace place;
    if (found >= 0) {
      const bool same = found == current && restart == nullptr;
      if (same) {
        ++occurrence[places[static_cast<std::size_t>(found)].segment];
      } else {
        move_to(static_cast<std::size_t>(found), restart);
      }
      const Place& p = places[static_cast<std::size_t>(found)];
      place.node = p.segment;
      place.groups = p.groups;
      for (const StructureNode* group : p.groups) place.occurrences.push_back(occurrence[group]);
      place.occurrences.push_back(occurrence[p.segment]);
    }
    out.push_back(std::move(place));
  }
  return out;
}

}  // namespace hearth::hl7::to_fhir
