// The XML writer: for each JSON object, its members are matched to element definitions, sorted
// into definition order on one shared stack (no per-object allocation once warm), and written
// by appending to the output string.
#include "fhir/xml/xml_writer.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "fhir/element_path.h"
#include "fhir/model.h"
#include "fhir/xml/xhtml_text.h"
#include "fhir/xml/xml_escape.h"
#include "fhir/xml/xml_model.h"
#include "fhir/xml/xml_reader.h"
#include "fhir/xml/xml_tree.h"

namespace hearth::fhir {
namespace {

using detail::XmlShape;
using detail::XmlTarget;

std::string_view key_of(const JsonValue::Member& m) {
  return {m.name.GetString(), m.name.GetStringLength()};
}

class Writer {
 public:
  Writer(std::string& out, bool pretty) : out_(out), pretty_(pretty) {
    path_.reserve(32);
    stack_.reserve(64);
  }

  Status write_resource(const JsonValue& resource, int depth) {
    if (!resource.IsObject()) return invalid("a resource must be a JSON object");
    auto rt = resource.FindMember("resourceType");
    if (rt == resource.MemberEnd() || !is_json_string(rt->value)) {
      return invalid("missing resourceType");
    }
    std::string_view name = json_string(rt->value);
    const TypeDef* type = is_resource_type(name) ? find_type(name) : nullptr;
    if (type == nullptr) return invalid("unknown resourceType '" + std::string(name) + "'");
    bool root = path_.empty();
    if (root) path_.push_back({type->name, -1});
    Status s = write_element(type->name, *type, 0, &resource, nullptr, depth, root, true);
    if (root) path_.pop_back();
    return s;
  }

 private:
  // One element to write: a JSON property and its "_name" sibling merged.
  struct Entry {
    std::uint32_t element;
    const TypeRef* type;
    std::string_view name;
    const JsonValue* value;
    const JsonValue* ext;
  };

  Status invalid(std::string message, std::string_view last = {}) const {
    return Status(Code::kInvalidArgument, std::move(message), element_path(path_, last),
                  "structure");
  }

  void indent(int depth) {
    if (pretty_) out_.append(static_cast<std::size_t>(depth) * 2, ' ');
  }
  void newline() {
    if (pretty_) out_ += '\n';
  }

  // Matches the members of `obj` against children(type, elem) onto stack_ (from its current
  // size), merging "x" with "_x", then sorts them into definition order.
  Status collect(const JsonValue& obj, const TypeDef& type, std::uint32_t elem, bool is_resource,
                 std::size_t base) {
    bool is_primitive = type.kind == TypeKind::kPrimitive;
    for (const auto& m : obj.GetObject()) {
      std::string_view name = key_of(m);
      if (is_resource && name == "resourceType") continue;
      bool underscore = name.starts_with('_');
      std::string_view plain = underscore ? name.substr(1) : name;
      ChildMatch match = find_child(type, elem, plain);
      if (!match.found() || (is_primitive && plain == "value")) {
        return invalid("unknown property '" + std::string(name) + "'", name);
      }
      auto found = std::find_if(stack_.begin() + static_cast<std::ptrdiff_t>(base), stack_.end(),
                                [&](const Entry& e) { return e.name == plain; });
      if (found == stack_.end()) {
        stack_.push_back(
            Entry{static_cast<std::uint32_t>(match.index), match.type, plain, nullptr, nullptr});
        found = stack_.end() - 1;
      }
      const JsonValue*& slot = underscore ? found->ext : found->value;
      if (slot != nullptr) return invalid("duplicate property '" + std::string(name) + "'", name);
      slot = &m.value;
    }
    // Insertion sort: stable, allocation-free, and JSON members usually come nearly in order.
    auto first = stack_.begin() + static_cast<std::ptrdiff_t>(base);
    for (auto it = first; it != stack_.end(); ++it) {
      Entry moving = *it;
      auto hole = it;
      for (; hole != first && (hole - 1)->element > moving.element; --hole) *hole = *(hole - 1);
      *hole = moving;
    }
    for (auto it = first; it != stack_.end(); ++it) {
      if (it != first && (it - 1)->element == it->element &&
          !type.elements[it->element].is_repeating()) {
        return invalid("more than one type given for '" + std::string(it->name) + "'", it->name);
      }
    }
    return Status::ok();
  }

