// The validator: one recursive walk over the JSON alongside the generated element tables. The
// current location is a stack of (name, index) views into the JSON and the tables; it becomes
// text only when an issue is reported, so a valid resource costs no string building.
#include "fhir/validate.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fhir/binding_check.h"
#include "fhir/element_path.h"
#include "fhir/invariants.h"
#include "fhir/model.h"
#include "fhir/primitive.h"
#include "fhir/value_set.h"

namespace hearth::fhir {
namespace {

constexpr std::string_view kStructure = "structure";
constexpr std::string_view kRequired = "required";
constexpr std::string_view kValue = "value";
constexpr std::string_view kInvalid = "invalid";
constexpr std::string_view kCodeInvalid = "code-invalid";
constexpr std::string_view kInvariant = "invariant";
constexpr std::string_view kEle1 = "ele-1: All FHIR elements must have a @value or children";
constexpr std::string_view kExt1 = "ext-1: Must have either extensions or value[x], not both";

// Is `obj` an object whose only property is "id"?
bool only_id(const JsonValue& obj) {
  return obj.MemberCount() == 1 && obj.MemberBegin()->name.GetStringLength() == 2 &&
         std::string_view(obj.MemberBegin()->name.GetString(), 2) == "id";
}

// For each type index of all_types(): its Primitive + 1, or 0 for a non-primitive type.
const std::vector<std::uint8_t>& primitive_table() {
  static const std::vector<std::uint8_t> table = [] {
    std::vector<std::uint8_t> out;
    for (const TypeDef& t : all_types()) {
      auto p = t.kind == TypeKind::kPrimitive ? primitive_from_name(t.name) : std::nullopt;
      out.push_back(p ? static_cast<std::uint8_t>(static_cast<int>(*p) + 1) : 0);
    }
    return out;
  }();
  return table;
}

std::string_view key(const JsonValue::Member& m) {
  return {m.name.GetString(), m.name.GetStringLength()};
}

const JsonValue* find_member(const JsonValue& obj, std::string_view name) {
  for (const auto& m : obj.GetObject()) {
    if (key(m) == name) return &m.value;
  }
  return nullptr;
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  out += text.substr(0, kMax);
  if (text.size() > kMax) out += "...";
  return out + "'";
}

class Validator {
 public:
  Validator(Invariants invariants, ValidationScope scope)
      : invariants_(invariants), operation_(scope == ValidationScope::kOperation) {
    path_.reserve(32);
  }

  void validate_root(const JsonValue& v, std::string_view expected) {
    const TypeDef* type = resource_type_of(v, expected);
    if (type == nullptr) return;
    resource_ = root_ = top_ = &v;
    top_type_ = type;
    path_.push_back({type->name, -1});
    members(v, *type, 0, true);
    path_.pop_back();
    // Invariants assume the structure they navigate: on a write, evaluated only over a sound
    // one (a code outside its value set does not make it unsound); $validate evaluates them
    // anyway, to list every issue.
    if (invariants_ == Invariants::kNone) return;
    for (const Issue& issue : issues_) {
      if (!operation_ && issue.severity == Severity::kError && issue.type != kCodeInvalid) return;
    }
    check_invariants(sites_, issues_, kMaxValidationIssues, guarding());
  }

  std::vector<Issue> take_issues() { return std::move(issues_); }

 private:
  // Trivially constructible (no string_view member), so that the array of them in members()
  // is not cleared on every call: it is written before it is read.
  struct Matched {
    std::int32_t element;
    bool underscore;
    const JsonValue::Member* member;
    std::string_view name() const { return key(*member); }
  };
  static constexpr std::size_t kMaxMembers = 128;

  bool full() const { return issues_.size() >= kMaxValidationIssues; }

  void report(std::string_view type, std::string diagnostics,
              Severity severity = Severity::kError) {
    if (full()) return;
    issues_.push_back(
        Issue{severity, std::string(type), std::move(diagnostics), element_path(path_)});
  }

  // Checks the resourceType of a resource object; the type, or nullptr after reporting.
  const TypeDef* resource_type_of(const JsonValue& v, std::string_view expected) {
    if (!v.IsObject()) {
      report(kStructure, "a resource must be a JSON object");
      return nullptr;
    }
    const JsonValue* rt = nullptr;
    for (const auto& m : v.GetObject()) {
      if (key(m) != "resourceType") continue;
      if (rt != nullptr) report(kStructure, "duplicate property 'resourceType'");
      rt = &m.value;
    }
    if (rt == nullptr) {
      report(kRequired, "missing 'resourceType'");
      return nullptr;
    }
    std::string_view name = is_json_string(*rt) ? json_string(*rt) : std::string_view();
    if (!is_resource_type(name)) {
      report(kInvalid, "unknown resourceType " + quoted(name));
      return nullptr;
    }
    if (!expected.empty() && name != expected) {
      report(kInvalid,
             "resourceType " + quoted(name) + " does not match the expected " + quoted(expected));
      return nullptr;
    }
    return find_type(name);
  }

