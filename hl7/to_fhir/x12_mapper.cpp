// Applying the X12 maps: place each segment in its loop occurrence, make the resources the maps
// declare per loop, write the rows' values, then the copies and references, then one Bundle.
#include "hl7/to_fhir/x12_mapper.h"

#include <map>
#include <unordered_map>
#include <utility>

#include "core/url_encoding.h"
#include "hl7/to_fhir/resource_builder.h"
#include "hl7/to_fhir/transaction_bundle.h"
#include "hl7/to_fhir/x12_map_table.h"
#include "hl7/v2/charset.h"

namespace hearth::hl7::to_fhir {
namespace {

using x12::kNone;

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// CCYYMMDD -> YYYY-MM-DD; "" when it is not one.
std::string x12_date(std::string_view d8) {
  if (d8.size() != 8 || !digits(d8)) return {};
  const int month = (d8[4] - '0') * 10 + (d8[5] - '0');
  const int day = (d8[6] - '0') * 10 + (d8[7] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return {};
  return std::string(d8.substr(0, 4)) + "-" + std::string(d8.substr(4, 2)) + "-" +
         std::string(d8.substr(6, 2));
}

// X12 R (".5", "-3.", "12.25") -> a FHIR decimal; "" when it is not one.
std::string x12_decimal(std::string_view r) {
  std::string sign;
  if (!r.empty() && r.front() == '-') {
    sign = "-";
    r.remove_prefix(1);
  }
  const std::size_t dot = r.find('.');
  std::string_view whole = r.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : r.substr(dot + 1);
  if ((!whole.empty() && !digits(whole)) || (!fraction.empty() && !digits(fraction)) ||
      (whole.empty() && fraction.empty())) {
    return {};
  }
  std::string out = sign + (whole.empty() ? "0" : std::string(whole));
  if (!fraction.empty()) out += "." + std::string(fraction);
  return out;
}

// "HDR" for the transaction set's own loop.
std::string_view loop_name(const x12::LoopNode& node) {
  return node.def->id.empty() ? std::string_view("HDR") : node.def->id;
}

// One mapping of one transaction set into the shared builder.
class SetMapping {
 public:
  SetMapping(const x12::Document& doc, const x12::Transaction& txn, const X12MapTable& map,
             ResourceBuilder& builder, std::map<const Resource*, X12EntryMode>& modes,
             std::vector<MappingIssue>& issues)
      : doc_(doc), txn_(txn), map_(map), builder_(builder), modes_(modes), issues_(issues) {}

  Status run() {
    place_segments();
    HEARTH_RETURN_IF_ERROR(make_instances());
    const std::uint32_t last =
        txn_.trailer == kNone ? txn_.loops.front().last_segment : txn_.trailer;
    for (std::uint32_t s = txn_.header; s <= last; ++s) {
      auto rows = rows_by_segment_.find(doc_.segment_id(s));
      if (rows == rows_by_segment_.end()) continue;
      for (const X12Row* row : rows->second) apply_value(*row, s);
    }
    for (const X12Row& row : map_.rows) {
      if (row.kind == X12Row::Kind::kConst || row.kind == X12Row::Kind::kCopy) apply_to_all(row);
    }
    for (const X12Row& row : map_.rows) {
      if (row.kind == X12Row::Kind::kRef) apply_to_all(row);
    }
    return Status::ok();
  }

 private:
  struct Instance {
    std::uint32_t node;
    Resource* resource;
  };

  void place_segments() {
    const std::vector<x12::LoopNode>& loops = txn_.loops;
    node_of_.assign(loops.front().last_segment - txn_.header + 1, 0);
    ordinal_.assign(loops.size(), 0);
    std::map<std::pair<std::uint32_t, const x12::LoopDef*>, int> seen;
    for (std::uint32_t n = 0; n < loops.size(); ++n) {
      ordinal_[n] = seen[{loops[n].parent, loops[n].def}]++;
      for (std::uint32_t s = loops[n].first_segment; s <= loops[n].last_segment; ++s) {
        if (s >= txn_.header && s - txn_.header < node_of_.size()) node_of_[s - txn_.header] = n;
      }
    }
  }

  Status make_instances() {
    instances_.resize(map_.resources.size());
    for (std::uint32_t n = 0; n < txn_.loops.size(); ++n) {
      for (std::size_t k = 0; k < map_.resources.size(); ++k) {
        if (!x12_loop_in(map_.resources[k].loops, loop_name(txn_.loops[n]))) continue;
        if (!satisfies_when(map_.resources[k], n)) continue;
        HEARTH_ASSIGN_OR_RETURN(Resource * r, builder_.add(map_.resources[k].type));
        instances_[k].push_back(Instance{n, r});
        modes_[r] = map_.resources[k].mode;
        at_node_.emplace(slot(k, n), r);
        under_node_.emplace(slot(k, parent(n)), r);  // the first child occurrence stays
      }
    }
    for (const X12Row& row : map_.rows) {
      if (row.kind == X12Row::Kind::kValue) rows_by_segment_[row.segment].push_back(&row);
    }
    return Status::ok();
  }

  // Whether loop occurrence n qualifies for `decl`: its own first segment with the declared id
  // satisfies the declared conditions (no such segment: it does not).
  bool satisfies_when(const X12ResourceDecl& decl, std::uint32_t n) const {
    if (decl.when_segment.empty()) return true;
    const x12::LoopNode& loop = txn_.loops[n];
    for (std::uint32_t s = loop.first_segment; s <= loop.last_segment; ++s) {
      if (s < txn_.header || node_of_[s - txn_.header] != n) continue;
      if (doc_.segment_id(s) != decl.when_segment) continue;
      for (const X12Condition& c : decl.when) {
        if (!holds(c, s, 0)) return false;
      }
      return true;
    }
    return false;
  }

  static std::uint64_t slot(std::size_t key, std::uint32_t node) {
    return (static_cast<std::uint64_t>(key) << 32) | node;
  }
  Resource* at_node(std::size_t key, std::uint32_t node) const {
    auto it = at_node_.find(slot(key, node));
    return it == at_node_.end() ? nullptr : it->second;
  }

  std::size_t key_index(std::string_view key) const {
    for (std::size_t k = 0; k < map_.resources.size(); ++k) {
      if (map_.resources[k].key == key) return k;
    }
    return 0;  // keys were checked when the table was read
  }

  std::uint32_t parent(std::uint32_t node) const { return txn_.loops[node].parent; }

  // The KEY resources a segment of loop occurrence `node` writes into (see the header).
  std::vector<Resource*> targets_of(std::size_t key, std::uint32_t node) const {
    for (std::uint32_t a = node; a != kNone; a = parent(a)) {
      if (Resource* r = at_node(key, a)) return {r};
    }
    std::vector<Resource*> below;
    for (const Instance& i : instances_[key]) {
      for (std::uint32_t a = i.node; a != kNone; a = parent(a)) {
        if (a == node) {
          below.push_back(i.resource);
          break;
        }
      }
    }
    return below;
  }

  // The nearest KEY resource from loop occurrence `node` (see the header); nullptr when none.
  Resource* nearest(std::size_t key, std::uint32_t node) const {
    for (std::uint32_t a = node; a != kNone; a = parent(a)) {
      if (Resource* r = at_node(key, a)) return r;
      // An occurrence of the target's own loop without one (its condition failed): none.
      if (x12_loop_in(map_.resources[key].loops, loop_name(txn_.loops[a]))) return nullptr;
      auto child = under_node_.find(slot(key, a));
      if (child != under_node_.end()) return child->second;
    }
    return nullptr;
  }

  // Whether condition `c` holds in segment s while element e is read.
  bool holds(const X12Condition& c, std::uint32_t s, int e) const {
    const int element = c.element == 0 ? e : c.element;
    const std::string_view v =
        c.component == 0 ? doc_.element(s, element) : doc_.component(s, element, c.component);
    for (const std::string& allowed : c.values) {
      if (v == allowed) return true;
    }
    return false;
  }

  void issue(std::uint32_t s, int element, int component, std::string message) {
    if (issues_.size() >= 100) return;
    issues_.push_back(MappingIssue{std::string(doc_.segment_id(s)), static_cast<int>(s) + 1,
                                   element, 0, component, std::move(message)});
  }

  // The element at the end of `path` in `resource`, instances keyed for segment s element e
  // (s = kNone: not from a segment). `positioned` receives the deepest instance keyed by
  // element or loop, and its step.
  struct Positioned {
    const Node* node = nullptr;
    std::string_view name;
  };
  Result<Node*> walk(Resource& resource, const std::vector<X12PathStep>& path, std::uint32_t s,
                     int e, std::uint32_t node, Positioned* positioned = nullptr) const {
    Node* at = resource.root;
    for (const X12PathStep& step : path) {
      InstanceKey key;
      switch (step.instance) {
        case X12PathStep::Instance::kNone: break;
        case X12PathStep::Instance::kFixed: key = {step.fixed}; break;
        case X12PathStep::Instance::kElement:
          key = {static_cast<int>(s == kNone ? 0 : s), e};
          break;
        case X12PathStep::Instance::kSegment: key = {static_cast<int>(s == kNone ? 0 : s)}; break;
        case X12PathStep::Instance::kLoop: {
          int ordinal = -1;
          for (std::uint32_t a = node; a != kNone; a = parent(a)) {
            if (x12_loop_in(step.loops, loop_name(txn_.loops[a]))) {
              ordinal = ordinal_[a];
              break;
            }
          }
          if (ordinal < 0) return Status(Code::kNotFound, "not inside loop " + step.loops[0]);
          key = {ordinal};
          break;
        }
      }
      HEARTH_ASSIGN_OR_RETURN(at, at->child(step.name, key));
      if (step.instance == X12PathStep::Instance::kElement ||
          step.instance == X12PathStep::Instance::kSegment ||
          step.instance == X12PathStep::Instance::kLoop) {
        if (positioned != nullptr) *positioned = Positioned{at, step.name};
      }
    }
    return at;
  }

  // The row's value for element e of segment s; "" when the row writes nothing.
  std::string convert(const X12Row& row, std::uint32_t s, int e, std::string_view raw) {
    switch (row.conversion) {
      case X12Conversion::kNone:
      case X12Conversion::kPosition: return to_utf8(raw, Charset::kOther);
      case X12Conversion::kConst: return row.argument;
      case X12Conversion::kPrefix: return row.argument + to_utf8(raw, Charset::kOther);
      case X12Conversion::kLookup: {
        const std::string* text = map_.lookup(row.argument)->find(raw);
        return text == nullptr ? std::string() : *text;
      }
      case X12Conversion::kDecimal: {
        std::string out = x12_decimal(raw);
        if (out.empty()) issue(s, e, row.component, "not a decimal number");
        return out;
      }
      case X12Conversion::kDate:
      case X12Conversion::kPeriodStart:
      case X12Conversion::kPeriodEnd: {
        std::string_view d8 = raw;
        const std::size_t dash = raw.find('-');
        if (row.conversion == X12Conversion::kPeriodStart) d8 = raw.substr(0, dash);
        if (row.conversion == X12Conversion::kPeriodEnd) {
          d8 = dash == std::string_view::npos ? std::string_view() : raw.substr(dash + 1);
        }
        std::string out = x12_date(d8);
        if (out.empty()) issue(s, e, row.component, "not a date (CCYYMMDD)");
        return out;
      }
    }
    return {};
  }

  void apply_value(const X12Row& row, std::uint32_t s) {
    if (doc_.segment_id(s) != row.segment) return;
    const std::uint32_t node = node_of_[s - txn_.header];
    if (!x12_loop_in(row.loops, loop_name(txn_.loops[node]))) return;
    for (const X12Condition& c : row.conditions) {
      if (c.element != 0 && !holds(c, s, 0)) return;
    }
    const std::vector<Resource*> targets = targets_of(key_index(row.key), node);
    if (targets.empty()) return;
    for (int e = row.element_from; e <= row.element_to; ++e) {
      bool applies = true;
      for (const X12Condition& c : row.conditions) {
        if (c.element == 0 && !holds(c, s, e)) applies = false;
      }
      if (!applies) continue;
      const std::string_view raw =
          row.component == 0 ? doc_.element(s, e) : doc_.component(s, e, row.component);
      if (raw.empty()) continue;
      if (row.required_component > 0 && doc_.component(s, e, row.required_component).empty()) {
        continue;
      }
      std::string value = convert(row, s, e, raw);
      if (value.empty()) continue;
      for (Resource* target : targets) {
        Positioned positioned;
        Result<Node*> at = walk(*target, row.path, s, e, node, &positioned);
        if (!at.is_ok()) {
          issue(s, e, row.component, at.status().message());
          continue;
        }
        if (row.conversion == X12Conversion::kPosition) {
          value = std::to_string(position_of(positioned.node, positioned.name));
        }
        (*at)->set(value);
      }
    }
  }

  // 1-based position of `node` among the instances of element `name` of its holder.
  static std::size_t position_of(const Node* node, std::string_view name) {
    if (node == nullptr || node->parent() == nullptr) return 0;
    const std::vector<const Node*> all = node->parent()->all(name);
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i] == node) return i + 1;
    }
    return 0;
  }

