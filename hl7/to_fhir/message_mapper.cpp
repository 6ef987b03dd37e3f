// Each message map is compiled once (its structure, each row's place, condition, segment map
// and resource, and each resource's home); map() walks the placed segments, then the References.
#include "hl7/to_fhir/message_mapper.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "fhir/model.h"
#include "hl7/to_fhir/condition.h"
#include "hl7/to_fhir/document_content.h"
#include "hl7/to_fhir/map_errata.h"
#include "hl7/to_fhir/message_structure.h"
#include "hl7/to_fhir/patient_merge.h"
#include "hl7/to_fhir/resource_identity.h"
#include "hl7/to_fhir/system_base.h"
#include "hl7/to_fhir/target_path.h"
#include "hl7/to_fhir/transaction_bundle.h"
#include "hl7/to_fhir/v2_value.h"

namespace hearth::hl7::to_fhir {
namespace {

// Resource types whose rows make the IG's FHIR message rather than clinical data.
bool message_only(std::string_view type) {
  return type == "Bundle" || type == "MessageHeader" || type == "Provenance";
}

// "Observation[2].note" -> {"Observation", 2, "note"}; "Specimen[n]" -> instance 1 (the group
// occurrences tell the instances apart); nullopt for a target that names no resource.
struct ResourceTarget {
  std::string type;
  int instance = 1;
  std::string rest;  // the path inside the resource, "" for the resource itself
};
std::optional<ResourceTarget> parse_resource_target(std::string_view text) {
  ResourceTarget target;
  std::size_t i = 0;
  while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) != 0) ++i;
  if (i == 0 || std::isupper(static_cast<unsigned char>(text[0])) == 0) return std::nullopt;
  target.type = std::string(text.substr(0, i));
  if (i < text.size() && text[i] == '[') {
    const std::size_t close = text.find(']', i);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view n = text.substr(i + 1, close - i - 1);
    if (!n.empty() && std::isdigit(static_cast<unsigned char>(n[0])) != 0) {
      target.instance = std::stoi(std::string(n));
    }
    i = close + 1;
  }
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    target.rest = std::string(text.substr(i + 1));
  }
  return target;
}

// The system of the results key an Observation without OBX-21 gets (identify_results), of a
// report's, an immunization's and an appointment's (resource_identity.h, kHearthKeyInstance).
constexpr std::string_view kResultKeySystem = "urn:hearth:hl7-result";
constexpr std::string_view kReportKeySystem = "urn:hearth:hl7-report";
constexpr std::string_view kAppointmentKeySystem = "urn:hearth:hl7-appointment";
constexpr std::string_view kImmunizationKeySystem = "urn:hearth:hl7-immunization";

// Resources the patient administration feed (ADT) owns: other messages only link to them.
bool administered_by_adt(std::string_view type) {
  return type == "Patient" || type == "Encounter";
}

// Rows whose condition the IG wrote as prose about the message's context (DG1 of ADT: "If in
// context of the patient / an encounter / a episode of care"): such a row applies when the
// message made that resource (instance 1) from another row, and a row whose own target is that
// resource writes into it instead of making it. So one DG1 is one Condition of the patient, which
// the visit's Encounter.diagnosis references when the message has a PV1; no EpisodeOfCare is made
// for it (no row of the message makes EpisodeOfCare[1]).
struct ContextRule {
  std::string_view narrative;
  std::string_view type;
};
constexpr ContextRule kContexts[] = {
    {"If in context of the patient", "Patient"},
    {"If in context of an encounter", "Encounter"},
    {"If in context of a episode of care", "EpisodeOfCare"},
};

std::string_view context_of(std::string_view narrative) {
  for (const ContextRule& rule : kContexts) {
    if (narrative.starts_with(rule.narrative)) return rule.type;
  }
  return {};
}

// A target that makes a resource of its own and references it from an element of another
// ("ServiceRequest[1].reasonReference(Condition)", ORM's DG1): the element ("reasonReference")
// and the resource made ("Condition", one per occurrence of the segment). nullopt for any other.
struct MadeResource {
  std::string element;
  std::string type;
};
std::optional<MadeResource> made_by(const ResourceTarget& target) {
  const std::size_t open = target.rest.find('(');
  if (open == std::string::npos || open == 0 || target.rest.back() != ')') return std::nullopt;
  MadeResource out{target.rest.substr(0, open),
                   target.rest.substr(open + 1, target.rest.size() - open - 2)};
  if (!fhir::is_resource_type(out.type)) return std::nullopt;
  return out;
}

