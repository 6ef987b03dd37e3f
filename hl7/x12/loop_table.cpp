// Reading the loop-table text and the registry of built-in tables.
#include "hl7/x12/loop_table.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12 {

namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

// "R1", "Sn", "R10" -> required, max use (0 = unbounded).
bool parse_usage(std::string_view usage, std::string_view max, bool* required,
                 std::uint32_t* max_use) {
  if (usage != "R" && usage != "S") return false;
  *required = usage == "R";
  if (max == "n") {
    *max_use = 0;
    return true;
  }
  if (max.empty() || max.size() > 6) return false;
  std::uint32_t value = 0;
  for (char c : max) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (value == 0) return false;
  *max_use = value;
  return true;
}

Status row_error(std::string_view guide, int line, std::string_view why) {
  return Status(Code::kInvalidArgument, "loop table " + std::string(guide) + " line " +
                                            std::to_string(line) + ": " + std::string(why));
}

}  // namespace

bool LoopTable::knows_segment(std::string_view segment_id) const {
  for (const auto& loop : loops) {
    for (const auto& child : loop.children) {
      if (!child.is_loop && child.segment == segment_id) return true;
    }
  }
  return false;
}

Result<LoopTable> parse_loop_table(std::string_view set_id, std::string_view guide,
                                   std::string_view title, std::string_view text) {
  LoopTable table;
  table.set_id = set_id;
  table.guide = guide;
  table.title = title;
  table.loops.push_back(LoopDef{"", title, "ST", 0, {}, {}});
  // open[d] = the loop whose rows sit at indentation depth d.
  std::vector<std::uint32_t> open{0};
  struct Reference {
    std::uint32_t parent;
    std::size_t child;
    std::string_view loop_id;
    int line;
  };
  std::vector<Reference> references;
  int line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_number;
    std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos || line[indent] == '#') continue;
    if (indent % 2 != 0) return row_error(guide, line_number, "odd indentation");
    const std::size_t depth = indent / 2;
    if (depth >= open.size()) return row_error(guide, line_number, "indentation skips a level");
    open.resize(depth + 1);
    const std::uint32_t parent = open[depth];
    auto words = split_words(line);
    LoopChild child;
    if (words[0][0] == '&') {
      if (words.size() != 3) return row_error(guide, line_number, "expected &LOOP USAGE MAX");
      if (!parse_usage(words[1], words[2], &child.required, &child.max_use)) {
        return row_error(guide, line_number, "bad usage or max");
      }
      child.is_loop = true;
      references.push_back(
          Reference{parent, table.loops[parent].children.size(), words[0].substr(1), line_number});
      table.loops[parent].children.push_back(child);
      continue;
    }
    if (words.size() == 3 && words[0].size() <= 3) {
      if (!parse_usage(words[1], words[2], &child.required, &child.max_use)) {
        return row_error(guide, line_number, "bad usage or max");
      }
      child.segment = words[0];
      table.loops[parent].children.push_back(child);
      continue;
    }
    if (words.size() < 4) return row_error(guide, line_number, "expected LOOP SEG USAGE MAX Name");
    LoopDef loop;
    loop.id = words[0];
    std::string_view trigger = words[1];
    const std::size_t dot = trigger.find('.');
    if (dot != std::string_view::npos) {
      const std::size_t eq = trigger.find('=', dot);
      if (eq == std::string_view::npos || eq != dot + 2 || trigger[dot + 1] < '1' ||
          trigger[dot + 1] > '9') {
        return row_error(guide, line_number, "qualifier must read SEG.N=CODE,CODE");
      }
      loop.qualifier_element = trigger[dot + 1] - '0';
      std::string_view codes = trigger.substr(eq + 1);
      std::size_t start = 0;
      while (start <= codes.size()) {
        std::size_t comma = codes.find(',', start);
        if (comma == std::string_view::npos) comma = codes.size();
        if (comma == start) return row_error(guide, line_number, "empty qualifier");
        loop.qualifiers.push_back(codes.substr(start, comma - start));
        start = comma + 1;
      }
      trigger = trigger.substr(0, dot);
    }
    loop.trigger = trigger;
    if (!parse_usage(words[2], words[3], &child.required, &child.max_use)) {
      return row_error(guide, line_number, "bad usage or max");
    }
    std::string_view name = line.substr(words[3].data() + words[3].size() - line.data());
    const std::size_t name_start = name.find_first_not_of(' ');
    loop.name = name_start == std::string_view::npos ? "" : name.substr(name_start);
    loop.children.push_back(LoopChild{false, trigger, 0, true, 1});
    child.is_loop = true;
    child.loop = static_cast<std::uint32_t>(table.loops.size());
    table.loops[parent].children.push_back(child);
    open.push_back(child.loop);
    table.loops.push_back(std::move(loop));
  }
  for (const auto& ref : references) {
    auto it = std::find_if(table.loops.begin(), table.loops.end(),
                           [&](const LoopDef& l) { return l.id == ref.loop_id; });
    if (it == table.loops.end()) return row_error(guide, ref.line, "unknown loop reference");
    table.loops[ref.parent].children[ref.child].loop =
        static_cast<std::uint32_t>(it - table.loops.begin());
  }
  return table;
}

namespace {

const std::vector<LoopTable>& built_in() {
  static const std::vector<LoopTable> tables = [] {
    std::vector<LoopTable> out;
    for (const tables::TableSource* source :
         {&tables::k837Professional, &tables::k837Institutional, &tables::k837Dental, &tables::k835,
          &tables::k270, &tables::k271, &tables::k276, &tables::k277, &tables::k834}) {
      auto table = parse_loop_table(source->set_id, source->guide, source->title, source->text);
      // The tables are our own data, compiled in; loop_table_test proves each one reads.
      assert(table.is_ok());
      if (table.is_ok()) out.push_back(std::move(*table));
    }
    return out;
  }();
  return tables;
}

// "005010X222A1" -> "005010X222": the guide without its addenda suffix.
std::string_view base_guide(std::string_view guide) {
  if (guide.size() >= 10 && guide[6] == 'X') {
    std::size_t end = 7;
    while (end < guide.size() && guide[end] >= '0' && guide[end] <= '9') ++end;
    return guide.substr(0, end);
  }
  return guide;
}

}  // namespace

const std::vector<const LoopTable*>& loop_tables() {
  static const std::vector<const LoopTable*> pointers = [] {
    std::vector<const LoopTable*> out;
    for (const auto& table : built_in()) out.push_back(&table);
    return out;
  }();
  return pointers;
}

const LoopTable* find_loop_table(std::string_view set_id, std::string_view convention) {
  const std::string_view wanted = base_guide(convention);
  for (const LoopTable* table : loop_tables()) {
    if (table->set_id == set_id && base_guide(table->guide) == wanted) return table;
  }
  return nullptr;
}

}  // namespace hearth::hl7::x12