  // Validates the properties of `obj` against the children of element `parent` of `type`.
  void members(const JsonValue& obj, const TypeDef& type, std::uint32_t parent,
               bool resource_root) {
    if (parent == 0) {
      record_site(obj, type, 0, &type, &type, 0);
    } else {
      record_site(obj, type, parent, backbone_type(type, parent), &type, parent);
    }
    if (parent == 0 && type.name == "Extension") extension_rule(obj);
    std::array<Matched, kMaxMembers> matched;
    std::size_t matched_count = 0;
    for (const auto& m : obj.GetObject()) {
      if (full()) return;
      std::string_view name = key(m);
      if (resource_root && name == "resourceType") continue;
      bool underscore = name.starts_with('_');
      std::string_view base = underscore ? name.substr(1) : name;
      ChildMatch match = find_child(type, parent, base);
      path_.push_back({base, -1});
      if (match.found() && match.type != nullptr && type.elements[match.index].is_choice()) {
        path_.back().choice_type = match.type->code;
      }
      if (!match.found()) {
        report(kStructure, "unknown property " + quoted(name));
        path_.pop_back();
        continue;
      }
      bool skip = false;
      for (std::size_t i = 0; i < matched_count && !skip; ++i) {
        const Matched& other = matched[i];
        if (other.element != match.index) continue;
        if (other.underscore == underscore && other.name() == name) {
          report(kStructure, "duplicate property " + quoted(name));
          skip = true;
        } else if (other.name().substr(other.underscore ? 1 : 0) != base) {
          report(kStructure, "more than one type given for choice element " +
                                 quoted(type.elements[match.index].name));
          skip = true;
        }
      }
      if (!skip && matched_count == kMaxMembers) {
        report(kStructure, "too many properties");
        skip = true;
      }
      if (!skip) {
        matched[matched_count++] = Matched{match.index, underscore, &m};
        if (underscore) {
          primitive_extension(m.value, obj, base, type, match);
        } else {
          element_value(m.value, obj, name, type, match);
        }
      }
      path_.pop_back();
    }
    for (std::uint32_t child : children(type, parent)) {
      const ElementDef& e = type.elements[child];
      if (e.min == 0) continue;
      bool present = false;
      for (std::size_t i = 0; i < matched_count && !present; ++i) {
        present = matched[i].element == static_cast<std::int32_t>(child);
      }
      if (!present) {
        // The expression names the missing element itself, not its parent.
        path_.push_back({e.name, -1});
        report(kRequired, "missing required element " + quoted(e.name));
        path_.pop_back();
      }
    }
  }

  // The value of a (non-underscore) property, array or single per the element's max.
  void element_value(const JsonValue& v, const JsonValue& obj, std::string_view name,
                     const TypeDef& type, const ChildMatch& match) {
    const ElementDef& e = type.elements[match.index];
    if (e.max == 0) {
      report(kStructure, "element " + quoted(name) + " is not allowed here");
      return;
    }
    if (!e.is_repeating()) {
      if (v.IsArray()) {
        report(kStructure, "element " + quoted(name) + " has max 1 and must not be an array");
      } else if (v.IsNull()) {
        report(kStructure, "null is not allowed for " + quoted(name));
      } else {
        item(v, type, match);
      }
      return;
    }
    if (!v.IsArray()) {
      report(kStructure, "element " + quoted(name) + " repeats and must be a JSON array");
      return;
    }
    check_array_size(v, e, name);
    const JsonValue* ext = nullptr;
    bool ext_looked = false;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      path_.back().index = static_cast<std::int32_t>(i);
      if (!v[i].IsNull()) {
        item(v[i], type, match);
        continue;
      }
      if (!ext_looked) {
        ext = find_member(obj, "_" + std::string(name));
        ext_looked = true;
      }
      bool covered = primitive_index(match) >= 0 && ext != nullptr && ext->IsArray() &&
                     i < ext->Size() && !(*ext)[i].IsNull();
      if (!covered) {
        report(kStructure, "null in " + quoted(name) + " without a matching extension in " +
                               quoted("_" + std::string(name)));
      }
    }
    path_.back().index = -1;
  }

  void check_array_size(const JsonValue& v, const ElementDef& e, std::string_view name) {
    if (v.Empty()) report(kStructure, "array " + quoted(name) + " must not be empty");
    if (e.max != kUnbounded && v.Size() > e.max) {
      report(kStructure, "array " + quoted(name) + " has " + std::to_string(v.Size()) +
                             " items, more than the maximum " + std::to_string(e.max));
    }
  }