// One clause "left=right" of a row's References ("Observation[2].subject.reference=
// Patient[1].id"), both sides parsed; `path` is left.rest as a target path (set_reference).
struct Clause {
  ResourceTarget left, right;
  std::string_view left_text;  // "Observation[2].subject.reference"
  std::optional<TargetPath> path;
};

struct RowPlan {
  const MessageRow* row = nullptr;
  const StructureNode* node = nullptr;
  std::optional<Condition> condition;
  const MapTable* segment_map = nullptr;
  std::optional<ResourceTarget> target;
  std::optional<MadeResource> made;
  std::optional<TargetPath> made_path;  // made->element as a target path
  int made_instance = 0;                // the made resource's instance number (kMadeInstance + row)
  std::string_view context;     // kContexts: the resource type the row needs the message to have
  std::vector<Clause> clauses;  // the row's References, parsed
};

// Instance numbers of resources a row makes through an element (made_by): after any the IG uses.
constexpr int kMadeInstance = 1000;

using ResourceName = std::pair<std::string, int>;  // ("Observation", 2)

// Orders ResourceNames, and finds one by a view of its type (no string made per lookup).
struct ResourceNameLess {
  using is_transparent = void;
  using View = std::pair<std::string_view, int>;
  static View view(const ResourceName& n) { return {n.first, n.second}; }
  static const View& view(const View& v) { return v; }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return view(a) < view(b);
  }
};

struct CompiledMessageMap {
  const MessageMapTable* table = nullptr;
  std::unique_ptr<StructureNode> root;
  std::map<const StructureNode*, const StructureNode*> parent;
  std::vector<RowPlan> rows;
  std::map<ResourceName, const StructureNode*, ResourceNameLess> home;
};

void index_nodes(const StructureNode& node, std::map<std::string, const StructureNode*>& by_id,
                 std::map<const StructureNode*, const StructureNode*>& parent) {
  for (const auto& child : node.children) {
    by_id.emplace(child->identifier, child.get());
    parent[child.get()] = &node;
    index_nodes(*child, by_id, parent);
  }
}

const StructureNode* common_ancestor(
    const StructureNode* a, const StructureNode* b,
    const std::map<const StructureNode*, const StructureNode*>& parent) {
  std::set<const StructureNode*> chain;
  for (const StructureNode* n = a; n != nullptr;) {
    chain.insert(n);
    auto it = parent.find(n);
    n = it == parent.end() ? nullptr : it->second;
  }
  for (const StructureNode* n = b; n != nullptr;) {
    if (chain.count(n) != 0) return n;
    auto it = parent.find(n);
    n = it == parent.end() ? nullptr : it->second;
  }
  return nullptr;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return s;
}

