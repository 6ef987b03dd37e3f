// One v2 segment being built from values: field -> repetition -> component -> subcomponent, each
// a plain text, written as ER7 with every delimiter escaped (hl7/v2/escape.h). What the reverse
// maps (reverse_map.h) write into, and what the message renderer turns into text.
//
// Positions are 1-based as v2 writes them (PID-5[1].2 = field 5, repetition 1, component 2). A
// position already written keeps its first value (the maps' rows are alternatives, the first
// wins), and a position can be locked empty (a row that applies only when it is not valued).
// Bounds: fields up to kMaxField, repetitions up to kMaxRepetition, components and
// subcomponents up to kMaxComponent; writes beyond are refused (false), never a crash.
//
// Thread-safety: none; a value type.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "hl7/v2/delimiters.h"

namespace hearth::hl7::to_v2 {

struct Position {
  int field = 0;
  int repetition = 1;
  int component = 1;
  int subcomponent = 1;
  friend bool operator<(const Position& a, const Position& b) {
    return std::tie(a.field, a.repetition, a.component, a.subcomponent) <
           std::tie(b.field, b.repetition, b.component, b.subcomponent);
  }
  friend bool operator==(const Position& a, const Position& b) = default;
};

class SegmentValues {
 public:
  static constexpr int kMaxField = 100;
  static constexpr int kMaxRepetition = 50;
  static constexpr int kMaxComponent = 30;

  explicit SegmentValues(std::string id) : id_(std::move(id)) {}

  const std::string& id() const { return id_; }
  // Writes `text` at `at` unless something is there, or the place is locked or out of bounds
  // (false). An empty text writes nothing.
  bool set(const Position& at, std::string_view text);
  // Overwrites (the renderer's own fields: OBX-1, MSH-10).
  void put(const Position& at, std::string_view text);
  // Keeps `at` (and everything under it: a whole field when component is 0) empty from now on.
  void lock(const Position& at);
  // True when something is written at `at` or under it (component / subcomponent 0: any).
  bool valued(const Position& at) const;
  // The text at `at` ("" when none).
  std::string text(const Position& at) const;
  // How many places hold a value.
  std::size_t size() const { return values_.size(); }
  // The highest repetition of `field` written (0 when none).
  int repetitions(int field) const;
  // Writes every value of `from`'s `field` repetition `from_repetition` into this segment's
  // `field` repetition `to_repetition` (as set(): places already written keep theirs).
  void copy_repetition(const SegmentValues& from, int field, int from_repetition,
                       int to_repetition);

  // The segment as ER7 without its terminator: "PID|1||123^^^A^MR...". Not for MSH, whose first
  // fields are the delimiters (the renderer writes MSH itself).
  std::string to_er7(const Delimiters& d) const;

 private:
  bool locked(const Position& at) const;
  std::string id_;
  std::map<Position, std::string> values_;
  std::set<Position> locks_;  // component / subcomponent 0 = the whole level
};

}  // namespace hearth::hl7::to_v2