  // "_name": the id/extension part of a primitive (or an array of them aligned with "name").
  void primitive_extension(const JsonValue& v, const JsonValue& obj, std::string_view base,
                           const TypeDef& type, const ChildMatch& match) {
    const ElementDef& e = type.elements[match.index];
    if (primitive_index(match) < 0) {
      report(kStructure, "'_" + std::string(base) + "' is only allowed for primitive elements");
      return;
    }
    if (!e.is_repeating()) {
      if (v.IsArray()) {
        report(kStructure, "'_" + std::string(base) + "' has max 1 and must not be an array");
      } else {
        const JsonValue* value = find_member(obj, base);
        element_object(v, value != nullptr && !value->IsNull());
      }
      return;
    }
    if (!v.IsArray()) {
      report(kStructure, "'_" + std::string(base) + "' repeats and must be a JSON array");
      return;
    }
    const JsonValue* values = find_member(obj, base);
    if (values != nullptr && values->IsArray() && values->Size() != v.Size()) {
      report(kStructure, "'_" + std::string(base) + "' must have as many items as " + quoted(base));
    }
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      path_.back().index = static_cast<std::int32_t>(i);
      bool has_value =
          values != nullptr && values->IsArray() && i < values->Size() && !(*values)[i].IsNull();
      if (!v[i].IsNull()) {
        element_object(v[i], has_value);
        continue;
      }
      if (!has_value) report(kStructure, "null in both " + quoted(base) + " and its extension");
    }
    path_.back().index = -1;
  }

  // The Element part of a primitive: {"id": ..., "extension": [...]}.
  void element_object(const JsonValue& v, bool has_value) {
    static const TypeDef* const kElement = find_type("Element");
    if (!v.IsObject() || v.ObjectEmpty()) {
      report(kStructure, "a primitive's extension part must be a non-empty JSON object");
      return;
    }
    if (!has_value && only_id(v)) report(kInvariant, std::string(kEle1));
    members(v, *kElement, 0, false);
  }

  // The Primitive (as int) of the matched element's type, or -1.
  static int primitive_index(const ChildMatch& match) {
    if (match.type == nullptr || match.type->type_index < 0) return -1;
    return static_cast<int>(primitive_table()[match.type->type_index]) - 1;
  }

  // One value (not an array) of an element.
  void item(const JsonValue& v, const TypeDef& type, const ChildMatch& match) {
    const ElementDef& e = type.elements[match.index];
    if (e.content_ref_index >= 0 || e.is_backbone()) {
      if (object_ok(v)) {
        members(v, type, resolve_content_reference(type, match.index), false);
      }
      return;
    }
    if (match.type == nullptr || match.type->type_index < 0) return;  // system type: unused
    const TypeDef& value_type = all_types()[match.type->type_index];
    if (value_type.kind != TypeKind::kResource) {
      record_site(v, type, match.index, &value_type, &value_type, 0);
    }
    if (e.value_set_index >= 0) {
      const ValueSetDef& vs = value_sets()[static_cast<std::size_t>(e.value_set_index)];
      if (auto problem = check_binding(v, match.type->code, vs)) {
        report(kCodeInvalid, std::move(problem->diagnostics), problem->severity);
      }
    } else if (operation_ && (e.binding_strength == BindingStrength::kExtensible ||
                              e.binding_strength == BindingStrength::kPreferred)) {
      if (auto problem =
              check_advisory_binding(v, match.type->code, e.value_set, e.binding_strength)) {
        report(kCodeInvalid, std::move(*problem), Severity::kInformation);
      }
    }
    int prim = primitive_index(match);
    if (prim >= 0) {
      primitive(v, static_cast<Primitive>(prim));
      return;
    }
    const TypeDef& t = all_types()[match.type->type_index];
    if (t.kind == TypeKind::kResource) {
      nested_resource(v);
    } else if (object_ok(v)) {
      members(v, t, 0, false);
    }
  }

  void nested_resource(const JsonValue& v) {
    const TypeDef* type = resource_type_of(v, {});
    if (type == nullptr) return;
    // A contained resource keeps its container as %rootResource; any other (a Bundle entry's, a
    // Parameters value) is a root of its own.
    const JsonValue* saved_resource = resource_;
    const JsonValue* saved_root = root_;
    resource_ = &v;
    if (path_.back().name != "contained") root_ = &v;
    members(v, *type, 0, true);
    resource_ = saved_resource;
    root_ = saved_root;
  }

