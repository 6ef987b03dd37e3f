// The loop walker. Open loops form a stack; each level keeps its current row and a use count per
// row, stored in one flat vector so a loop occurrence costs no allocation of its own.
#include "hl7/x12/structure.h"

#include <string>

#include "hl7/x12/scanner.h"

namespace hearth::hl7::x12::detail {

namespace {

struct OpenLoop {
  std::uint32_t def;       // index into table.loops
  std::uint32_t node;      // index into transaction.loops
  std::uint32_t position;  // current row
  std::uint32_t counts;    // offset of this level's row counts in Walker::counts
};

struct Match {
  std::size_t level = 0;
  std::uint32_t row = 0;
  bool out_of_order = false;
  bool over_max = false;
};

class Walker {
 public:
  Walker(const Document& doc, const LoopTable& table, std::uint32_t header, const Finding& context,
         Transaction& transaction, std::vector<const LoopDef*>& segment_loops,
         std::vector<Finding>& findings)
      : doc_(doc),
        table_(table),
        header_(header),
        context_(context),
        transaction_(transaction),
        segment_loops_(segment_loops),
        findings_(findings) {}

  void run(std::uint32_t last, bool has_trailer) {
    open_loop(0, kNone, header_);
    counts_[stack_[0].counts] = 1;  // ST
    last_seen_ = header_;
    const std::uint32_t data_end = has_trailer ? last : last + 1;
    for (std::uint32_t s = header_ + 1; s < data_end; ++s) step(s);
    if (has_trailer) {
      segment_loops_[last] = &table_.loops[0];
      // SE counts as the root's last row.
      const LoopDef& root = table_.loops[0];
      for (std::uint32_t r = 0; r < root.children.size(); ++r) {
        if (!root.children[r].is_loop && root.children[r].segment == "SE") {
          counts_[stack_[0].counts + r] = 1;
        }
      }
    }
    while (stack_.size() > 1) close_top(last_seen_);
    close_top(has_trailer ? last : last_seen_);
  }

 private:
  std::uint32_t position_of(std::uint32_t segment) const { return segment - header_ + 1; }

  void open_loop(std::uint32_t def, std::uint32_t parent_node, std::uint32_t segment) {
    const auto node = static_cast<std::uint32_t>(transaction_.loops.size());
    transaction_.loops.push_back(LoopNode{&table_.loops[def], parent_node, segment, segment});
    const auto offset = static_cast<std::uint32_t>(counts_.size());
    counts_.resize(counts_.size() + table_.loops[def].children.size(), 0);
    counts_[offset] = 1;  // the trigger segment
    stack_.push_back(OpenLoop{def, node, 0, offset});
  }

  // Closes the innermost loop, reporting its missing required rows.
  void close_top(std::uint32_t last_segment) {
    const OpenLoop level = stack_.back();
    const LoopDef& def = table_.loops[level.def];
    transaction_.loops[level.node].last_segment = last_segment;
    for (std::uint32_t r = 1; r < def.children.size(); ++r) {
      const LoopChild& child = def.children[r];
      if (!child.required || counts_[level.counts + r] != 0) continue;
      if (!child.is_loop && child.segment == "SE") continue;  // the envelope reports a missing SE
      Finding f = context_;
      f.level = x12::Level::kSegment;
      f.code = ik3::kRequiredMissing;
      f.position = position_of(last_seen_);
      if (child.is_loop) {
        const LoopDef& missing = table_.loops[child.loop];
        f.segment_id = std::string(missing.trigger);
        f.loop_id = std::string(missing.id);
        f.message = "required loop " + std::string(missing.id) + " (" + std::string(missing.name) +
                    ") is missing";
      } else {
        f.segment_id = std::string(child.segment);
        f.loop_id = std::string(def.id);
        f.message = "required segment " + std::string(child.segment) + " is missing" +
                    (def.id.empty() ? std::string() : " in loop " + std::string(def.id));
      }
      findings_.push_back(std::move(f));
    }
    counts_.resize(level.counts);
    stack_.pop_back();
  }

  bool trigger_matches(const LoopDef& loop, std::uint32_t segment) const {
    if (loop.qualifier_element == 0) return true;
    const std::string_view value = doc_.element(segment, loop.qualifier_element);
    for (std::string_view q : loop.qualifiers) {
      if (q == value) return true;
    }
    return false;
  }

  // Searches level `l` for `id` in rows [from, to); a segment row already at its maximum is kept
  // as a fallback while later rows are tried.
  bool search_level(std::size_t l, std::string_view id, std::uint32_t segment, std::uint32_t from,
                    std::uint32_t to, Match* out) const {
    const OpenLoop& level = stack_[l];
    const LoopDef& def = table_.loops[level.def];
    bool have_fallback = false;
    Match fallback;
    for (std::uint32_t r = from < 1 ? 1 : from; r < to && r < def.children.size(); ++r) {
      const LoopChild& child = def.children[r];
      if (child.is_loop) {
        const LoopDef& loop = table_.loops[child.loop];
        if (loop.trigger != id || !trigger_matches(loop, segment)) continue;
      } else if (child.segment != id) {
        continue;
      }
      const bool full = child.max_use != 0 && counts_[level.counts + r] >= child.max_use;
      if (!full) {
        *out = Match{l, r, false, false};
        return true;
      }
      if (!have_fallback) {
        fallback = Match{l, r, false, true};
        have_fallback = true;
      }
    }
    if (have_fallback) *out = fallback;
    return have_fallback;
  }