// The clauses of a row's References ("Observation[2].subject.reference=Patient[1].id; ...")
// whose sides both parse.
std::vector<Clause> parse_clauses(std::string_view text) {
  std::vector<Clause> out;
  while (!text.empty()) {
    const std::size_t end = text.find_first_of(";\n");
    std::string_view clause = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const std::size_t eq = clause.find('=');
    if (eq == std::string_view::npos) continue;
    std::optional<ResourceTarget> left = parse_resource_target(trim(clause.substr(0, eq)));
    std::optional<ResourceTarget> right = parse_resource_target(trim(clause.substr(eq + 1)));
    if (!left || !right) continue;
    Clause c{std::move(*left), std::move(*right), clause.substr(0, eq), std::nullopt};
    if (Result<TargetPath> path = parse_target_path(c.left.rest)) c.path = std::move(*path);
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<CompiledMessageMap> compile(const MessageMapTable& table) {
  Result<std::unique_ptr<StructureNode>> root = build_structure(table);
  if (!root.is_ok()) return std::nullopt;
  CompiledMessageMap out;
  out.table = &table;
  out.root = std::move(*root);
  std::map<std::string, const StructureNode*> by_id;
  index_nodes(*out.root, by_id, out.parent);
  for (const MessageRow& row : table.rows) {
    std::string_view id = row.identifier;
    if (id.substr(0, 1) == "/") id.remove_prefix(1);
    auto node = by_id.find(std::string(id));
    if (node == by_id.end() || node->second->group) continue;
    RowPlan plan;
    plan.row = &row;
    plan.node = node->second;
    if (Result<Condition> condition =
            compile_condition(condition_of(table.name, row), ValueRef{})) {
      plan.condition.emplace(std::move(*condition));
    }
    if (!row.segment_map.empty()) plan.segment_map = find_segment_map(row.segment_map);
    plan.target = parse_resource_target(row.target);
    plan.context = context_of(row.narrative);
    if (plan.target && plan.segment_map != nullptr && !message_only(plan.target->type)) {
      plan.made = made_by(*plan.target);
      plan.made_instance = kMadeInstance + static_cast<int>(out.rows.size());
    }
    plan.clauses = parse_clauses(row.references);
    if (plan.made) {
      if (Result<TargetPath> path = parse_target_path(plan.made->element)) {
        plan.made_path = std::move(*path);
      }
      out.home.emplace(ResourceName{plan.made->type, plan.made_instance}, plan.node);
    } else if (plan.target && plan.target->rest.empty() && plan.segment_map != nullptr &&
               !message_only(plan.target->type)) {
      const ResourceName name{plan.target->type, plan.target->instance};
      auto [it, inserted] = out.home.try_emplace(name, plan.node);
      if (!inserted) it->second = common_ancestor(it->second, plan.node, out.parent);
    }
    out.rows.push_back(std::move(plan));
  }
  return out;
}

const CompiledMessageMap* compiled_for(const MessageMapTable& table) {
  static const std::vector<std::optional<CompiledMessageMap>> all = [] {
    std::vector<std::optional<CompiledMessageMap>> maps;
    for (const MessageMapTable& t : message_maps()) maps.push_back(compile(t));
    return maps;
  }();
  const auto index = static_cast<std::size_t>(&table - message_maps().data());
  return index < all.size() && all[index] ? &*all[index] : nullptr;
}

// The instance key of a resource whose home is `home`, seen from a segment at `place`: the
// occurrence of each repeating group from the top down to the home, and the segment's own
// repetition when the home is that (repeating) segment. Groups the place is not in count as
// their first occurrence.
std::vector<int> instance_key(const CompiledMessageMap& map, const StructureNode* home,
                              const SegmentPlace& place) {
  std::vector<int> key;  // from the home up, reversed at the end
  for (const StructureNode* n = home; n != nullptr && n != map.root.get();) {
    if (n->repeating && !n->group) {
      key.push_back(n == place.node ? place.occurrences.back() : 1);
    } else if (n->repeating) {
      int occurrence = 1;
      for (std::size_t g = 0; g < place.groups.size(); ++g) {
        if (place.groups[g] == n) occurrence = place.occurrences[g];
      }
      key.push_back(occurrence);
    }
    auto it = map.parent.find(n);
    n = it == map.parent.end() ? nullptr : it->second;
  }
  std::reverse(key.begin(), key.end());
  return key;
}

class Mapping {
 public:
  Mapping(const CompiledMessageMap& map, const Message& message, const MapEngine& engine,
          std::function<std::string()> make_id)
      : map_(map), message_(message), engine_(engine), builder_(std::move(make_id)) {}

  Result<MappedMessage> run() {
    const std::vector<SegmentPlace> places = place_segments(message_, *map_.root);
    std::vector<std::pair<const RowPlan*, std::size_t>> references;
    for (std::size_t i = 0; i < places.size(); ++i) {
      if (places[i].node == nullptr) continue;
      const RowContext context(message_, i);
      for (const RowPlan& plan : map_.rows) {
        if (plan.node != places[i].node || !plan.condition) continue;
        if (!plan.condition->evaluate(context)) continue;
        if (!plan.target || plan.segment_map == nullptr || message_only(plan.target->type)) {
          continue;
        }
        if (plan.made) {
          if (make_referenced(plan, places[i], i) && !plan.row->references.empty()) {
            references.emplace_back(&plan, i);
          }
          continue;
        }
        if (!plan.target->rest.empty()) {
          write_into_element(plan, places[i], i);
          continue;
        }
        Resource* resource = nullptr;
        if (!plan.context.empty()) {
          // kContexts: the row applies in the context of a resource the message made.
          Resource* context = existing(plan.context, 1, places[i]);
          if (context == nullptr) continue;
          resource = plan.context == plan.target->type
                         ? existing(plan.target->type, plan.target->instance, places[i])
                         : instance(plan.target->type, plan.target->instance, places[i]);
        } else {
          resource = instance(plan.target->type, plan.target->instance, places[i]);
        }
        if (resource == nullptr) continue;
        const std::vector<Resource*> reuse = referenced_by(plan, places[i]);
        engine_.apply_segment(message_, i, *plan.segment_map, *resource->root, builder_,
                              out_.issues, occurrence_of(*plan.target, places[i], i), reuse);
        if (!plan.row->references.empty()) references.emplace_back(&plan, i);
      }
    }
    for (const auto& [plan, segment] : references) link(*plan, places[segment]);
    link_the_patient();
    add_documents();
    apply_system_base();
    identify_results();
    identify_visit_observations();
    identify_appointments();
    key_local_identities(builder_, facility());
    key_mentions(builder_, sender());
    HEARTH_RETURN_IF_ERROR(write_bundle());
    return std::move(out_);
  }

 private:
  // type[n] (by its entry in the map's `home`, which names it once) and the instance key.
  using InstanceId = std::pair<const ResourceName*, std::vector<int>>;

  // The id of `type[n]` seen from `place`; nullopt when no row of the map writes that resource.
  std::optional<InstanceId> id_of(std::string_view type, int n, const SegmentPlace& place) const {
    auto home = map_.home.find(ResourceNameLess::View{type, n});
    if (home == map_.home.end()) return std::nullopt;
    return InstanceId{&home->first, instance_key(map_, home->second, place)};
  }

  // The instance a row writes, made on first use.
  Resource* instance(std::string_view type, int n, const SegmentPlace& place) {
    std::optional<InstanceId> id = id_of(type, n, place);
    if (!id) return nullptr;
    if (auto found = instances_.find(*id); found != instances_.end()) return found->second;
    Result<Resource*> added = builder_.add(type);
    if (!added) return nullptr;
    instances_.emplace(std::move(*id), *added);
    return *added;
  }

  // ORM's DG1 row "ServiceRequest[1].reasonReference(Condition)" with DG1[Condition]: each DG1
  // makes a Condition of its own, which the order's ServiceRequest[1] (made by the ORC and OBR
  // of the same ORDER) lists in `reasonReference`. A DG1 whose order no segment made gets
  // nothing. False when nothing was made.
  bool make_referenced(const RowPlan& plan, const SegmentPlace& place, std::size_t segment) {
    Resource* owner = existing(plan.target->type, plan.target->instance, place);
    if (owner == nullptr) return false;
    Resource* made = instance(plan.made->type, plan.made_instance, place);
    if (made == nullptr) return false;
    engine_.apply_segment(message_, segment, *plan.segment_map, *made->root, builder_, out_.issues);
    if (made->root->empty() || !plan.made_path) return false;
    set_reference(*owner, *plan.made_path, *made);
    return true;
  }

  // The resources a row's References name as what its own resource's elements reference
  // ("Encounter[1].diagnosis.reference=Condition[1].id" of ADT's DG1[Encounter] row): the segment
  // map's rows that make a resource of that type there (`diagnosis.condition(Condition.code)`)
  // write into that one instead of making another (map_engine.h, `reuse`).
  std::vector<Resource*> referenced_by(const RowPlan& plan, const SegmentPlace& place) const {
    std::vector<Resource*> out;
    for (const Clause& clause : plan.clauses) {
      const ResourceTarget& left = clause.left;
      const ResourceTarget& right = clause.right;
      if (right.rest != "id" || left.type != plan.target->type ||
          left.instance != plan.target->instance || left.type == right.type) {
        continue;
      }
      if (Resource* to = existing(right.type, right.instance, place)) out.push_back(to);
    }
    return out;
  }

  // A row whose primary target is an element of a resource another segment made
  // ("Observation[2].note" for an OBX's NTE, with NTE[ServiceRequest], whose rows write
  // `note.text` ...): its segment map runs on that resource, each occurrence of the segment
  // making its own instance of the element (a note per NTE). A resource that no segment made
  // (an NTE without its OBX) gets nothing. A target that makes a resource of its own
  // ("ServiceRequest[1].reasonReference(Condition)") is make_referenced's.
  void write_into_element(const RowPlan& plan, const SegmentPlace& place, std::size_t segment) {
    if (plan.target->rest.find('(') != std::string::npos) return;
    Resource* resource = existing(plan.target->type, plan.target->instance, place);
    if (resource == nullptr) return;
    engine_.apply_segment(message_, segment, *plan.segment_map, *resource->root, builder_,
                          out_.issues, static_cast<int>(segment) + 1);
  }

  // A resource several occurrences of a segment write (its home is above a repeating group or
  // segment on the way to it: SIU's Appointment[1], written by every AIS, AIG, AIL and AIP of
  // the repeating RESOURCES, and by PID; ADT's Patient[1], by each NK1) gets, from each
  // occurrence, instances of its repeating elements of their own: a participant per AIP, a
  // contact per NK1, instead of all of them writing (first write wins) into one. The segment's
  // index in the message tells them apart; 0 (no such separation) when the segment writes
  // a resource of its own occurrence (PID's Patient, OBX's Observation).
  int occurrence_of(const ResourceTarget& target, const SegmentPlace& place,
                    std::size_t segment) const {
    auto home = map_.home.find(ResourceNameLess::View{target.type, target.instance});
    if (home == map_.home.end()) return 0;
    bool below = home->second == map_.root.get();
    for (const StructureNode* group : place.groups) {
      if (below && group->repeating) return static_cast<int>(segment) + 1;
      if (group == home->second) below = true;
    }
    const bool separate = below && place.node != home->second && place.node->repeating;
    return separate ? static_cast<int>(segment) + 1 : 0;
  }

  // The existing instance a reference clause names, seen from `place`; nullptr when there is
  // none (or it is empty).
  Resource* existing(std::string_view type, int n, const SegmentPlace& place) const {
    std::optional<InstanceId> id = id_of(type, n, place);
    if (!id) return nullptr;
    auto found = instances_.find(*id);
    if (found == instances_.end() || found->second->root->empty()) return nullptr;
    return found->second;
  }

  // "Observation[2].subject.reference=Patient[1].id; DiagnosticReport.result.reference=..."
  void link(const RowPlan& plan, const SegmentPlace& place) {
    for (const Clause& clause : plan.clauses) {
      const ResourceTarget& left = clause.left;
      const ResourceTarget& right = clause.right;
      if (left.rest.empty() || right.rest != "id" || !clause.path) continue;
      int left_instance = left.instance;
      if (plan.made && left.type == plan.made->type &&
          clause.left_text.find('[') == std::string_view::npos) {
        left_instance = plan.made_instance;  // "Condition.subject" of ORM's DG1: the made one
      } else if (left.type == plan.target->type &&
                 clause.left_text.find('[') == std::string_view::npos) {
        left_instance = plan.target->instance;  // "Observation.performer": the row's own
      }
      Resource* from = existing(left.type, left_instance, place);
      Resource* to = existing(right.type, right.instance, place);
      if (from == nullptr || to == nullptr || from == to) continue;
      set_reference(*from, *clause.path, *to);
    }
  }

  // Where the IG's References are silent (DiagnosticReport.subject of ORU, AllergyIntolerance
  // .patient of ADT), a message about one patient is about that patient: each resource whose
  // `subject` or `patient` may reference a Patient and is unset references it.
  void link_the_patient() {
    const Resource* patient = nullptr;
    for (const auto& r : builder_.resources()) {
      if (r->type != "Patient" || r->root->empty()) continue;
      if (patient != nullptr) return;  // several patients: only the IG's References apply
      patient = r.get();
    }
    if (patient == nullptr) return;
    for (const auto& r : builder_.resources()) {
      if (r.get() == patient || r->root->empty()) continue;
      for (const char* element : {"subject", "patient"}) {
        const fhir::ChildMatch match = fhir::find_child(r->root->type(), 0, element);
        if (!match.found() || match.type == nullptr || match.type->code != "Reference") continue;
        const auto& targets = match.type->targets;
        if (!targets.empty() &&
            std::find(targets.begin(), targets.end(), "Patient") == targets.end()) {
          continue;
        }
        Result<Node*> node = r->root->child(element, {1});
        if (!node || !(*node)->empty()) break;
        if (Result<Node*> ref = (*node)->child("reference", {})) (*ref)->set(patient->full_url);
        break;
      }
    }
  }

  // A configured system base for the sending facility (system_base.h): each identity
  // identifier (identity_rules) with a value gets its local namespace under the base, so every
  // lookup by identity (conditional update or create, a merge's MRG-1, a report's key) uses it.
  void apply_system_base() {
    const std::string_view base = system_base_for(message_, engine_.options().system_bases);
    if (base.empty()) return;
    for (const auto& r : builder_.resources()) {
      if (r->root->empty()) continue;
      for (const IdentityRule& rule : identity_rules()) {
        if (rule.type != r->type || rule.identifier_instance == kHearthKeyInstance) continue;
        Node* node = identifier_at(*r->root, rule.identifier_instance);
        if (node == nullptr) continue;
        const IdentifierText id = identifier_text(*node);
        if (id.value.empty()) continue;
        const std::string now = system_under_base(base, id.system);
        if (now == id.system) continue;
        if (Result<Node*> s = node->child("system", {})) (*s)->replace(now);
      }
    }
  }

  // MSH-`field` as sent ("" when empty).
  std::string header_field(int field) const {
    const std::vector<V2Value> hd = field_repetitions(message_, 0, field);
    return hd.empty() ? std::string() : std::string(hd[0].raw());
  }

  // MSH-4 as sent: the sending facility, whose local identifiers key_local_identities scopes.
  std::string facility() const { return header_field(4); }

  // Whose namespace a mention's content lives in (key_mentions): the sending application and
  // facility, MSH-3 and MSH-4, as sent.
  std::string sender() const { return header_field(3) + '|' + header_field(4) + '|'; }

  // MDM: the document its OBX segments carry, as the DocumentReference's content
  // (document_content.h; the IG's OBX[DocumentReference] rows for OBX-5 are narrative).
  void add_documents() {
    if (map_.table->name != "MDM_T02") return;
    for (const auto& r : builder_.resources()) {
      if (r->type == "DocumentReference" && !r->root->empty()) {
        add_document_content(message_, *r->root);
      }
    }
  }

  // Results identity (issue 14; the IG leaves it to the receiver): an Observation without
  // OBX-21 is found again by its report's filler order number (OBR-3; without one, its placer
  // order number), its code (OBX-3) and its place among the report's results with that code, kept
  // as an identifier of Hearth's own system, so a corrected result (OBX-11 = C) replaces the one
  // it corrects instead of adding another. An OBX about a vaccination (VXU, `partOf` its
  // Immunization) is found again the same way by the immunization's filler (ORC-3) or placer
  // number, so an updated record (RXA-21 = U) replaces its observations. Results outside a report
  // or immunization with an order number keep no identity (created anew).
  void identify_results() {
    for (const auto& parent : builder_.resources()) {
      const bool report = parent->type == "DiagnosticReport";
      if ((!report && parent->type != "Immunization") || parent->root->empty()) continue;
      // The filler number (identifier[2]: OBR-3 / ORC-3), else the placer number ([1]: OBR-2 /
      // ORC-2), which the placer's corrections repeat as well.
      IdentifierText number = identifier_text(*parent->root, 2);
      const bool by_filler = !number.value.empty();
      if (!by_filler) number = identifier_text(*parent->root, 1);
      if (number.value.empty()) continue;
      const std::string key = std::string(by_filler ? "" : "placer^") + std::string(number.system) +
                              "^" + std::string(number.value);
      // A number without a system, or a placer number (no identity rule of a report), is found
      // again with Hearth's own system.
      if (!by_filler || number.system.empty()) {
        set_hearth_key(*parent->root, report ? kReportKeySystem : kImmunizationKeySystem, key);
      }
      const std::string prefix = (report ? "" : "immunization^") + key + "^";
      std::map<std::string, int> seen;  // code -> results with it so far
      int ordinal = 0;
      for (const auto& r : builder_.resources()) {
        ++ordinal;
        if (r->type != "Observation" || r->root->empty()) continue;
        // A report lists its results; an observation names the immunization it is part of.
        const Node* link =
            report ? parent->root->existing("result", {ordinal}) : r->root->first("partOf");
        const Node* ref = link == nullptr ? nullptr : link->existing("reference", {});
        if (ref == nullptr || ref->value() != (report ? r->full_url : parent->full_url)) continue;
        key_result(*r, prefix, seen);
      }
    }
  }

  // Observations of an ADT message (its OBSERVATION group's OBX: height, weight, ...) are found
  // again by the visit (PV1-19, the Encounter's identity), their code and occurrence, so each
  // A08 of the visit replaces them instead of adding another set. Without a visit identity they
  // keep none (created anew), as before.
  void identify_visit_observations() {
    if (!map_.table->name.starts_with("ADT_")) return;
    std::string visit;
    for (const auto& r : builder_.resources()) {
      if (r->type != "Encounter" || r->root->empty()) continue;
      const IdentifierText number = identifier_text(*r->root, 1);  // PV1-19 (kIdentity)
      if (number.system.empty() || number.value.empty()) continue;
      visit = std::string(number.system) + "^" + std::string(number.value);
      break;
    }
    if (visit.empty()) return;
    std::map<std::string, int> seen;
    for (const auto& r : builder_.resources()) {
      if (r->type == "Observation" && !r->root->empty() &&
          identifier_at(*r->root, kHearthKeyInstance) == nullptr) {
        key_result(*r, "visit^" + visit + "^", seen);
      }
    }
  }

  // Keys an Observation without OBX-21 (its identifier[1]) by `prefix`, its code and its
  // occurrence among the results `seen` (code -> results with it so far) under the same prefix.
  static void key_result(Resource& r, const std::string& prefix, std::map<std::string, int>& seen) {
    if (identifier_at(*r.root, 1) != nullptr) return;  // OBX-21 given
    const Node* code = r.root->existing("code", {});
    const Node* coding = code == nullptr ? nullptr : code->first("coding");
    const Node* code_value = coding == nullptr ? nullptr : coding->existing("code", {});
    if (code_value == nullptr || !code_value->has_value()) return;
    const std::string code_text(code_value->value());
    const int occurrence = ++seen[code_text];
    set_hearth_key(*r.root, kResultKeySystem,
                   prefix + code_text + "^" + std::to_string(occurrence));
  }

  // Appointment identity, as a report's (identify_results): SCH-2's filler appointment ID has
  // no system (the IG leaves its namespace to an extension), so an Appointment is found again,
  // by the S13/S14/S15 that reschedules, modifies or cancels it, through Hearth's own system.
  void identify_appointments() {
    for (const auto& appointment : builder_.resources()) {
      if (appointment->type != "Appointment" || appointment->root->empty()) continue;
      const IdentifierText filler = identifier_text(*appointment->root, 2);
      if (filler.value.empty() || !filler.system.empty()) continue;
      set_hearth_key(*appointment->root, kAppointmentKeySystem, "^" + std::string(filler.value));
    }
  }

  // Walks `path` ("result.reference") in `from` and sets it to `to`'s fullUrl; a repeating
  // element on the way gets an instance per referenced resource, so several results append.
  void set_reference(Resource& from, const TargetPath& path, const Resource& to) {
    if (path.steps.empty()) return;
    // A reference a segment map's row made already (SIU's PID[Appointment] participant.actor
    // to the message's Patient[1], map_engine.h `reuse`) is not made twice.
    if (references_at(*from.root, path.steps, 0, to.full_url)) return;
    int ordinal = 0;
    for (const auto& r : builder_.resources()) {
      ++ordinal;
      if (r.get() == &to) break;
    }
    Node* node = from.root;
    for (const TargetStep& step : path.steps) {
      if (!step.reference_type.empty()) return;  // a path through another resource: not here
      Result<Node*> child = node->child(step.name, {ordinal});
      if (!child) return;
      node = *child;
    }
    // "Appointment.participant.actor=Patient[1].id" names the Reference, not its `reference`;
    // any other element ("Observation.subject.id" of ORM) is not a reference to set (the nodes
    // walked to it stay empty, and empty elements are not written).
    if (path.steps.back().name != "reference") {
      if (node->type().name != "Reference") return;
      Result<Node*> reference = node->child("reference", {});
      if (!reference) return;
      node = *reference;
    }
    node->set(to.full_url);
  }

  // True when an instance of `steps` from `node` (a Reference, or its `reference`) holds `url`.
  static bool references_at(const Node& node, const std::vector<TargetStep>& steps, std::size_t i,
                            const std::string& url) {
    if (i == steps.size()) {
      if (node.has_value()) return node.value() == url;
      const Node* reference = node.existing("reference", {});
      return reference != nullptr && reference->value() == url;
    }
    for (const Node* child : node.all(steps[i].name)) {
      if (references_at(*child, steps, i + 1, url)) return true;
    }
    return false;
  }

  // How an entry writes `resource` (transaction_bundle.h).
  EntryRequest request_for(const Resource& resource) const {
    EntryRequest request;
    request.url = resource.type;
    // A resource found again by its identity is a conditional update: created the first time,
    // replaced by later messages (A08 after A01) instead of created again. Demographics and
    // visits belong to the patient administration feed: other messages (an ORU's PID) create
    // the patient or visit when it is new and otherwise only link to it, so a lab result
    // never replaces what an ADT registered.
    const std::string identity = identity_of(resource);
    if (!identity.empty()) {
      request.key = resource.type + "?" + identity;
      if (administered_by_adt(resource.type) && message_.message_code() != "ADT") {
        request.if_none_exist = identity;
      } else {
        request.method = "PUT";
        request.url = request.key;
      }
      return request;
    }
    // The people, places and organisations a message mentions (an assigning authority, an
    // ordering provider) are created once and then linked, by an identifier with a system;
    // within one message, one without a system names one resource too.
    const MentionIdentity mention = mention_identity(resource);
    if (!mention.found.empty()) {
      request.key = resource.type + "?" + mention.found;
      request.if_none_exist = mention.found;
    } else if (!mention.local.empty()) {
      request.key = resource.type + "?" + mention.local;
    }
    return request;
  }

  Status write_bundle() {
    // One entry per identity: a later resource with the identity of an earlier one (the same
    // assigning authority named by PID-3 and PV1-19) is that one; references to it move.
    HEARTH_ASSIGN_OR_RETURN(
        out_.bundle,
        write_transaction_bundle(
            builder_, [this](const Resource& resource) { return request_for(resource); },
            &out_.resources));
    out_.map_name = std::string(map_.table->name);
    return Status::ok();
  }

  const CompiledMessageMap& map_;
  const Message& message_;
  const MapEngine& engine_;
  ResourceBuilder builder_;
  std::map<InstanceId, Resource*> instances_;
  MappedMessage out_;
};

}  // namespace

std::optional<V2Source> v2_source_of(std::string_view resource_type, std::string_view element) {
  for (const MapTable& map : segment_maps()) {
    const std::size_t open = map.name.find('[');
    if (open == std::string_view::npos || map.name.size() != open + resource_type.size() + 2 ||
        map.name.substr(open + 1, resource_type.size()) != resource_type) {
      continue;
    }
    for (const MapRow& row : map.rows) {
      const std::string_view t = row.target;
      if (!t.starts_with(element) ||
          (t.size() > element.size() && t[element.size()] != '.' && t[element.size()] != '[')) {
        continue;
      }
      return V2Source{map.name.substr(0, open), row.position};
    }
  }
  return std::nullopt;
}

MessageMapper::MessageMapper(ConversionOptions options) : engine_(std::move(options)) {}

Result<MappedMessage> MessageMapper::map(const Message& message,
                                         std::function<std::string()> make_id) const {
  const MessageMapTable* table = message_map_for(message);
  const CompiledMessageMap* compiled = table == nullptr ? nullptr : compiled_for(*table);
  if (compiled == nullptr && is_patient_merge(message)) {
    return map_patient_merge(*this, message, make_id);
  }
  if (compiled == nullptr) {
    return Status(Code::kNotImplemented, "no V2-to-FHIR map for " +
                                             std::string(message.message_code()) + "^" +
                                             std::string(message.trigger_event()));
  }
  return Mapping(*compiled, message, engine_, std::move(make_id)).run();
}

}  // namespace hearth::hl7::to_fhir