  // The element at the first `steps` steps of `path` when it was made; nullptr otherwise.
  static const Node* existing_at(const Resource& resource, const std::vector<X12PathStep>& path,
                                 std::size_t steps) {
    const Node* at = resource.root;
    for (std::size_t i = 0; i < steps && at != nullptr; ++i) {
      const X12PathStep& step = path[i];
      at = at->existing(step.name, step.instance == X12PathStep::Instance::kFixed
                                       ? InstanceKey{step.fixed}
                                       : InstanceKey{});
    }
    return at;
  }

  // Whether the element holding the path's last step was made (a copy qualifies what a value
  // row wrote; it never makes an element of its own).
  static bool holder_exists(const Resource& resource, const std::vector<X12PathStep>& path) {
    return existing_at(resource, path, path.size() - 1) != nullptr;
  }

  void apply_to_all(const X12Row& row) {
    const std::size_t key = key_index(row.key);
    for (const Instance& i : instances_[key]) {
      if (row.kind == X12Row::Kind::kConst) {
        if (row.if_absent) {
          const Node* there = existing_at(*i.resource, row.path, row.path.size());
          if (there != nullptr && there->has_value()) continue;
        }
        Result<Node*> at = walk(*i.resource, row.path, kNone, 0, i.node);
        if (at.is_ok()) (*at)->set(row.argument);
        continue;
      }
      for (const std::string& target_key : row.targets) {
        const Resource* target = nearest(key_index(target_key), i.node);
        if (target == nullptr) continue;
        std::string value;
        if (row.kind == X12Row::Kind::kRef) {
          value = target->full_url;
        } else {
          const Node* from = target->root;
          for (const X12PathStep& step : row.source_path) {
            if (from == nullptr) break;
            from = from->existing(step.name, step.instance == X12PathStep::Instance::kFixed
                                                 ? InstanceKey{step.fixed}
                                                 : InstanceKey{});
          }
          if (from == nullptr || !from->has_value()) continue;
          value = row.argument + std::string(from->value());
          if (!holder_exists(*i.resource, row.path)) break;  // no element to qualify
        }
        Result<Node*> at = walk(*i.resource, row.path, kNone, 0, i.node);
        if (!at.is_ok()) break;
        if (row.kind == X12Row::Kind::kRef) {
          Result<Node*> reference = (*at)->child("reference", {});
          if (reference.is_ok()) (*reference)->set(value);
        } else {
          (*at)->set(value);
        }
        break;
      }
    }
  }

