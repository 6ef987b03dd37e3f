// The loop structure of a transaction set under one implementation guide, as data: which loops
// exist, the segment (and qualifier) that starts each, the segments and loops each may hold in
// order, whether each is required and how often it may occur. The tables are written in a small
// text form, one file per transaction set in hl7/x12/tables/, naming the guide; this header reads
// them and finds the one for a transaction set. structure.h walks a transaction's segments
// through its table.
//
// Table text, one row per line, nesting by two spaces of indentation:
//   SEG U MAX                a segment: id, usage R (required) or S (situational), max use
//   LOOP SEG[.N=Q,Q] U MAX Name...   a loop started by SEG (whose element N is one of the
//                            qualifiers Q, when given); its rows follow, indented
//   &LOOP U MAX              a loop defined elsewhere in the same table, held here too
// MAX is a number or `n` (unbounded). `#` starts a comment line.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::hl7::x12 {

struct LoopChild {
  bool is_loop = false;
  std::string_view segment;  // a segment row's id
  std::uint32_t loop = 0;    // a loop row: index into LoopTable::loops
  bool required = false;
  std::uint32_t max_use = 1;  // 0: unbounded
};

struct LoopDef {
  std::string_view id;        // "2010AA"; the root (the transaction set) has ""
  std::string_view name;      // "Billing Provider Name"
  std::string_view trigger;   // the segment that starts it ("NM1"); the root: "ST"
  int qualifier_element = 0;  // 0: the trigger's id alone starts the loop
  std::vector<std::string_view> qualifiers;
  // In order; children[0] is the trigger segment itself.
  std::vector<LoopChild> children;
};

struct LoopTable {
  std::string_view set_id;     // ST01: "837"
  std::string_view guide;      // "005010X222A1"
  std::string_view title;      // "Health Care Claim: Professional"
  std::vector<LoopDef> loops;  // loops[0] is the root
  // True when `segment_id` appears anywhere in the table (to tell IK304 2 from 6).
  bool knows_segment(std::string_view segment_id) const;
};

// Reads a table's text. Fails with kInvalidArgument naming the line on a malformed row, an
// indentation that skips a level, or an `&` reference to a loop that is not defined.
Result<LoopTable> parse_loop_table(std::string_view set_id, std::string_view guide,
                                   std::string_view title, std::string_view text);

// The table for a transaction set (ST01) under an implementation convention (ST03, else GS08):
// the guide's base id is matched ("005010X222A1" and "005010X222" both find 837P). nullptr when
// Hearth has no table for it. The tables are read once, on first use (thread-safe).
const LoopTable* find_loop_table(std::string_view set_id, std::string_view convention);

// Every built-in table (for tests and documentation).
const std::vector<const LoopTable*>& loop_tables();

}  // namespace hearth::hl7::x12