  // Writes one element named `name` whose content is defined by children(type, elem): the
  // members of `obj` (may be null), plus `value` as the value attribute of a primitive.
  Status write_element(std::string_view name, const TypeDef& type, std::uint32_t elem,
                       const JsonValue* obj, const std::string_view* value, int depth, bool root,
                       bool is_resource) {
    std::size_t base = stack_.size();
    if (obj != nullptr) HEARTH_RETURN_IF_ERROR(collect(*obj, type, elem, is_resource, base));
    std::size_t end = stack_.size();
    indent(depth);
    out_ += '<';
    out_ += name;
    if (root) {
      out_ += " xmlns=\"";
      out_ += detail::kFhirNamespace;
      out_ += '"';
    }
    bool has_children = false;
    for (std::size_t i = base; i < end; ++i) {
      const Entry& e = stack_[i];
      if ((type.elements[e.element].flags & kElementXmlAttr) == 0) {
        has_children = true;
        continue;
      }
      if (e.ext != nullptr || e.value == nullptr || !is_json_string(*e.value)) {
        return invalid("'" + std::string(e.name) + "' must be a string (without extensions)",
                       e.name);
      }
      HEARTH_RETURN_IF_ERROR(append_attribute(e.name, json_string(*e.value)));
    }
    if (value != nullptr) HEARTH_RETURN_IF_ERROR(append_attribute("value", *value));
    if (!has_children) {
      out_ += "/>";
      newline();
      stack_.resize(base);
      return Status::ok();
    }
    out_ += '>';
    newline();
    for (std::size_t i = base; i < end; ++i) {
      Entry e = stack_[i];  // a copy: recursion grows stack_
      if ((type.elements[e.element].flags & kElementXmlAttr) != 0) continue;
      HEARTH_RETURN_IF_ERROR(write_entry(type, e, depth + 1));
    }
    stack_.resize(base);
    indent(depth);
    out_ += "</";
    out_ += name;
    out_ += '>';
    newline();
    return Status::ok();
  }

  Status append_attribute(std::string_view name, std::string_view text) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    if (!detail::append_attribute_escaped(text, out_)) {
      return invalid("a character XML cannot carry", name);
    }
    out_ += '"';
    return Status::ok();
  }

  Status write_entry(const TypeDef& type, const Entry& e, int depth) {
    const ElementDef& def = type.elements[e.element];
    XmlTarget target = detail::xml_target(type, e.element, e.type);
    if (target.type == nullptr) return invalid("element has no usable type", e.name);
    if (target.shape != XmlShape::kPrimitive && e.ext != nullptr) {
      return invalid("'_" + std::string(e.name) + "' on an element that is not a primitive",
                     e.name);
    }
    if (!def.is_repeating()) {
      if ((e.value != nullptr && e.value->IsArray()) || (e.ext != nullptr && e.ext->IsArray())) {
        return invalid("an array where one value is allowed", e.name);
      }
      path_.push_back({e.name, -1});
      Status s = write_one(target, e.name, e.value, e.ext, depth);
      path_.pop_back();
      return s;
    }
    if ((e.value != nullptr && !e.value->IsArray()) || (e.ext != nullptr && !e.ext->IsArray())) {
      return invalid("'" + std::string(e.name) + "' must be an array", e.name);
    }
    rapidjson::SizeType values = e.value != nullptr ? e.value->Size() : 0;
    rapidjson::SizeType exts = e.ext != nullptr ? e.ext->Size() : 0;
    if (e.value != nullptr && e.ext != nullptr && values != exts) {
      return invalid("'" + std::string(e.name) + "' and its '_' array differ in length", e.name);
    }
    rapidjson::SizeType count = std::max(values, exts);
    if (count == 0) return invalid("empty array", e.name);
    for (rapidjson::SizeType i = 0; i < count; ++i) {
      path_.push_back({e.name, static_cast<std::int32_t>(i)});
      Status s = write_one(target, e.name, i < values ? &(*e.value)[i] : nullptr,
                           i < exts ? &(*e.ext)[i] : nullptr, depth);
      path_.pop_back();
      HEARTH_RETURN_IF_ERROR(s);
    }
    return Status::ok();
  }

