// ER7 assembly: fields in order, repetitions joined by '~', components by '^', subcomponents by
// '&', trailing empty parts left out at every level.
#include "hl7/to_v2/segment_values.h"

#include <vector>

#include "hl7/v2/escape.h"

namespace hearth::hl7::to_v2 {
namespace {

bool in_bounds(const Position& at) {
  return at.field >= 1 && at.field <= SegmentValues::kMaxField && at.repetition >= 1 &&
         at.repetition <= SegmentValues::kMaxRepetition && at.component >= 1 &&
         at.component <= SegmentValues::kMaxComponent && at.subcomponent >= 1 &&
         at.subcomponent <= SegmentValues::kMaxComponent;
}

// Does `lock` (0 = any at that level) cover `at`?
bool covers(const Position& lock, const Position& at) {
  return lock.field == at.field && lock.repetition == at.repetition &&
         (lock.component == 0 || lock.component == at.component) &&
         (lock.subcomponent == 0 || lock.subcomponent == at.subcomponent);
}

// Joins `parts` (index 0 = position 1) with `sep`, leaving out trailing empty ones.
std::string join(const std::vector<std::string>& parts, char sep) {
  std::size_t n = parts.size();
  while (n > 0 && parts[n - 1].empty()) --n;
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

template <class T>
T& at_index(std::vector<T>& v, int one_based) {
  if (v.size() < static_cast<std::size_t>(one_based)) v.resize(static_cast<std::size_t>(one_based));
  return v[static_cast<std::size_t>(one_based - 1)];
}

}  // namespace

bool SegmentValues::locked(const Position& at) const {
  for (const Position& lock : locks_) {
    if (covers(lock, at)) return true;
  }
  return false;
}

bool SegmentValues::set(const Position& at, std::string_view text) {
  if (text.empty() || !in_bounds(at) || locked(at) || values_.count(at) != 0) return false;
  values_.emplace(at, std::string(text));
  return true;
}

void SegmentValues::put(const Position& at, std::string_view text) {
  if (!in_bounds(at)) return;
  if (text.empty()) {
    values_.erase(at);
  } else {
    values_[at] = std::string(text);
  }
}

void SegmentValues::lock(const Position& at) {
  locks_.insert(at);
}

bool SegmentValues::valued(const Position& at) const {
  for (const auto& [where, text] : values_) {
    if (covers(at, where)) return true;
  }
  return false;
}

std::string SegmentValues::text(const Position& at) const {
  const auto it = values_.find(at);
  return it == values_.end() ? std::string() : it->second;
}

int SegmentValues::repetitions(int field) const {
  int most = 0;
  for (const auto& [where, text] : values_) {
    if (where.field == field && where.repetition > most) most = where.repetition;
  }
  return most;
}

void SegmentValues::copy_repetition(const SegmentValues& from, int field, int from_repetition,
                                    int to_repetition) {
  for (const auto& [where, text] : from.values_) {
    if (where.field != field || where.repetition != from_repetition) continue;
    set(Position{field, to_repetition, where.component, where.subcomponent}, text);
  }
}

std::string SegmentValues::to_er7(const Delimiters& d) const {
  // fields -> repetitions -> components -> subcomponents, escaped text at the leaves.
  std::vector<std::vector<std::vector<std::vector<std::string>>>> tree;
  for (const auto& [at, text] : values_) {
    auto& field = at_index(tree, at.field);
    auto& repetition = at_index(field, at.repetition);
    auto& component = at_index(repetition, at.component);
    at_index(component, at.subcomponent) = encode_value(text, d);
  }
  std::vector<std::string> fields;
  for (auto& field : tree) {
    std::vector<std::string> repetitions;
    for (auto& repetition : field) {
      std::vector<std::string> components;
      for (auto& component : repetition) components.push_back(join(component, d.subcomponent));
      repetitions.push_back(join(components, d.component));
    }
    fields.push_back(join(repetitions, d.repetition));
  }
  std::string out = id_;
  std::size_t n = fields.size();
  while (n > 0 && fields[n - 1].empty()) --n;
  for (std::size_t i = 0; i < n; ++i) {
    out += d.field;
    out += fields[i];
  }
  return out;
}

}  // namespace hearth::hl7::to_v2
