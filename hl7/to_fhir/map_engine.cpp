// The compiled rows (condition, target path, nested maps resolved by name) are built once for
// every segment and data type map; a Walk carries one segment's application.
#include "hl7/to_fhir/map_engine.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <utility>

#include "fhir/model.h"
#include "fhir/value_set.h"
#include "hl7/to_fhir/coding_system.h"
#include "hl7/to_fhir/condition.h"
#include "hl7/to_fhir/map_errata.h"
#include "hl7/to_fhir/primitive_conversion.h"
#include "hl7/to_fhir/target_path.h"
#include "hl7/to_fhir/v2_value.h"

namespace hearth::hl7::to_fhir {
namespace {

// Data type maps nest (XCN -> HD -> ...); deeper than this is a loop in the tables.
constexpr int kMaxDepth = 8;
// "[each]" instances sort after every numbered one, in the order they were made.
constexpr int kEachBase = 1 << 20;

struct CompiledRow {
  const MapRow* row = nullptr;
  std::string_view assignment;         // the row's, or its erratum's (map_errata.h)
  std::optional<Condition> condition;  // none: the IG's prose, not computed
  std::optional<TargetPath> path;      // none: not a path
  const MapTable* type_map = nullptr;
  const ConceptMapTable* vocabulary = nullptr;
  bool closed_vocabulary = false;  // a code `vocabulary` lacks is left out (kAddedVocabularies)
  bool each = false;               // the path has an "[each]" step
};

struct CompiledMaps {
  std::vector<std::vector<CompiledRow>> segments;    // by index in segment_maps()
  std::vector<std::vector<CompiledRow>> data_types;  // by index in data_type_maps()
};

// Rows whose condition the IG wrote as prose that Hearth takes as always true, each with why.
struct ProseRow {
  std::string_view map, source, target;
};
constexpr ProseRow kTakenAsTrue[] = {
    // "IF CX.4 IN <the identifier registry web page>": the assigning authority becomes the
    // identifier's system whatever registry lists it, so that a patient is found again by
    // PID-3 and its authority (issue 14: identity by identifier).
    {"CX[Identifier]", "CX.4", "system"},
};

// Rows Hearth does not apply, each with why (docs/mapping/v2-to-fhir.md).
constexpr ProseRow kNotApplied[] = {
    // TXA-3 (table 0191: TX, FT, AP, IM, ...) says how the document is presented, not its MIME
    // type; the content's type comes from its OBX-2 (document_content.h).
    {"TXA[DocumentReference]", "TXA-3", "content.attachment.contentType"},
};

// Rows the IG left without a vocabulary whose FHIR element cannot hold the v2 code, each with
// why: the value goes through Hearth's own concept map (maps/hearth/codesystems), and a code the
// map lacks is left out with a warning rather than written as it came.
struct AddedVocabulary {
  std::string_view map, source, target, vocabulary;
};
constexpr AddedVocabulary kAddedVocabularies[] = {
    // ED.3 is a data subtype (table 0291: "PDF", "JPEG"); Attachment.contentType is a MIME type
    // ("application/pdf").
    {"ED[Attachment]", "ED.3", "contentType", "DataSubtype[MimeType]"},
};

const AddedVocabulary* added_vocabulary(const MapTable& map, const MapRow& row) {
  for (const AddedVocabulary& a : kAddedVocabularies) {
    if (a.map == map.name && a.source == row.source && a.target == row.target) return &a;
  }
  return nullptr;
}

bool not_applied(const MapTable& map, const MapRow& row) {
  for (const ProseRow& p : kNotApplied) {
    if (p.map == map.name && p.source == row.source && p.target == row.target) return true;
  }
  return false;
}

std::vector<std::vector<CompiledRow>> compile_all(std::span<const MapTable> maps) {
  std::vector<std::vector<CompiledRow>> out;
  out.reserve(maps.size());
  for (const MapTable& map : maps) {
    std::vector<CompiledRow>& rows = out.emplace_back();
    for (const MapRow& row : map.rows) {
      CompiledRow c;
      c.row = &row;
      c.assignment = assignment_of(map.name, row);
      ValueRef subject;
      parse_value_ref(row.source, subject);
      if (Result<Condition> condition = compile_condition(row.condition, subject)) {
        c.condition.emplace(std::move(*condition));
      } else if (condition_taken_as_true(map, row)) {
        c.condition.emplace(*compile_condition("", subject));
      }
      if (not_applied(map, row)) c.condition.reset();
      if (Result<TargetPath> path = parse_target_path(row.target)) c.path = std::move(*path);
      if (c.path) {
        for (const TargetStep& step : c.path->steps)
          c.each = c.each || step.instance == kEachInstance;
      }
      if (!row.type_map.empty()) c.type_map = find_data_type_map(row.type_map);
      if (!row.vocabulary.empty()) {
        c.vocabulary = find_concept_map(row.vocabulary);
      } else if (const AddedVocabulary* added = added_vocabulary(map, row)) {
        c.vocabulary = find_concept_map(added->vocabulary);
        c.closed_vocabulary = c.vocabulary != nullptr;
      }
      rows.push_back(std::move(c));
    }
  }
  return out;
}

const CompiledMaps& compiled_maps() {
  static const CompiledMaps maps{compile_all(segment_maps()), compile_all(data_type_maps())};
  return maps;
}

const std::vector<CompiledRow>* rows_of(const MapTable& map) {
  const CompiledMaps& all = compiled_maps();
  const auto segments = segment_maps();
  const auto types = data_type_maps();
  if (&map >= segments.data() && &map < segments.data() + segments.size()) {
    return &all.segments[static_cast<std::size_t>(&map - segments.data())];
  }
  if (&map >= types.data() && &map < types.data() + types.size()) {
    return &all.data_types[static_cast<std::size_t>(&map - types.data())];
  }
  return nullptr;
}

// "FN[HumanName]" -> "HumanName", "EI[Identifier-Extension]" -> "Identifier": the FHIR type the
// map's rows are relative to.
std::string_view anchor_type(const MapTable& map) {
  const std::size_t open = map.name.find('[');
  if (open == std::string_view::npos) return {};
  std::string_view inner = map.name.substr(open + 1);
  return inner.substr(0, inner.find_first_of("-]"));
}

// The last path segment of a canonical without its version:
// ".../ValueSet/contact-point-system|4.0.1"
// -> "contact-point-system".
std::string_view tail_of(std::string_view url) {
  url = url.substr(0, url.find('|'));
  return url.substr(url.rfind('/') + 1);
}

// False when `node` is bound to a FHIR value set named after another code system than `system`
// (the IG maps HL70202 "CP" to contact-point-use "mobile", which ContactPoint.system must not
// hold).
bool fits_binding(const Node& node, std::string_view system) {
  const fhir::ElementDef* def = node.definition();
  if (def == nullptr || def->value_set.empty() || system.empty()) return true;
  if (system.substr(0, 20) != "http://hl7.org/fhir/" ||
      def->value_set.substr(0, 29) != "http://hl7.org/fhir/ValueSet/") {
    return true;
  }
  return tail_of(def->value_set) == tail_of(system);
}

// True when a row of `map` writes "$value": the map fills the element it is given, whatever the
// map's name says (NM[Quantity] at "valueQuantity.value").
bool writes_value(const MapTable& map) {
  for (const MapRow& row : map.rows) {
    if (row.target == "$value") return true;
  }
  return false;
}

const ConceptRow* translate(const ConceptMapTable& vocabulary, std::string_view code) {
  for (const ConceptRow& row : vocabulary.rows) {
    if (row.v2_code == code) return &row;
  }
  return nullptr;
}

// A segment-level row's assignment that is a constant ("active", "order"): the IG's other
// segment-level assignments are prose ("/time of transformation/") or joins of message values
// ("event - :"+MSG.1), which this engine does not compute there.
bool is_constant(std::string_view assignment) {
  return !assignment.empty() && assignment.find_first_of("\"+/") == std::string_view::npos;
}

// An assignment that joins values and quoted text (OBX-5 of a structured numeric:
// OBX-5.1+" "+OBX-5.2+" "+OBX-5.3 ...; the IG once forgets a '+'): the joined text with runs of
// spaces from unvalued parts made one; nullopt when `text` holds no value reference (a plain
// constant) or is not such a join.
std::optional<std::string> joined_assignment(std::string_view text, const ValueSource& source) {
  std::string out;
  bool any_ref = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '+') {
      ++i;
    } else if (c == '"') {
      const std::size_t end = text.find('"', i + 1);
      if (end == std::string_view::npos) {
        if (i + 1 == text.size()) break;  // a stray quote at the very end (the IG's OBX-5)
        return std::nullopt;
      }
      out.append(text.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      std::size_t end = i;
      while (end < text.size() && text[end] != ' ' && text[end] != '+' && text[end] != '"') {
        ++end;
      }
      ValueRef ref;
      if (!parse_value_ref(text.substr(i, end - i), ref)) return std::nullopt;
      out += source.text(ref);
      any_ref = true;
      i = end;
    }
  }
  if (!any_ref) return std::nullopt;
  std::string collapsed;
  for (const char ch : out) {
    if (ch == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed += ch;
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

// Where a map writes: `node` itself, or, for a data type map filling an element of a repeating
// member, other instances of that member too ("[2].given" of XPN).
struct Slot {
  Node* node = nullptr;
  Node* parent = nullptr;
  std::string member;
  InstanceKey key;
};

class Walk {
 public:
  Walk(const Message& message, std::size_t segment, ResourceBuilder& builder,
       std::vector<MappingIssue>& issues, const ConversionOptions& options, int occurrence,
       std::span<Resource* const> reuse)
      : message_(message),
        segment_(segment),
        occurrence_(occurrence),
        reuse_(reuse),
        builder_(builder),
        issues_(issues),
        options_(options),
        context_(message, segment) {}

  void segment_map(const MapTable& map, Node& target) {
    const std::vector<CompiledRow>* rows = rows_of(map);
    if (rows == nullptr) return;
    std::vector<std::optional<std::vector<V2Value>>> fields;  // by field number, when read
    // "[each]" (OBX[Observation-Component]: "component[each].code" from OBX-3,
    // "component[each].valueQuantity" from OBX-5, ...): an instance per repetition of the most
    // repeated field those rows read (OBX-5's values), and a field with one value (OBX-3's code,
    // OBX-6's unit) written into each of them, so every component has its code and one value.
    int each_count = 0;
    for (const CompiledRow& row : *rows) {
      if (!row.each || !row.condition || !row.path) continue;
      each_count = std::max(each_count, valued_repetitions(message_, segment_, row.row->position));
    }
    // The segment itself as the "value" of its segment-level rows (the IG's row 0: "PID ->
    // status = "active"" of PID[Account], "OBR -> intent = "order""), written after the field
    // rows and only into a resource they gave content: a constant alone makes no resource (an
    // SCH whose order numbers the IG cannot map would otherwise leave a bare ServiceRequest per
    // message), and a field's value wins over the constant (a later set does not overwrite).
    const std::vector<V2Value> whole_segment{
        V2Value(message_, message_.segment_id(segment_), V2Value::Level::kField)};
    for (const bool segment_level : {false, true}) {
      if (segment_level && target.empty()) break;
      field_rows(*rows, fields, segment_level ? &whole_segment : nullptr, each_count, target);
    }
  }

 private:
  // The rows of a segment map that read a field (`whole_segment` null), or its segment-level
  // rows with a constant assignment (the others are prose, not computable), into `target`.
  void field_rows(const std::vector<CompiledRow>& rows,
                  std::vector<std::optional<std::vector<V2Value>>>& fields,
                  const std::vector<V2Value>* whole_segment, int each_count, Node& target) {
    for (const CompiledRow& row : rows) {
      if (!row.condition || !row.path) continue;
      const auto field = static_cast<std::size_t>(row.row->position);
      if ((field == 0) != (whole_segment != nullptr)) continue;
      if (field == 0 && !is_constant(row.assignment)) continue;
      if (fields.size() <= field) fields.resize(field + 1);
      if (!fields[field]) fields[field] = field_repetitions(message_, segment_, row.row->position);
      const std::vector<V2Value>& reps = field == 0 ? *whole_segment : *fields[field];
      for (std::size_t r = 0; r < reps.size(); ++r) {
        if (!reps[r].valued()) continue;
        context_.set_current_field(row.row->position, reps[r]);
        context_.set_current_value(reps[r]);
        if (!row.condition->evaluate(context_)) continue;
        field_ = row.row->position;
        repetition_ = static_cast<int>(r) + 1;
        component_ = 0;
        if (row.each && reps.size() == 1 && each_count > 1) {
          for (each_ = 1; each_ <= each_count; ++each_) {
            write(row, reps[r], repetition_, Slot{&target, nullptr, {}, {}}, 0);
          }
          each_ = 0;
          continue;
        }
        each_ = row.each ? repetition_ : 0;
        write(row, reps[r], repetition_, Slot{&target, nullptr, {}, {}}, 0);
        each_ = 0;
      }
    }
  }

  // Applies data type map `map` to `value` into `slot`.
  void data_type_map(const MapTable& map, const V2Value& value, const Slot& slot, int depth) {
    const std::vector<CompiledRow>* rows = rows_of(map);
    if (rows == nullptr || depth > kMaxDepth) return;
    const int outer_component = component_;
    for (const CompiledRow& row : *rows) {
      if (!row.condition || !row.path) continue;
      const V2Value part = value.part(row.row->position);
      if (!part.valued()) continue;
      context_.set_current_value(value);
      if (!row.condition->evaluate(context_)) continue;
      if (depth == 1) component_ = row.row->position;
      write(row, part, 1, slot, depth);
    }
    component_ = outer_component;
  }

  void write(const CompiledRow& row, const V2Value& value, int repetition, const Slot& slot,
             int depth) {
    const std::vector<TargetStep>& steps = row.path->steps;
    std::size_t i = 0;
    Node* node = slot.node;
    if (steps.front().name.empty()) {  // "[2].given": another instance of the slot's member
      if (slot.parent == nullptr) {
        if (steps.front().instance > 1) return;
      } else {
        InstanceKey key = slot.key;
        key.push_back(steps.front().instance);
        Result<Node*> other = slot.parent->child(slot.member, key);
        if (!other) return;
        node = *other;
      }
      i = 1;
    } else if (steps.size() > 1 && steps.front().name == node->type().name) {
      i = 1;  // "Quantity.unit" in CWE[Quantity]: the map's own type named again
    }
    bool repetition_used = false;
    for (; i < steps.size(); ++i) {
      const TargetStep& step = steps[i];
      // "$value": the element given. A whole target "$this": the resource itself, when the data
      // type map is one of its type (SCH-11 TQ[Appointment] fills start and end); one of another
      // type (PID-21 CX[RelatedPerson-Mother]) makes a resource of its own, not done here.
      if (step.name == "$value") continue;
      if (step.name == "$this" && steps.size() == 1) {
        if (row.type_map == nullptr || anchor_type(*row.type_map) != node->type().name) return;
        continue;
      }
      int instance = step.instance > 0 ? step.instance : 1;
      // "[each]": the instance is the repetition's (segment_map), not the repetition again.
      if (step.instance == kEachInstance) {
        instance = kEachBase + each_;
        repetition_used = true;
      }
      InstanceKey key{instance};
      // A segment's first step, written into another segment's resource: per occurrence.
      if (occurrence_ > 0 && depth == 0 && node == slot.node)
        key = InstanceKey{occurrence_, instance};
      if (!repetition_used) key.push_back(repetition);
      bool repeating = false;
      Result<Node*> child = node->child(step.name, key, &repeating);
      if (!child) return;  // the model has no such element: the row is not applied
      repetition_used = repetition_used || repeating;
      const bool last = i + 1 == steps.size();
      std::string_view reference_type = step.reference_type;
      int reference_instance = step.reference_instance;
      if (last && row.type_map != nullptr && reference_type.empty() &&
          (*child)->type().name == "Reference" &&
          fhir::is_resource_type(anchor_type(*row.type_map))) {
        // "participant.actor[1]" with XCN[Practitioner]: a Reference filled by a map of a
        // resource type is a reference to a resource that map makes, as "actor(Practitioner)".
        reference_type = anchor_type(*row.type_map);
        reference_instance = instance;
      }
      if (last && row.type_map != nullptr && reference_type.empty()) {
        // The map's rows are relative to its FHIR type: the element itself ("identifier[2]" with
        // CX[Identifier]) or the one holding it ("[1].family" with FN[HumanName]).
        const std::string_view anchor = anchor_type(*row.type_map);
        if ((*child)->type().name != anchor && node->type().name == anchor &&
            !writes_value(*row.type_map)) {
          data_type_map(*row.type_map, value, Slot{node, nullptr, {}, {}}, depth + 1);
          return;
        }
        pre_translate(row, value, **child);
        data_type_map(*row.type_map, value, Slot{*child, node, step.name, key}, depth + 1);
        return;
      }
      node = *child;
      if (!reference_type.empty()) {
        Resource* existing = nullptr;
        if (depth == 0) {
          for (Resource* r : reuse_) {
            if (r->type == reference_type) existing = r;
          }
        }
        Result<Resource*> referenced =
            builder_.referenced(*node, reference_type, reference_instance, existing);
        if (!referenced) return;
        node = (*referenced)->root;
      }
    }
    if (row.type_map != nullptr) {  // "$value" or "asserter(Practitioner)" with a data type map
      pre_translate(row, value, *node);
      data_type_map(*row.type_map, value, Slot{node, nullptr, {}, {}}, depth + 1);
      return;
    }
    // NM[Quantity]'s "$value" (a decimal) given a whole Quantity (OBX[Observation-Component]'s
    // "component[each].valueQuantity", where OBX[Observation] writes "valueQuantity.value"): the
    // Quantity's value.
    if (row.row->fhir_type == "decimal" && !node->is_primitive() &&
        (node->type().name == "Quantity" || node->type().name == "SimpleQuantity")) {
      Result<Node*> number = node->child("value", {});
      if (!number) return;
      node = *number;
    }
    set_value(row, value, *node);
  }

  // A row with both a data type map and a vocabulary (PID-8 CWE[code] AdministrativeSex): the
  // vocabulary's FHIR code is written first, so the data type map's copy of the v2 code does
  // not replace it.
  void pre_translate(const CompiledRow& row, const V2Value& value, Node& node) {
    if (row.vocabulary == nullptr) return;
    const ConceptRow* mapped = translate(*row.vocabulary, value.text());
    if (mapped == nullptr) return;
    write_concept(*mapped, node);
  }

  void write_concept(const ConceptRow& mapped, Node& node) {
    if (mapped.fhir_code.empty()) return;  // the vocabulary has no FHIR code for it
    if (node.is_primitive()) {
      if (!fits_binding(node, mapped.fhir_system)) return;
      node.set(mapped.fhir_code);
      // A Coding's code ("type.coding.code" of CX.5): its system and display come with it.
      Node* coding = node.parent();
      if (coding != nullptr && coding->type().name == "Coding" && node.definition() != nullptr &&
          node.definition()->name == "code") {
        write_coding_parts(mapped, *coding, /*with_code=*/false);
      }
      return;
    }
    Node* coding = &node;
    if (node.type().name == "CodeableConcept") {
      Result<Node*> first = node.child("coding", {1, 1});
      if (!first) return;
      coding = *first;
    }
    if (coding->type().name != "Coding") return;
    write_coding_parts(mapped, *coding, /*with_code=*/true);
  }

  static void write_coding_parts(const ConceptRow& mapped, Node& coding, bool with_code) {
    const std::pair<const char*, std::string_view> parts[] = {
        {"system", mapped.fhir_system},
        {"code", with_code ? mapped.fhir_code : std::string_view()},
        {"display", mapped.display}};
    for (const auto& [name, text] : parts) {
      if (text.empty()) continue;
      if (Result<Node*> part = coding.child(name, {})) (*part)->set(text);
    }
  }

  // False for a code that a required binding of its element rules out (a v2 code the IG's
  // vocabulary left untranslated, "HM" as a report status): such a value is left out rather than
  // make the resource invalid. Codes of systems Hearth cannot expand pass.
  static bool in_required_binding(const Node& node, std::string_view code) {
    const fhir::ElementDef* def = node.definition();
    if (def == nullptr || def->binding_strength != fhir::BindingStrength::kRequired ||
        def->value_set_index < 0 || node.type().name != "code") {
      return true;
    }
    const fhir::ValueSetDef& vs =
        fhir::value_sets()[static_cast<std::size_t>(def->value_set_index)];
    return fhir::check_code(vs, {}, code) != fhir::Membership::kNotMember;
  }

  // Coding.system or a quantity's system (CWE[Quantity]: OBX-6's "UCUM") written from a v2
  // coding system name (CWE.3, CWE.6, ...), so units are searchable by their URI.
  static bool is_coding_system(const Node& node) {
    if (node.definition() == nullptr || node.definition()->name != "system" ||
        node.parent() == nullptr) {
      return false;
    }
    const fhir::TypeDef& type = node.parent()->type();
    return type.name == "Coding" || fhir::derives_from(&type, "Quantity");
  }

  // "Appointment.participant.period.start + AIS-7" (AIS, AIG, AIL, AIP): a Period's end is its
  // start plus the duration in this field, in the units of the next one (minutes when empty).
  static bool is_start_plus_duration(std::string_view assignment) {
    return assignment.find(".start + ") != std::string_view::npos &&
           assignment.find('/') == std::string_view::npos;
  }

  void end_from_duration(const V2Value& value, Node& end) {
    Node* period = end.parent();
    const Node* start = period == nullptr ? nullptr : period->existing("start", {});
    if (start == nullptr || !start->has_value() || end.has_value()) return;
    const std::string unit = first_repetition(message_, segment_, field_ + 1).part(1).text();
    const std::optional<std::int64_t> seconds = duration_seconds(value.text(), unit);
    const std::string text = seconds ? add_seconds(start->value(), *seconds) : std::string();
    if (text.empty()) {
      issues_.push_back(
          MappingIssue{std::string(message_.segment_id(segment_)), static_cast<int>(segment_) + 1,
                       field_, repetition_, component_,
                       "duration '" + value.text() + " " + unit + "' does not give an end after '" +
                           std::string(start->value()) + "'"});
      return;
    }
    end.set(text);
  }

  void set_value(const CompiledRow& row, const V2Value& value, Node& node) {
    std::string text;
    if (!row.path->constant.empty()) {
      text = row.path->constant;
    } else if (!row.assignment.empty()) {
      if (is_start_plus_duration(row.assignment)) {
        end_from_duration(value, node);
        return;
      }
      const std::optional<std::string> joined = joined_assignment(row.assignment, context_);
      text = joined ? *joined : std::string(row.assignment);
      if (text.empty()) return;
    } else if (row.vocabulary != nullptr) {
      const ConceptRow* mapped = translate(*row.vocabulary, value.text());
      if (mapped != nullptr) {
        write_concept(*mapped, node);
        return;
      }
      if (row.closed_vocabulary) {
        issues_.push_back(MappingIssue{
            std::string(message_.segment_id(segment_)), static_cast<int>(segment_) + 1, field_,
            repetition_, component_,
            "'" + value.text() + "' has no entry in Hearth's " + std::string(row.vocabulary->name) +
                " map; " + std::string(row.row->target) + " left out"});
        return;
      }
      text = value.text();
    } else {
      text = value.text();
    }
    if (!node.is_primitive()) return;  // a complex element without a data type map
    if (node.has_value()) return;      // written before (a vocabulary's code): the first wins
    Result<std::string> converted = to_fhir_primitive(text, node.type().name, options_);
    if (!converted) {
      issues_.push_back(MappingIssue{std::string(message_.segment_id(segment_)),
                                     static_cast<int>(segment_) + 1, field_, repetition_,
                                     component_, converted.status().message()});
      return;
    }
    if (!in_required_binding(node, *converted)) {
      issues_.push_back(MappingIssue{
          std::string(message_.segment_id(segment_)), static_cast<int>(segment_) + 1, field_,
          repetition_, component_,
          "'" + *converted + "' is not a code of " + std::string(node.definition()->value_set) +
              " (a required binding); left out"});
      return;
    }
    if (is_coding_system(node) && row.path->constant.empty()) {
      node.set(coding_system_uri(*converted));  // "the vocabulary table will give the uri"
      return;
    }
    node.set(std::move(*converted));
  }

  const Message& message_;
  std::size_t segment_;
  int occurrence_;  // apply_segment's `occurrence`
  std::span<Resource* const> reuse_;
  ResourceBuilder& builder_;
  std::vector<MappingIssue>& issues_;
  const ConversionOptions& options_;
  RowContext context_;
  int each_ = 0;   // the "[each]" instance being written (segment_map)
  int field_ = 0;  // where the value being written is, for issues
  int repetition_ = 0;
  int component_ = 0;
};

}  // namespace

bool condition_taken_as_true(const MapTable& map, const MapRow& row) {
  for (const ProseRow& p : kTakenAsTrue) {
    if (p.map == map.name && p.source == row.source && p.target == row.target) return true;
  }
  return false;
}

MapEngine::MapEngine(ConversionOptions options) : options_(std::move(options)) {}

void MapEngine::apply_segment(const Message& message, std::size_t segment, const MapTable& map,
                              Node& target, ResourceBuilder& builder,
                              std::vector<MappingIssue>& issues, int occurrence,
                              std::span<Resource* const> reuse) const {
  Walk(message, segment, builder, issues, options_, occurrence, reuse).segment_map(map, target);
}

}  // namespace hearth::hl7::to_fhir
