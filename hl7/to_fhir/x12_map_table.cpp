// Reading the X12 map tables' text (row format in the header).
#include "hl7/to_fhir/x12_map_table.h"

#include <algorithm>
#include <charconv>

#include "hl7/to_fhir/x12_maps/map_source.h"

namespace hearth::hl7::to_fhir {
namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string_view> split(std::string_view text, char by) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t at = text.find(by, start);
    out.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

bool number(std::string_view text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out > 0;
}

// "3" or "3.2": element and component.
bool element_ref(std::string_view text, int& element, int& component) {
  component = 0;
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return number(text, element);
  return number(text.substr(0, dot), element) && number(text.substr(dot + 1), component);
}

bool parse_path(std::string_view text, std::vector<X12PathStep>& out) {
  for (std::string_view part : split(text, '.')) {
    X12PathStep step;
    const std::size_t open = part.find('[');
    step.name = std::string(part.substr(0, open));
    if (step.name.empty()) return false;
    if (open != std::string_view::npos) {
      if (!part.ends_with(']')) return false;
      const std::string_view spec = part.substr(open + 1, part.size() - open - 2);
      if (spec == "#") {
        step.instance = X12PathStep::Instance::kElement;
      } else if (spec == "$") {
        step.instance = X12PathStep::Instance::kSegment;
      } else if (spec.starts_with('@') && spec.size() > 1) {
        step.instance = X12PathStep::Instance::kLoop;
        for (std::string_view l : split(spec.substr(1), '|')) step.loops.emplace_back(l);
      } else if (number(spec, step.fixed)) {
        step.instance = X12PathStep::Instance::kFixed;
      } else {
        return false;
      }
    }
    out.push_back(std::move(step));
  }
  return !out.empty();
}

// "HI[1.1=ABK,BK;2=X]"
bool parse_segment(std::string_view seg, std::string& segment,
                   std::vector<X12Condition>& conditions) {
  const std::size_t open = seg.find('[');
  segment = std::string(seg.substr(0, open));
  if (segment.empty()) return false;
  if (open == std::string_view::npos) return true;
  if (!seg.ends_with(']')) return false;
  for (std::string_view cond : split(seg.substr(open + 1, seg.size() - open - 2), ';')) {
    const std::size_t eq = cond.find('=');
    if (eq == std::string_view::npos) return false;
    X12Condition c;
    std::string_view where = cond.substr(0, eq);
    if (where.starts_with("*.")) {
      if (!number(where.substr(2), c.component)) return false;  // c.element 0: the current one
    } else if (!element_ref(where, c.element, c.component)) {
      return false;
    }
    for (std::string_view v : split(cond.substr(eq + 1), ',')) c.values.emplace_back(v);
    conditions.push_back(std::move(c));
  }
  return true;
}

// "2300|2310/HI[1.1=ABK,BK;2=X]"
bool parse_source(std::string_view text, X12Row& row) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  for (std::string_view l : split(text.substr(0, slash), '|')) {
    if (l.empty()) return false;
    row.loops.emplace_back(l);
  }
  return parse_segment(text.substr(slash + 1), row.segment, row.conditions);
}

// "9", "1.2", "1-12.2", "1-12.1?2"
bool parse_elements(std::string_view text, X12Row& row) {
  if (const std::size_t q = text.find('?'); q != std::string_view::npos) {
    if (!number(text.substr(q + 1), row.required_component)) return false;
    text = text.substr(0, q);
  }
  const std::size_t dot = text.find('.');
  std::string_view range = text.substr(0, dot);
  if (dot != std::string_view::npos && !number(text.substr(dot + 1), row.component)) return false;
  const std::size_t dash = range.find('-');
  if (dash == std::string_view::npos) {
    if (!number(range, row.element_from)) return false;
    row.element_to = row.element_from;
    return true;
  }
  return number(range.substr(0, dash), row.element_from) &&
         number(range.substr(dash + 1), row.element_to) && row.element_to >= row.element_from;
}

bool parse_conversion(std::string_view text, X12Row& row) {
  if (text == "date") {
    row.conversion = X12Conversion::kDate;
  } else if (text == "period-start") {
    row.conversion = X12Conversion::kPeriodStart;
  } else if (text == "period-end") {
    row.conversion = X12Conversion::kPeriodEnd;
  } else if (text == "decimal") {
    row.conversion = X12Conversion::kDecimal;
  } else if (text == "pos") {
    row.conversion = X12Conversion::kPosition;
  } else if (text.starts_with("const:")) {
    row.conversion = X12Conversion::kConst;
    row.argument = std::string(text.substr(6));
  } else if (text.starts_with("prefix:")) {
    row.conversion = X12Conversion::kPrefix;
    row.argument = std::string(text.substr(7));
  } else if (text.starts_with("lookup:")) {
    row.conversion = X12Conversion::kLookup;
    row.argument = std::string(text.substr(7));
  } else {
    return false;
  }
  return true;
}

Status bad(std::size_t line, std::string_view set_id, std::string what) {
  return Status(Code::kInvalidArgument, "X12 map " + std::string(set_id) + " line " +
                                            std::to_string(line) + ": " + std::move(what));
}

}  // namespace

bool x12_loop_in(const std::vector<std::string>& alternatives, std::string_view loop) {
  for (const std::string& a : alternatives) {
    if (a == loop) return true;
  }
  return false;
}

const std::string* X12Lookup::find(std::string_view code) const {
  for (const auto& [k, v] : entries) {
    if (k == code) return &v;
  }
  return nullptr;
}