  const x12::Document& doc_;
  const x12::Transaction& txn_;
  const X12MapTable& map_;
  ResourceBuilder& builder_;
  std::map<const Resource*, X12EntryMode>& modes_;
  std::vector<MappingIssue>& issues_;
  std::vector<std::uint32_t> node_of_;            // per segment of the set, from its header
  std::vector<int> ordinal_;                      // per loop occurrence: its number among its kind
  std::vector<std::vector<Instance>> instances_;  // per resource declaration
  // (declaration, loop occurrence) -> its resource; (declaration, loop occurrence) -> the
  // resource of its first child occurrence holding one.
  std::unordered_map<std::uint64_t, Resource*> at_node_, under_node_;
  std::map<std::string, std::vector<const X12Row*>, std::less<>> rows_by_segment_;
};

// "identifier=<system>|<value>" of the resource's first identifier with both; "" when none.
std::string identity_of(const Resource& resource) {
  for (const Node* id : resource.root->all("identifier")) {
    const Node* system = id->existing("system", {});
    const Node* value = id->existing("value", {});
    if (system == nullptr || value == nullptr || !system->has_value() || !value->has_value()) {
      continue;
    }
    return "identifier=" +
           url_encode(std::string(system->value()) + "|" + std::string(value->value()));
  }
  return {};
}

