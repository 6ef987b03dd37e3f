// The walk: segment level (a field per row, an item of a repeating element per repetition), then
// data type levels (components, subcomponents), with each row's condition read backwards.
#include "hl7/to_v2/reverse_map.h"

#include <optional>
#include <string>
#include <vector>

#include "hl7/to_fhir/coding_system.h"
#include "hl7/to_fhir/map_engine.h"
#include "hl7/to_fhir/target_path.h"
#include "hl7/to_v2/backward_condition.h"
#include "hl7/to_v2/v2_primitive.h"

namespace hearth::hl7::to_v2 {
namespace {

using rapidjson::Value;
using to_fhir::ConceptMapTable;
using to_fhir::ConceptRow;
using to_fhir::MapRow;
using to_fhir::MapTable;
using to_fhir::TargetStep;

// Where the maps leave it open which field an unmarked item of a repeating element belongs to
// (several fields write instances of it; see reverse_map.h).
struct DefaultField {
  std::string_view map, element;
  int field;
};
constexpr DefaultField kDefaultFields[] = {
    // PID-2/-3/-4/-19/-20 -> identifier[1..5]: the patient identifier list is PID-3 (PID-2 and
    // PID-4 are deprecated; PID-19 takes the "SS"/"SB" typed ones by its constant rows).
    {"PID[Patient]", "identifier", 3},
    // PID-5 -> name[1], PID-9 (alias) -> name[2]: every name is a repetition of PID-5.
    {"PID[Patient]", "name", 5},
    // PID-13 -> telecom[1] (use "home"), PID-14 -> telecom[2] (use "work"), PID-40 ->
    // telecom[3]: one without a use the constants name goes to PID-13.
    {"PID[Patient]", "telecom", 13},
    // PV1-19 -> identifier[1] (type "VN"), PV1-50 -> identifier[2]: the visit number.
    {"PV1[Encounter]", "identifier", 19},
    // OBR-2 -> identifier[1] ("PLAC"), OBR-3 -> identifier[2] ("FILL"): the filler's.
    {"OBR[DiagnosticReport]", "identifier", 3},
    // NTE-3 -> note.text, NTE-6 -> note.time: a note is an NTE (message_renderer.cpp writes one
    // NTE per note, NTE-6 from its time).
    {"NTE[ServiceRequest]", "note", 3},
};

// Rows left out backwards although they would read: alternatives for one FHIR type of which the
// outbound message uses another (the first row of the IG's order would otherwise win).
struct SkippedRow {
  std::string_view map, source, condition;
};
constexpr SkippedRow kSkippedRows[] = {
    // OBX-5 -> valueCodeableConcept from CF, CNE, CE, IS and CWE: a coded value goes out as CWE,
    // the general coded type of v2.5.1 (CE is withdrawn, CF and CNE say more than FHIR knows).
    {"OBX[Observation]", "OBX-5", "IF OBX-2 EQUALS \"CF\""},
    {"OBX[Observation]", "OBX-5", "IF OBX-2 EQUALS \"CNE\""},
    {"OBX[Observation]", "OBX-5", "IF OBX-2 EQUALS \"CE\""},
    {"OBX[Observation]", "OBX-5", "IF OBX-2 EQUALS \"IS\""},
};

bool skipped(const MapTable& map, const MapRow& row) {
  for (const SkippedRow& s : kSkippedRows) {
    if (s.map == map.name && s.source == row.source && s.condition == row.condition) return true;
  }
  return false;
}

// Data type maps nest; deeper than subcomponents has no place in ER7.
constexpr int kMaxDepth = 2;

struct Level {
  int depth = 0;  // 0: the segment's fields; 1: components of `field`; 2: subcomponents
  int field = 0;
  int repetition = 1;
  int component = 0;
};

// The concrete place of number `n` at `level` (a field, component or subcomponent).
Position place(const Level& lv, int n) {
  switch (lv.depth) {
    case 0: return Position{n, lv.repetition, 1, 1};
    case 1: return Position{lv.field, lv.repetition, n, 1};
    default: return Position{lv.field, lv.repetition, lv.component, n};
  }
}

// The whole of number `n` at `level` (0 = everything below), for locks and VALUED tests.
Position whole(const Level& lv, int n) {
  switch (lv.depth) {
    case 0: return Position{n, lv.repetition, 0, 0};
    case 1: return Position{lv.field, lv.repetition, n, 0};
    default: return Position{lv.field, lv.repetition, lv.component, n};
  }
}

struct ReverseRow {
  const MapRow* row = nullptr;
  to_fhir::TargetPath path;
  std::vector<BackwardTest> tests;
  const MapTable* type_map = nullptr;
  const ConceptMapTable* vocabulary = nullptr;
  bool readable = false;       // written backwards
  bool discriminator = false;  // a constant that tells instances apart
};

std::string_view anchor_type(std::string_view map_name) {
  const std::size_t open = map_name.find('[');
  if (open == std::string_view::npos) return {};
  const std::string_view inner = map_name.substr(open + 1);
  return inner.substr(0, inner.find_first_of("-]"));
}

std::string_view constant_of(const ReverseRow& r) {
  return r.path.constant.empty() ? r.row->assignment : std::string_view(r.path.constant);
}

std::vector<ReverseRow> compile(const MapTable& map) {
  std::vector<ReverseRow> out;
  for (const MapRow& row : map.rows) {
    Result<to_fhir::TargetPath> path = to_fhir::parse_target_path(row.target);
    if (!path.is_ok() || path->steps.empty()) continue;
    ReverseRow r;
    r.row = &row;
    r.path = std::move(*path);
    // "Quantity.unit" in CWE[Quantity]: a leading step naming the map's own type.
    if (r.path.steps.size() > 1 && r.path.steps.front().name == anchor_type(map.name)) {
      r.path.steps.erase(r.path.steps.begin());
    }
    bool reference = false;
    for (const TargetStep& step : r.path.steps)
      reference = reference || !step.reference_type.empty();
    std::optional<std::vector<BackwardTest>> tests = compile_backward(row.condition);
    if (!tests && to_fhir::condition_taken_as_true(map, row)) tests.emplace();
    const bool constant = !row.assignment.empty() || !r.path.constant.empty();
    const std::string_view leaf = r.path.steps.back().name;
    r.discriminator = constant && !reference && row.type_map.empty() &&
                      constant_of(r).find('+') == std::string_view::npos &&
                      (leaf == "code" || leaf == "use" || leaf == "url");
    if (!row.type_map.empty()) r.type_map = to_fhir::find_data_type_map(row.type_map);
    if (!row.vocabulary.empty()) r.vocabulary = to_fhir::find_concept_map(row.vocabulary);
    r.readable = !constant && !reference && tests.has_value() && !skipped(map, row) &&
                 r.path.steps.front().name != "$this" &&
                 (row.type_map.empty() || r.type_map != nullptr) &&
                 (row.vocabulary.empty() || r.vocabulary != nullptr);
    if (tests) r.tests = std::move(*tests);
    out.push_back(std::move(r));
  }
  return out;
}

// The text of a JSON primitive (numbers arrive as strings); nullopt for an object or array.
std::optional<std::string> primitive_text(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return std::string(v.GetBool() ? "true" : "false");
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsNumber()) return std::to_string(v.GetDouble());
  return std::nullopt;
}

const Value* member(const Value& node, std::string_view name) {
  if (!node.IsObject()) return nullptr;
  const auto it = node.FindMember(
      Value(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == node.MemberEnd() ? nullptr : &it->value;
}

// steps[from, to) from `node`: a numbered step takes that item of an array, an unnumbered one the
// first; "[1]" (a data type map's own instance) and "$value" are the node itself.
const Value* resolve(const Value& node, const std::vector<TargetStep>& steps, std::size_t from,
                     std::size_t to) {
  const Value* cur = &node;
  for (std::size_t i = from; i < to; ++i) {
    const TargetStep& step = steps[i];
    if (step.name.empty()) {
      if (step.instance > 1) return nullptr;  // "[2].given": another instance (XPN.15)
      continue;
    }
    if (step.name == "$value") continue;
    const Value* next = member(*cur, step.name);
    if (next == nullptr) return nullptr;
    if (next->IsArray()) {
      const int index = step.instance > 0 ? step.instance - 1 : 0;
      if (index >= static_cast<int>(next->Size())) return nullptr;
      next = &(*next)[static_cast<rapidjson::SizeType>(index)];
    }
    cur = next;
  }
  return cur;
}

// Does some value at `steps[from..]` below `node` equal `constant`? (Arrays: any item.)
bool matches(const Value& node, const std::vector<TargetStep>& steps, std::size_t from,
             std::string_view constant) {
  if (from == steps.size()) {
    const std::optional<std::string> text = primitive_text(node);
    return text && *text == constant;
  }
  const Value* next = member(node, steps[from].name);
  if (next == nullptr) return false;
  if (!next->IsArray()) return matches(*next, steps, from + 1, constant);
  for (const Value& item : next->GetArray()) {
    if (matches(item, steps, from + 1, constant)) return true;
  }
  return false;
}

class Reverse {
 public:
  explicit Reverse(SegmentValues& out) : out_(out) {}

  void segment(const MapTable& map, const Value& resource) {
    const std::vector<ReverseRow> rows = compile(map);
    for (const ReverseRow& r : rows) {
      if (!r.readable) continue;
      const TargetStep& top = r.path.steps.front();
      if (top.name.empty() || top.name == "$value") continue;
      const Value* element = member(resource, top.name);
      if (element == nullptr) continue;
      const int field = r.row->position;
      if (!element->IsArray()) {
        apply(r, Level{0, field, 1, 0}, *element, 1);
        continue;
      }
      int repetition = 0;
      for (const Value& item : element->GetArray()) {
        if (owner(map, rows, top.name, item) != field) continue;
        apply(r, Level{0, field, ++repetition, 0}, item, 1);
      }
    }
  }

 private:
  // The field an item of repeating element `element` belongs to (reverse_map.h); 0: none.
  static int owner(const MapTable& map, const std::vector<ReverseRow>& rows,
                   std::string_view element, const Value& item) {
    // Hearth's own identity keys (urn:hearth:hl7-result, -report, -appointment: the inbound
    // mapper's kIdentity) are no field's: the sender never sent them.
    if (const Value* system = member(item, "system");
        element == "identifier" && system && system->IsString() &&
        std::string_view(system->GetString()).substr(0, 11) == "urn:hearth:") {
      return 0;
    }
    for (const ReverseRow& r : rows) {
      if (r.discriminator && r.path.steps.front().name == element &&
          matches(item, r.path.steps, 1, constant_of(r))) {
        return r.row->position;
      }
    }
    for (const DefaultField& d : kDefaultFields) {
      if (d.map == map.name && d.element == element) return d.field;
    }
    int only = 0;
    for (const ReverseRow& r : rows) {
      if (!r.readable || r.path.steps.front().name != element) continue;
      if (only != 0 && only != r.row->position) return 0;
      only = r.row->position;
    }
    return only;
  }

  void type_map(const MapTable& map, const Level& lv, const Value& node) {
    for (const ReverseRow& r : compile(map)) {
      if (r.readable) apply(r, lv, node, 0);
    }
  }

  // The place a test names, at `lv` for a row of number `n`.
  std::optional<Position> test_place(const BackwardTest& t, const Level& lv, int n) const {
    if (t.ref.owner.empty()) return whole(lv, n);
    if (t.ref.owner == out_.id()) {  // a field of the segment: "OBX-2", "PID-13.2"
      const int own = lv.depth == 0 ? n : lv.field;
      return Position{t.ref.field, t.ref.field == own ? lv.repetition : 1, t.ref.component,
                      t.ref.subcomponent};
    }
    if (lv.depth == 0) return std::nullopt;
    Position p = whole(lv, t.ref.field);  // "CWE.2" (or the IG's "HD-3"): of the current value
    if (lv.depth == 1 && t.ref.component > 0) p.subcomponent = t.ref.component;
    return p;
  }

  static Position concrete(Position p) {
    if (p.component == 0) p.component = 1;
    if (p.subcomponent == 0) p.subcomponent = 1;
    return p;
  }

  static bool listed(const std::vector<std::string>& values, const std::string& text) {
    for (const std::string& v : values) {
      if (v == text) return true;
    }
    return false;
  }

  // What the row's tests ask backwards: false when they cannot hold; else the places to set and
  // to lock once the row has written `candidate` ("" when a data type map writes).
  bool plan(const ReverseRow& r, const Level& lv, const std::string& candidate,
            std::vector<std::pair<Position, std::string>>& sets,
            std::vector<Position>& locks) const {
    const int n = r.row->position;
    const Position own = whole(lv, n);
    for (const BackwardTest& t : r.tests) {
      const std::optional<Position> at = test_place(t, lv, n);
      if (!at) return false;
      const bool self = *at == own || concrete(*at) == place(lv, n);
      switch (t.kind) {
        case BackwardTest::Kind::kValued: break;
        case BackwardTest::Kind::kNotValued:
          if (self || out_.valued(*at)) return false;
          locks.push_back(*at);
          break;
        case BackwardTest::Kind::kIn:
          if (self) {
            if (!candidate.empty() && !listed(t.values, candidate)) return false;
          } else if (out_.valued(*at)) {
            if (!listed(t.values, out_.text(concrete(*at)))) return false;
          } else {
            sets.emplace_back(concrete(*at), t.values.front());
          }
          break;
        case BackwardTest::Kind::kNotIn:
          if (self) {
            if (listed(t.values, candidate)) return false;
          } else if (out_.valued(*at) && listed(t.values, out_.text(concrete(*at)))) {
            return false;
          }
          break;
      }
    }
    return true;
  }

  void commit(const std::vector<std::pair<Position, std::string>>& sets,
              const std::vector<Position>& locks) {
    for (const auto& [at, text] : sets) out_.set(at, text);
    for (const Position& at : locks) out_.lock(at);
  }

  // Writes `text` at the row's place if its tests allow.
  bool write(const ReverseRow& r, const Level& lv, const std::string& text) {
    std::vector<std::pair<Position, std::string>> sets;
    std::vector<Position> locks;
    if (text.empty() || !plan(r, lv, text, sets, locks)) return false;
    if (!out_.set(place(lv, r.row->position), text)) return false;
    commit(sets, locks);
    return true;
  }

  // The v2 code the vocabulary maps `value`'s FHIR code back to (a code, a Coding or a
  // CodeableConcept); nullopt when none does.
  static std::optional<std::string> translate(const ConceptMapTable& vocabulary,
                                              const Value& value) {
    std::vector<std::pair<std::string, std::string>> codes;  // (system, code)
    if (const std::optional<std::string> text = primitive_text(value)) {
      codes.emplace_back("", *text);
    } else if (const Value* codings = member(value, "coding"); codings && codings->IsArray()) {
      for (const Value& coding : codings->GetArray()) {
        const Value* code = member(coding, "code");
        const Value* system = member(coding, "system");
        if (code == nullptr || !code->IsString()) continue;
        codes.emplace_back(system && system->IsString() ? system->GetString() : "",
                           code->GetString());
      }
    } else if (const Value* code = member(value, "code"); code && code->IsString()) {
      const Value* system = member(value, "system");
      codes.emplace_back(system && system->IsString() ? system->GetString() : "",
                         code->GetString());
    }
    for (const auto& [system, code] : codes) {
      for (const ConceptRow& row : vocabulary.rows) {
        if (row.fhir_code == code && !row.v2_code.empty() &&
            (system.empty() || row.fhir_system.empty() || row.fhir_system == system)) {
          return std::string(row.v2_code);
        }
      }
    }
    return std::nullopt;
  }

  bool apply(const ReverseRow& r, const Level& lv, const Value& node, std::size_t from) {
    const std::vector<TargetStep>& steps = r.path.steps;
    std::size_t to = steps.size();
    // A data type map relative to the element holding the target ("[1].family" with FN, whose
    // rows write "family"; "line[1-3]" with SAD, whose rows write "line[n]").
    if (r.type_map != nullptr && !steps.back().name.empty() &&
        holder_relative(*r.type_map, steps.back().name)) {
      if (to - 1 < from) return false;
      --to;
    }
    const Value* value = resolve(node, steps, from, to);
    if (value == nullptr) return false;
    if (r.vocabulary != nullptr) {
      if (const std::optional<std::string> code = translate(*r.vocabulary, *value)) {
        return write(r, lv, *code);
      }
      if (r.type_map == nullptr) return false;
    }
    if (r.type_map != nullptr) {
      if (lv.depth >= kMaxDepth) return false;
      std::vector<std::pair<Position, std::string>> sets;
      std::vector<Position> locks;
      if (!plan(r, lv, "", sets, locks)) return false;
      Level inner;
      inner.depth = lv.depth + 1;
      inner.field = lv.depth == 0 ? r.row->position : lv.field;
      inner.repetition = lv.repetition;
      inner.component = lv.depth == 1 ? r.row->position : 0;
      const std::size_t before = out_.size();
      type_map(*r.type_map, inner, *value);
      if (out_.size() == before) return false;
      commit(sets, locks);
      return true;
    }
    std::optional<std::string> text = primitive_text(*value);
    if (!text) return false;
    std::string_view kind = r.row->fhir_type;
    if (kind != "date" && kind != "dateTime" && kind != "instant" && kind != "time" &&
        kind != "boolean") {
      const std::string_view v2 = r.row->v2_type;
      kind = v2 == "DTM" || v2 == "DT" || v2 == "TS" || v2 == "TM" ? temporal_kind(*text) : "";
    }
    std::string v2 = v2_from_fhir(*text, kind);
    // A Coding's (or a coded Quantity's) system goes back to its table 0396 name
    // (coding_system.h), as the inbound engine turned the name into the URI
    // (CWE[CodeableConcept] CWE.3 and its kin).
    if (steps.back().name == "system" && to == steps.size()) {
      const Value* holder = resolve(node, steps, from, to - 1);
      if (holder != nullptr && holder->IsObject() && member(*holder, "code") != nullptr) {
        v2 = to_fhir::coding_system_name(v2);
      }
    }
    return write(r, lv, v2);
  }

  static bool holder_relative(const MapTable& map, std::string_view last_step) {
    for (const MapRow& row : map.rows) {
      Result<to_fhir::TargetPath> path = to_fhir::parse_target_path(row.target);
      if (!path.is_ok() || path->steps.empty()) continue;
      std::size_t i = 0;
      if (path->steps.size() > 1 && path->steps[0].name == anchor_type(map.name)) i = 1;
      return path->steps[i].name == last_step;
    }
    return false;
  }

  SegmentValues& out_;
};

}  // namespace

void reverse_segment(const MapTable& map, const Value& resource, SegmentValues& out) {
  Reverse(out).segment(map, resource);
}

}  // namespace hearth::hl7::to_v2