  // True when `id` starts some loop reachable from the open ones, whatever its qualifier: the
  // qualifier element of the first such loop goes to *element.
  bool is_reachable_trigger(std::string_view id, int* element) const {
    for (std::size_t l = stack_.size(); l-- > 0;) {
      for (const LoopChild& child : table_.loops[stack_[l].def].children) {
        if (!child.is_loop) continue;
        const LoopDef& loop = table_.loops[child.loop];
        if (loop.trigger == id && loop.qualifier_element != 0) {
          *element = loop.qualifier_element;
          return true;
        }
      }
    }
    return false;
  }

  void segment_finding(std::uint32_t segment, std::string_view code, std::string message) {
    Finding f = context_;
    f.level = x12::Level::kSegment;
    f.code = code;
    f.segment = segment;
    f.position = position_of(segment);
    f.segment_id = std::string(doc_.segment_id(segment).substr(0, 3));
    f.loop_id = std::string(table_.loops[stack_.back().def].id);
    f.message = std::move(message);
    findings_.push_back(std::move(f));
  }

  void step(std::uint32_t s) {
    const std::string_view id = doc_.segment_id(s);
    if (!valid_segment_id(id)) {
      segment_loops_[s] = &table_.loops[stack_.back().def];
      segment_finding(s, ik3::kUnrecognizedId,
                      "segment " + std::to_string(position_of(s)) + " has no valid segment id");
      last_seen_ = s;
      return;
    }
    Match match;
    bool found = false;
    for (std::size_t l = stack_.size(); l-- > 0 && !found;) {
      found = search_level(l, id, s, stack_[l].position, UINT32_MAX, &match);
    }
    for (std::size_t l = stack_.size(); l-- > 0 && !found;) {
      found = search_level(l, id, s, 1, stack_[l].position, &match);
      if (found) match.out_of_order = true;
    }
    if (!found) {
      int element = 0;
      const std::string sid(id);
      if (is_reachable_trigger(id, &element)) {
        segment_finding(s, ik3::kElementErrors,
                        sid + " qualifier in element " + std::to_string(element) +
                            " starts no loop allowed here");
        Finding f = findings_.back();
        f.level = x12::Level::kElement;
        f.code = ik4::kInvalidCode;
        f.element = element;
        f.bad_value = std::string(doc_.element(s, element).substr(0, 99));
        f.message = sid + std::to_string(element) + " is not a qualifier this loop accepts";
        findings_.push_back(std::move(f));
      } else if (table_.knows_segment(id)) {
        segment_finding(s, ik3::kUnexpected, "segment " + sid + " is not expected here");
      } else {
        segment_finding(s, ik3::kNotInTransactionSet,
                        "segment " + sid + " is not in transaction set " +
                            std::string(table_.set_id) + " (" + std::string(table_.guide) + ")");
      }
      segment_loops_[s] = &table_.loops[stack_.back().def];
      last_seen_ = s;
      return;
    }
    while (stack_.size() > match.level + 1) close_top(last_seen_);
    OpenLoop& level = stack_.back();
    const LoopChild& child = table_.loops[level.def].children[match.row];
    std::uint32_t& count = counts_[level.counts + match.row];
    ++count;
    if (!match.out_of_order) level.position = match.row;
    if (child.is_loop) {
      const LoopDef& loop = table_.loops[child.loop];
      const std::uint32_t parent_node = level.node;
      open_loop(child.loop, parent_node, s);
      segment_loops_[s] = &loop;
      if (match.over_max) {
        segment_finding(s, ik3::kLoopOverMaximum,
                        "loop " + std::string(loop.id) + " occurs more than " +
                            std::to_string(child.max_use) + " times");
      }
    } else {
      segment_loops_[s] = &table_.loops[level.def];
      if (match.over_max) {
        segment_finding(s, ik3::kSegmentOverMaximum,
                        "segment " + std::string(id) + " occurs more than " +
                            std::to_string(child.max_use) + " times");
      }
    }
    if (match.out_of_order) {
      segment_finding(s, ik3::kOutOfSequence, "segment " + std::string(id) + " is out of sequence");
    }
    last_seen_ = s;
  }

  const Document& doc_;
  const LoopTable& table_;
  std::uint32_t header_;
  const Finding& context_;
  Transaction& transaction_;
  std::vector<const LoopDef*>& segment_loops_;
  std::vector<Finding>& findings_;
  std::vector<OpenLoop> stack_;
  std::vector<std::uint32_t> counts_;
  std::uint32_t last_seen_ = 0;
};

}  // namespace

void check_structure(const Document& document, const LoopTable& table, std::uint32_t header,
                     std::uint32_t last, bool has_trailer, const Finding& context,
                     Transaction& transaction, std::vector<const LoopDef*>& segment_loops,
                     std::vector<Finding>& findings) {
  Walker walker(document, table, header, context, transaction, segment_loops, findings);
  segment_loops[header] = &table.loops[0];
  walker.run(last, has_trailer);
}

}  // namespace hearth::hl7::x12::detail
