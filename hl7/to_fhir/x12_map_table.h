// The X12 -> FHIR maps as data: one table per transaction set and guide (x12_maps/), written in a
// small text form and read here; x12_mapper.h applies them. One row per line, `#` comments:
//
//   resource KEY TYPE LOOP MODE [SEG[COND]]
//                                  one KEY resource per occurrence of LOOP ("2300"; "HDR" for
//                                  the transaction set itself; "2000C|2000D" either); MODE says
//                                  how its Bundle entry writes it: `update` (PUT
//                                  Type?identifier=, the first identifier with system and
//                                  value), `ifnone` (POST with ifNoneExist on that identifier),
//                                  `create` (POST); with SEG[COND], only the occurrences whose
//                                  own first SEG satisfies COND ("INS[1=N]": dependents)
//   value KEY LOOP/SEG[COND] ELEM PATH [CONV]
//                                  element ELEM ("9", "1.2" its component 2, "1-12.2" the
//                                  component 2 of elements 1 to 12, each its own instance) of
//                                  every SEG in LOOP whose COND holds ("1=472;2=RD8": element 1
//                                  is 472 and element 2 is RD8; "1.1=ABK,BK": one of the codes;
//                                  "1-12.1?2": component 1 of the elements whose component 2 is
//                                  present; "*.1=BBR": component 1 of the element being read,
//                                  for a range)
//                                  goes to PATH of the KEY resource that segment belongs to;
//                                  LOOP may list alternatives ("2110C|2110D/EB")
//   const KEY PATH VALUE           VALUE at PATH of every KEY resource
//   default KEY PATH VALUE         VALUE at PATH of every KEY resource that has none there
//                                  after the value rows (an outcome no code table gave)
//   ref KEY PATH KEY2[|KEY3...]    PATH of each KEY resource references the nearest KEY2 (else
//                                  KEY3...) resource (nearest: see x12_mapper.h)
//   copy KEY PATH KEY2 PATH2 PREFIX
//                                  PREFIX + the value at PATH2 of the nearest KEY2 resource, when
//                                  the element holding PATH's last step exists (a system for an
//                                  identifier a value row wrote)
//   lookup NAME CODE=TEXT...       a code table for CONV lookup:NAME
//
// PATH is FHIR JSON element names joined by '.', each optionally with an instance: [n] a fixed
// one, [#] one per element of a range in a segment (in document order), [$] one per segment
// (the segments of one kind in a loop: CAS adjustments), [@LOOP] one per
// occurrence of LOOP (service lines: item[@2400]; [@2110C|2110D] either loop). CONV: date (CCYYMMDD
// -> YYYY-MM-DD), period-start / period-end (RD8 CCYYMMDD-CCYYMMDD), decimal (X12 R -> FHIR
// decimal), pos (the 1-based position of the path's last repeated instance, e.g. a sequence
// number), const:TEXT (TEXT when the element is present), prefix:TEXT (TEXT + the value),
// lookup:NAME (TEXT of the element's CODE; no row when the code is not in the table).
//
// Thread-safety: tables are parsed once and immutable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::hl7::to_fhir {

enum class X12EntryMode { kUpdate, kIfNoneExist, kCreate };

struct X12PathStep {
  enum class Instance { kNone, kFixed, kElement, kSegment, kLoop };
  std::string name;
  Instance instance = Instance::kNone;
  int fixed = 0;                   // kFixed
  std::vector<std::string> loops;  // kLoop: its alternatives
};

struct X12Condition {
  int element = 0;    // 0: the element being read (a range row's current element)
  int component = 0;  // 0: the whole element
  std::vector<std::string> values;
};

enum class X12Conversion {
  kNone,
  kDate,
  kPeriodStart,
  kPeriodEnd,
  kDecimal,
  kPosition,
  kConst,
  kPrefix,
  kLookup
};

struct X12ResourceDecl {
  std::string key, type;
  std::vector<std::string> loops;  // alternatives
  X12EntryMode mode = X12EntryMode::kCreate;
  std::string when_segment;  // "": every occurrence; else its first such segment must satisfy
  std::vector<X12Condition> when;
};

// Whether `loop` is one of `alternatives`.
bool x12_loop_in(const std::vector<std::string>& alternatives, std::string_view loop);

struct X12Row {
  enum class Kind { kValue, kConst, kRef, kCopy };
  Kind kind = Kind::kValue;
  bool if_absent = false;  // kConst from a `default` row
  std::string key;
  std::vector<X12PathStep> path;
  // kValue
  std::vector<std::string> loops;  // alternatives
  std::string segment;
  std::vector<X12Condition> conditions;
  int element_from = 0, element_to = 0, component = 0;
  int required_component = 0;  // "1-12.1?2": only elements whose component 2 is present
  X12Conversion conversion = X12Conversion::kNone;
  std::string argument;  // kConst: the value; kConst/kPrefix conversion: its text; kLookup: table
  // kRef: targets in order of preference; kCopy: targets[0] and its path, `argument` the prefix
  std::vector<std::string> targets;
  std::vector<X12PathStep> source_path;
};

struct X12Lookup {
  std::string name;
  std::vector<std::pair<std::string, std::string>> entries;
  const std::string* find(std::string_view code) const;
};

struct X12MapTable {
  std::string set_id, guide;  // "837", "005010X222A1"
  std::vector<X12ResourceDecl> resources;
  std::vector<X12Row> rows;
  std::vector<X12Lookup> lookups;
  const X12ResourceDecl* resource(std::string_view key) const;
  const X12Lookup* lookup(std::string_view name) const;
};

// Reads a table (its text may come in parts: shared rows, then the set's own; line numbers
// count across them). kInvalidArgument naming the line for a malformed row, an unknown KEY or
// lookup.
Result<X12MapTable> parse_x12_map_table(std::string_view set_id, std::string_view guide,
                                        std::string_view text);

// The map for a transaction set (ST01) under its guide (ST03 or GS08; the base id is matched:
// "005010X222" finds 005010X222A1). nullptr when there is none. Built once (thread-safe).
const X12MapTable* find_x12_map(std::string_view set_id, std::string_view convention);

// Every built-in map (for tests and documentation).
const std::vector<const X12MapTable*>& x12_maps();

}  // namespace hearth::hl7::to_fhir