// How an entry writes `resource`: by the mode its map row gave, when it has an identity.
EntryRequest request_for(const Resource& resource,
                         const std::map<const Resource*, X12EntryMode>& modes) {
  EntryRequest request;
  request.url = resource.type;
  const std::string identity = identity_of(resource);
  const auto mode = modes.find(&resource);
  if (!identity.empty() && mode != modes.end() && mode->second != X12EntryMode::kCreate) {
    request.key = resource.type + "?" + identity;
    if (mode->second == X12EntryMode::kUpdate) {
      request.method = "PUT";
      request.url = request.key;
    } else {
      request.if_none_exist = identity;
    }
  }
  return request;
}

}  // namespace

Result<MappedMessage> map_x12(const x12::Document& document, const std::vector<X12SetIndex>& sets,
                              std::function<std::string()> make_id) {
  ResourceBuilder builder(std::move(make_id));
  MappedMessage out;
  std::map<const Resource*, X12EntryMode> modes;
  std::size_t mapped = 0;
  for (const X12SetIndex& at : sets) {
    const x12::Transaction& txn =
        document.interchanges()[at.interchange].groups[at.group].transactions[at.transaction];
    const X12MapTable* map = find_x12_map(txn.set_id, txn.convention);
    if (map == nullptr || txn.loops.empty()) continue;
    if (out.map_name.empty()) out.map_name = map->set_id + " " + map->guide;
    SetMapping mapping(document, txn, *map, builder, modes, out.issues);
    HEARTH_RETURN_IF_ERROR(mapping.run());
    ++mapped;
  }
  if (mapped == 0) return Status(Code::kNotImplemented, "no X12 map for these transaction sets");
  HEARTH_ASSIGN_OR_RETURN(
      out.bundle,
      write_transaction_bundle(
          builder, [&modes](const Resource& r) { return request_for(r, modes); }, &out.resources));
  return out;
}

}  // namespace hearth::hl7::to_fhir