  // The type a backbone element's values have for FHIRPath (BackboneElement, or Element).
  static const TypeDef* backbone_type(const TypeDef& type, std::uint32_t element) {
    static const TypeDef* const kBackbone = find_type("BackboneElement");
    const ElementDef& e = type.elements[element];
    if (e.types.empty() || e.types[0].type_index < 0) return kBackbone;
    return &all_types()[e.types[0].type_index];
  }

  // Records value `v` of element `element` of `owner` when the element declares constraints
  // that FHIRPath must evaluate (invariants.h). The value's FHIRPath node has type `node_type`
  // and takes its children from element `node_element` of `node_owner` (fhirpath/item.h).
  void record_site(const JsonValue& v, const TypeDef& owner, std::uint32_t element,
                   const TypeDef* node_type, const TypeDef* node_owner,
                   std::uint32_t node_element) {
    if (invariants_ == Invariants::kNone) return;
    if (invariants_ == Invariants::kBelowEnvelope && resource_ == top_ && &owner == top_type_) {
      return;
    }
    std::span<const ConstraintDef> constraints = constraints_of(owner, element);
    if (constraints.empty()) return;
    fhirpath::Item node;
    node.json = &v;
    node.type = node_type;
    node.owner = node_owner;
    node.element = node_element;
    if (!path_.empty()) node.name = path_.back().name;
    if (!needs_evaluation(constraints, node, guarding())) return;
    InvariantSite& site = sites_.emplace_back();
    site.constraints = constraints;
    site.resource = resource_;
    site.root_resource = root_;
    site.path = element_path(path_);
    site.node = std::move(node);
  }

  Guarding guarding() const {
    return invariants_ == Invariants::kUnguarded ? Guarding::kOff : Guarding::kOn;
  }

  // ext-1, natively: an extension has a value or nested extensions, not both, not neither.
  void extension_rule(const JsonValue& obj) {
    bool has_extensions = false, has_value = false;
    for (const auto& m : obj.GetObject()) {
      std::string_view name = key(m);
      if (name == "extension") has_extensions = m.value.IsArray() && !m.value.Empty();
      if (name.starts_with("value") || name.starts_with("_value")) has_value = true;
    }
    if (has_extensions == has_value) report(kInvariant, std::string(kExt1));
  }

  bool object_ok(const JsonValue& v) {
    if (!v.IsObject()) {
      report(kStructure, "expected a JSON object");
      return false;
    }
    if (v.ObjectEmpty()) {
      report(kStructure, "empty JSON object");
      return false;
    }
    if (only_id(v)) report(kInvariant, std::string(kEle1));  // ele-1, natively
    return true;
  }

  void primitive(const JsonValue& v, Primitive p) {
    std::string_view name = primitive_name(p);
    switch (json_shape(p)) {
      case JsonShape::kBoolean:
        if (!v.IsBool()) report(kValue, "a boolean must be JSON true or false");
        return;
      case JsonShape::kNumber:
        if (!is_json_number(v)) {
          report(kValue, "a " + std::string(name) + " must be a JSON number");
        } else if (!is_valid_primitive(p, json_number_text(v))) {
          report(kValue, quoted(json_number_text(v)) + " is not a valid " + std::string(name));
        }
        return;
      case JsonShape::kString:
        if (!is_json_string(v)) {
          report(kValue, "a " + std::string(name) + " must be a JSON string");
        } else if (!is_valid_primitive(p, json_string(v))) {
          report(kValue, quoted(json_string(v)) + " is not a valid " + std::string(name));
        }
        return;
    }
  }

  std::vector<Issue> issues_;
  std::vector<PathStep> path_;
  std::vector<InvariantSite> sites_;
  const Invariants invariants_;
  const bool operation_;                 // ValidationScope::kOperation
  const JsonValue* resource_ = nullptr;  // the resource holding the current value
  const JsonValue* root_ = nullptr;      // its container, or itself (%rootResource)
  const JsonValue* top_ = nullptr;       // the resource validated (kBelowEnvelope's envelope)
  const TypeDef* top_type_ = nullptr;
};

}  // namespace

std::vector<Issue> validation_issues(const JsonValue& resource, std::string_view expected_type,
                                     Invariants invariants, ValidationScope scope) {
  Validator validator(invariants, scope);
  validator.validate_root(resource, expected_type);
  return validator.take_issues();
}

Status validate_resource(const JsonValue& resource, std::string_view expected_type,
                         Invariants invariants) {
  std::vector<Issue> issues = validation_issues(resource, expected_type, invariants);
  for (const Issue& issue : issues) {
    if (issue.severity == Severity::kError || issue.severity == Severity::kFatal) {
      return {Code::kUnprocessable, std::move(issues)};
    }
  }
  return Status::ok();
}

}  // namespace hearth::fhir