  Status write_one(const XmlTarget& target, std::string_view name, const JsonValue* value,
                   const JsonValue* ext, int depth) {
    if (value != nullptr && value->IsNull()) value = nullptr;
    if (ext != nullptr && ext->IsNull()) ext = nullptr;
    switch (target.shape) {
      case XmlShape::kPrimitive: return write_primitive(target, name, value, ext, depth);
      case XmlShape::kComplex:
        if (value == nullptr || !value->IsObject()) return invalid("expected a JSON object");
        return write_element(name, *target.type, target.element, value, nullptr, depth, false,
                             false);
      case XmlShape::kResource: {
        if (value == nullptr) return invalid("expected a resource");
        indent(depth);
        out_ += '<';
        out_ += name;
        out_ += '>';
        newline();
        HEARTH_RETURN_IF_ERROR(write_resource(*value, depth + 1));
        indent(depth);
        out_ += "</";
        out_ += name;
        out_ += '>';
        newline();
        return Status::ok();
      }
      case XmlShape::kXhtml:
        if (value == nullptr || !is_json_string(*value)) return invalid("expected an XHTML string");
        return write_div(json_string(*value), depth);
    }
    return Status::ok();
  }

  Status write_primitive(const XmlTarget& target, std::string_view name, const JsonValue* value,
                         const JsonValue* ext, int depth) {
    if (value == nullptr && ext == nullptr) return invalid("null without an extension");
    if (ext != nullptr && !ext->IsObject()) {
      return invalid("'_" + std::string(name) + "' must be an object");
    }
    std::string_view text;
    if (value != nullptr) {
      bool ok = false;
      switch (detail::json_kind_of_primitive(target.type->name)) {
        case detail::JsonKind::kBoolean:
          ok = value->IsBool();
          if (ok) text = value->GetBool() ? "true" : "false";
          break;
        case detail::JsonKind::kNumber:
          ok = is_json_number(*value);
          if (ok) text = json_number_text(*value);
          break;
        case detail::JsonKind::kString:
          ok = is_json_string(*value);
          if (ok) text = json_string(*value);
          break;
      }
      if (!ok) return invalid("not a JSON value for a " + std::string(target.type->name));
    }
    return write_element(name, *target.type, 0, ext, value != nullptr ? &text : nullptr, depth,
                         false, false);
  }

  // The div goes out as it is (but for whitespace a parser would normalise) once it parses on
  // its own as one element, so no text can escape it; the xhtml namespace is added when the
  // JSON left it out.
  Status write_div(std::string_view div, int depth) {
    // Bounded like an XML body (xml_reader.h): a stored JSON div of millions of tiny elements
    // must not cost a tree of millions of nodes on every read as XML.
    Result<detail::XmlDocPtr> tree =
        detail::parse_xml_tree(div, detail::XmlTreeLimits{.max_nodes = kDefaultXmlMaxNodes});
    if (!tree.is_ok()) {
      return invalid("the div is not well-formed XHTML: " + tree.status().message());
    }
    const xmlNode* root = xmlDocGetRootElement(tree->get());
    // Nothing may follow the div (a comment or processing instruction would be lost on reading).
    div = div.substr(0, div.find_last_not_of(" \t\r\n") + 1);
    if (root == nullptr || root->next != nullptr || detail::xml_view(root->name) != "div" ||
        (root->ns != nullptr && detail::xml_view(root->ns->href) != detail::kXhtmlNamespace) ||
        !div.starts_with("<div")) {
      return invalid("the narrative must be an XHTML <div>");
    }
    indent(depth);
    if (root->ns == nullptr) {
      out_ += "<div xmlns=\"";
      out_ += detail::kXhtmlNamespace;
      out_ += '"';
      detail::append_xhtml_keeping_whitespace(div.substr(4), out_);
    } else {
      detail::append_xhtml_keeping_whitespace(div, out_);
    }
    newline();
    return Status::ok();
  }

  std::string& out_;
  bool pretty_;
  std::vector<PathStep> path_;
  std::vector<Entry> stack_;
};

}  // namespace

Status write_xml_resource(const JsonValue& resource, bool pretty, std::string& out) {
  std::size_t original = out.size();
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  if (pretty) out += '\n';
  Writer writer(out, pretty);
  Status s = writer.write_resource(resource, 0);
  if (!s.is_ok()) out.resize(original);
  return s;
}

}  // namespace hearth::fhir