const X12ResourceDecl* X12MapTable::resource(std::string_view key) const {
  for (const X12ResourceDecl& r : resources) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

const X12Lookup* X12MapTable::lookup(std::string_view name) const {
  for (const X12Lookup& l : lookups) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

Result<X12MapTable> parse_x12_map_table(std::string_view set_id, std::string_view guide,
                                        std::string_view text) {
  X12MapTable table;
  table.set_id = std::string(set_id);
  table.guide = std::string(guide);
  std::size_t line_number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_number;
    const std::vector<std::string_view> w = words(line);
    if (w.empty() || w[0].starts_with('#')) continue;
    const std::string_view kind = w[0];
    if (kind == "resource") {
      X12ResourceDecl r;
      r.key = std::string(w.size() > 1 ? w[1] : "");
      r.type = std::string(w.size() > 2 ? w[2] : "");
      if (w.size() == 6) {
        const bool ok = parse_segment(w[5], r.when_segment, r.when) &&
                        std::all_of(r.when.begin(), r.when.end(),
                                    [](const X12Condition& c) { return c.element > 0; });
        if (!ok) return bad(line_number, set_id, "resource condition SEG[COND]");
      }
      if (w.size() != 5 && w.size() != 6) {
        return bad(line_number, set_id, "resource KEY TYPE LOOP MODE [SEG[COND]]");
      }
      for (std::string_view l : split(w[3], '|')) r.loops.emplace_back(l);
      if (w[4] == "update") {
        r.mode = X12EntryMode::kUpdate;
      } else if (w[4] == "ifnone") {
        r.mode = X12EntryMode::kIfNoneExist;
      } else if (w[4] != "create") {
        return bad(line_number, set_id, "unknown mode '" + std::string(w[4]) + "'");
      }
      table.resources.push_back(std::move(r));
      continue;
    }
    if (kind == "lookup") {
      X12Lookup l{std::string(w.size() > 1 ? w[1] : ""), {}};
      for (std::size_t i = 2; i < w.size(); ++i) {
        const std::size_t eq = w[i].find('=');
        if (eq == std::string_view::npos) return bad(line_number, set_id, "lookup CODE=TEXT");
        l.entries.emplace_back(std::string(w[i].substr(0, eq)), std::string(w[i].substr(eq + 1)));
      }
      if (l.name.empty() || l.entries.empty()) return bad(line_number, set_id, "empty lookup");
      table.lookups.push_back(std::move(l));
      continue;
    }
    X12Row row;
    if (w.size() < 2 || table.resource(w[1]) == nullptr) {
      return bad(line_number, set_id, "unknown resource key");
    }
    row.key = std::string(w[1]);
    if (kind == "value") {
      row.kind = X12Row::Kind::kValue;
      if (w.size() < 5 || w.size() > 6 || !parse_source(w[2], row) || !parse_elements(w[3], row) ||
          !parse_path(w[4], row.path) || (w.size() == 6 && !parse_conversion(w[5], row))) {
        return bad(line_number, set_id, "value KEY LOOP/SEG[COND] ELEM PATH [CONV]");
      }
      if (row.conversion == X12Conversion::kLookup && table.lookup(row.argument) == nullptr) {
        return bad(line_number, set_id, "unknown lookup '" + row.argument + "'");
      }
    } else if (kind == "const" || kind == "default") {
      row.kind = X12Row::Kind::kConst;
      row.if_absent = kind == "default";
      if (w.size() != 4 || !parse_path(w[2], row.path)) {
        return bad(line_number, set_id, std::string(kind) + " KEY PATH VALUE");
      }
      row.argument = std::string(w[3]);
    } else if (kind == "ref") {
      row.kind = X12Row::Kind::kRef;
      if (w.size() != 4 || !parse_path(w[2], row.path)) {
        return bad(line_number, set_id, "ref KEY PATH KEY2[|KEY3]");
      }
      for (std::string_view t : split(w[3], '|')) row.targets.emplace_back(t);
    } else if (kind == "copy") {
      row.kind = X12Row::Kind::kCopy;
      if (w.size() != 6 || !parse_path(w[2], row.path) || !parse_path(w[4], row.source_path)) {
        return bad(line_number, set_id, "copy KEY PATH KEY2 PATH2 PREFIX");
      }
      row.targets.emplace_back(w[3]);
      row.argument = std::string(w[5]);
    } else {
      return bad(line_number, set_id, "unknown row kind '" + std::string(kind) + "'");
    }
    for (const std::string& t : row.targets) {
      if (table.resource(t) == nullptr) return bad(line_number, set_id, "unknown key '" + t + "'");
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

const std::vector<const X12MapTable*>& x12_maps() {
  static const std::vector<X12MapTable> tables = [] {
    std::vector<X12MapTable> out;
    for (const x12_map_sources::MapSource* source : x12_map_sources::kAll) {
      std::string text(source->shared);
      text += source->text;
      Result<X12MapTable> table = parse_x12_map_table(source->set_id, source->guide, text);
      // The built-in tables are ours: a unit test parses each, so a bad one never ships.
      if (table.is_ok()) out.push_back(std::move(table).value());
    }
    return out;
  }();
  static const std::vector<const X12MapTable*> maps = [] {
    std::vector<const X12MapTable*> out;
    for (const X12MapTable& table : tables) out.push_back(&table);
    return out;
  }();
  return maps;
}

const X12MapTable* find_x12_map(std::string_view set_id, std::string_view convention) {
  for (const X12MapTable* map : x12_maps()) {
    if (map->set_id != set_id) continue;
    const std::string_view base = std::string_view(map->guide).substr(0, 10);  // 005010X222
    if (convention.substr(0, 10) == base) return map;
  }
  return nullptr;
}

}  // namespace hearth::hl7::to_fhir
