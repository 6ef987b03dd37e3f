// Walks the generated element tables: required children first, then (for a complex value left
// empty) one optional primitive child.
#include "conformance/minimal_resource.h"

#include <string>

#include "fhir/model.h"
#include "fhir/validate.h"
#include "fhir/value_set.h"

namespace hearth::conformance {
namespace {

constexpr int kMaxDepth = 12;

// A placeholder for a primitive type code, valid by its lexical rules.
fhir::JsonValue primitive_value(std::string_view code, fhir::JsonAllocator& a) {
  if (code == "boolean") return fhir::JsonValue(true);
  if (code == "integer" || code == "positiveInt") return fhir::make_json_number("1", a);
  if (code == "unsignedInt") return fhir::make_json_number("0", a);
  if (code == "decimal") return fhir::make_json_number("1.0", a);
  if (code == "date") return fhir::make_json_string("2020-01-01", a);
  if (code == "dateTime") return fhir::make_json_string("2020-01-01T00:00:00Z", a);
  if (code == "instant") return fhir::make_json_string("2020-01-01T00:00:00.000Z", a);
  if (code == "time") return fhir::make_json_string("12:00:00", a);
  if (code == "code") return fhir::make_json_string("unknown", a);
  if (code == "id") return fhir::make_json_string("smoke", a);
  if (code == "oid") return fhir::make_json_string("urn:oid:1.2.3", a);
  if (code == "uuid")
    return fhir::make_json_string("urn:uuid:9d4f5b1e-8c1a-4d3b-9e6f-2a7c0b5d1e3f", a);
  if (code == "uri" || code == "url" || code == "canonical") {
    return fhir::make_json_string("http://example.org/hearth-smoke", a);
  }
  if (code == "base64Binary") return fhir::make_json_string("AAAA", a);
  if (code == "xhtml")
    return fhir::make_json_string("<div xmlns=\"http://www.w3.org/1999/xhtml\">smoke</div>", a);
  return fhir::make_json_string("smoke", a);  // string, markdown
}

std::string capitalised(std::string_view code) {
  std::string out(code);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

class Builder {
 public:
  explicit Builder(fhir::JsonAllocator& a) : a_(a) {}

  // Fills `object` with the children of element `parent` of `type`.
  Status fill(const fhir::TypeDef& type, std::uint32_t parent, fhir::JsonValue& object, int depth,
              const std::string& path) {
    if (depth > kMaxDepth)
      return {Code::kNotImplemented, path + ": the required elements nest too deep"};
    std::uint32_t holder = fhir::resolve_content_reference(type, parent);
    for (std::uint32_t child : fhir::children(type, holder)) {
      if (type.elements[child].min == 0) continue;
      HEARTH_RETURN_IF_ERROR(add(type, child, object, depth, path));
    }
    if (depth == 0 || object.MemberCount() > 0) return {};
    // FHIR has no empty objects: one optional primitive child, a string one when possible.
    std::int64_t best = -1;
    for (std::uint32_t child : fhir::children(type, holder)) {
      const fhir::ElementDef& e = type.elements[child];
      if (e.name == "id" || e.types.empty() || e.is_backbone() || !is_primitive(e.types[0]))
        continue;
      if (best < 0 || (e.types[0].code == "string" &&
                       type.elements[static_cast<std::size_t>(best)].types[0].code != "string"))
        best = child;
    }
    if (best < 0)
      return {Code::kNotImplemented, path + ": no primitive element to make it non-empty"};
    return add(type, static_cast<std::uint32_t>(best), object, depth, path);
  }

 private:
  static bool is_primitive(const fhir::TypeRef& t) {
    if (t.type_index < 0) return true;
    return fhir::all_types()[t.type_index].kind == fhir::TypeKind::kPrimitive;
  }

  // Adds element `index` of `type` to `object` under its JSON name.
  Status add(const fhir::TypeDef& type, std::uint32_t index, fhir::JsonValue& object, int depth,
             const std::string& path) {
    const fhir::ElementDef& e = type.elements[index];
    std::string name(e.name);
    std::string child_path = path + "." + name;
    fhir::JsonValue value;
    if (e.is_backbone() || !e.content_reference.empty()) {
      value.SetObject();
      HEARTH_RETURN_IF_ERROR(fill(type, index, value, depth + 1, child_path));
    } else if (e.types.empty()) {
      return {Code::kNotImplemented, child_path + ": the model gives it no type"};
    } else {
      const fhir::TypeRef& t = e.types[0];
      if (e.is_choice()) name = name.substr(0, name.size() - 3) + capitalised(t.code);
      if (is_primitive(t)) {
        value = primitive_value(t.code, a_);
        if (e.value_set_index >= 0 && t.code == "code") {
          // A required binding: "unknown" when the value set has it, else its first code.
          const fhir::ValueSetDef& vs =
              fhir::value_sets()[static_cast<std::size_t>(e.value_set_index)];
          if (fhir::check_code(vs, {}, "unknown") == fhir::Membership::kNotMember &&
              !vs.codes.empty()) {
            value = fhir::make_json_string(fhir::code_text(vs.codes[0]), a_);
          }
        }
      } else {
        const fhir::TypeDef& def = fhir::all_types()[t.type_index];
        if (def.kind == fhir::TypeKind::kResource) {
          return {Code::kNotImplemented, child_path + ": a required resource (" +
                                             std::string(t.code) + ") cannot be made generically"};
        }
        value.SetObject();
        HEARTH_RETURN_IF_ERROR(fill(def, 0, value, depth + 1, child_path));
      }
    }
    if (e.is_repeating()) {
      fhir::JsonValue array(rapidjson::kArrayType);
      array.PushBack(value, a_);
      value = std::move(array);
    }
    object.AddMember(fhir::make_json_string(name, a_), value, a_);
    return {};
  }

  fhir::JsonAllocator& a_;
};

}  // namespace

Result<fhir::JsonDocument> minimal_resource(std::string_view type, std::string_view id) {
  const fhir::TypeDef* def = fhir::find_type(type);
  if (def == nullptr || !fhir::is_resource_type(type)) {
    return Status(Code::kInvalidArgument, "'" + std::string(type) + "' is not an R4 resource type");
  }
  fhir::JsonDocument doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  doc.AddMember("resourceType", fhir::make_json_string(type, a), a);
  if (!id.empty()) doc.AddMember("id", fhir::make_json_string(id, a), a);
  Builder builder(a);
  HEARTH_RETURN_IF_ERROR(builder.fill(*def, 0, doc, 0, std::string(type)));
  if (Status valid = fhir::validate_resource(doc, type); !valid.is_ok()) {
    const Issue* first = &valid.issues().front();
    for (const Issue& issue : valid.issues()) {
      if (issue.severity == Severity::kError) {
        first = &issue;
        break;
      }
    }
    return Status(Code::kNotImplemented, "the generated " + std::string(type) +
                                             " does not validate (" + first->type +
                                             "): " + first->diagnostics);
  }
  return doc;
}

}  // namespace hearth::conformance
