// The XML reader: libxml2 builds the tree (DOCTYPE refused from a SAX hook before its content is
// looked at), then one recursive walk maps each element to JSON by matching its name against the
// element tables. Member names that are table names are referenced, not copied.
#include "fhir/xml/xml_reader.h"

#include <libxml/tree.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "fhir/element_path.h"
#include "fhir/model.h"
#include "fhir/xml/xhtml_text.h"
#include "fhir/xml/xml_model.h"
#include "fhir/xml/xml_tree.h"

namespace hearth::fhir {
namespace {

using detail::XmlShape;
using detail::XmlTarget;

std::string_view view(const xmlChar* s) {
  return detail::xml_view(s);
}

bool in_namespace(const xmlNode* node, std::string_view ns) {
  return node->ns != nullptr && view(node->ns->href) == ns;
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

class Reader {
 public:
  Reader(JsonDocument& doc, int max_depth) : alloc_(doc.GetAllocator()), max_depth_(max_depth) {
    path_.reserve(32);
  }

  Status read_resource(const xmlNode* node, JsonValue& out, int depth) {
    if (!in_namespace(node, detail::kFhirNamespace)) {
      return malformed("the resource element <" + std::string(view(node->name)) +
                       "> is not in the FHIR namespace http://hl7.org/fhir");
    }
    const TypeDef* type =
        is_resource_type(view(node->name)) ? find_type(view(node->name)) : nullptr;
    if (type == nullptr) {
      return malformed("unknown resource type '" + std::string(view(node->name)) + "'");
    }
    out.SetObject();
    out.AddMember("resourceType", table_name(type->name), alloc_);
    bool root = path_.empty();
    if (root) path_.push_back({type->name, -1});
    Status s = read_content(node, *type, 0, out, nullptr, nullptr, depth);
    if (root) path_.pop_back();
    return s;
  }

 private:
  std::string location(std::string_view last = {}) const { return element_path(path_, last); }
  Status malformed(std::string message) const {
    return Status(Code::kMalformed, std::move(message), location(), "structure");
  }
  // The location goes in the expression and, for logs and clients that show only the text, in
  // the diagnostics too.
  Status unprocessable(std::string message, std::string_view last = {}) const {
    std::string where = location(last);
    message += " at ";
    message += where;
    return Status(Code::kUnprocessable, std::move(message), std::move(where), "structure");
  }
  Status too_deep() const {
    return malformed("elements nest deeper than " + std::to_string(max_depth_) +
                     " levels (--xml-max-depth)");
  }

  static JsonValue table_name(std::string_view name) {
    return JsonValue(
        rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())));
  }

  // Attributes and child elements of `node`, whose content is defined by children(type, elem).
  // For a primitive, `value` receives its value attribute (stays empty when there is none),
  // viewing libxml2's text or `value_buffer`.
  Status read_content(const xmlNode* node, const TypeDef& type, std::uint32_t elem, JsonValue& obj,
                      std::optional<std::string_view>* value, std::string* value_buffer,
                      int depth) {
    if (depth > max_depth_) return too_deep();
    for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
      if (a->ns != nullptr) continue;  // xsi:schemaLocation, xml:lang: not FHIR content
      std::string_view name = view(a->name);
      if (value != nullptr && name == "value") {
        *value = attribute_text(a, *value_buffer);
        continue;
      }
      std::string_view text = attribute_text(a, scratch_);
      ChildMatch m = find_child(type, elem, name);
      if (!m.found() || (type.elements[m.index].flags & kElementXmlAttr) == 0) {
        return unprocessable("unknown attribute '" + std::string(name) + "'", name);
      }
      obj.AddMember(table_name(type.elements[m.index].name), make_json_string(text, alloc_),
                    alloc_);
    }
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE) {
        HEARTH_RETURN_IF_ERROR(read_child(c, type, elem, obj, depth + 1));
      } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                 !is_blank(view(c->content))) {
        return unprocessable("unexpected text content");
      }
    }
    return Status::ok();
  }

  // The attribute's value: a view of libxml2's one text node, or joined in `scratch`.
  static std::string_view attribute_text(const xmlAttr* a, std::string& scratch) {
    if (a->children == nullptr) return {};
    if (a->children->next == nullptr) return view(a->children->content);
    scratch.clear();
    for (const xmlNode* t = a->children; t != nullptr; t = t->next) scratch += view(t->content);
    return scratch;
  }

  Status read_child(const xmlNode* child, const TypeDef& type, std::uint32_t parent, JsonValue& obj,
                    int depth) {
    std::string_view name = view(child->name);
    ChildMatch m = find_child(type, parent, name);
    if (!m.found() || (type.elements[m.index].flags & kElementXmlAttr) != 0) {
      return unprocessable("unknown element '" + std::string(name) + "'", name);
    }
    const ElementDef& e = type.elements[m.index];
    XmlTarget target = detail::xml_target(type, static_cast<std::uint32_t>(m.index), m.type);
    if (target.type == nullptr) return unprocessable("element has no usable type", name);
    bool expect_xhtml = target.shape == XmlShape::kXhtml;
    if (!in_namespace(child, expect_xhtml ? detail::kXhtmlNamespace : detail::kFhirNamespace)) {
      return unprocessable("element '" + std::string(name) + "' is in the wrong namespace", name);
    }
    // Choice names ("valueQuantity") come from the document, so are copied; others are table names.
    JsonValue key = e.is_choice() ? make_json_string(name, alloc_) : table_name(e.name);
    auto existing = obj.FindMember(key);
    bool repeating = e.is_repeating();
    if (!repeating && (existing != obj.MemberEnd() || (target.shape == XmlShape::kPrimitive &&
                                                       has_member_underscore(obj, name)))) {
      return unprocessable("element '" + std::string(name) + "' repeats but allows one", name);
    }
    std::int32_t index = -1;
    if (repeating) {
      index = existing != obj.MemberEnd() ? static_cast<std::int32_t>(existing->value.Size())
                                          : underscore_count(obj, name);
    }
    path_.push_back({name, index});
    Status s = read_value(child, target, key, obj, repeating, depth);
    path_.pop_back();
    return s;
  }

  // The "_name" member, found without building the string.
  static JsonValue* underscore_member(JsonValue& obj, std::string_view name) {
    for (auto& m : obj.GetObject()) {
      std::string_view key(m.name.GetString(), m.name.GetStringLength());
      if (key.size() == name.size() + 1 && key[0] == '_' && key.substr(1) == name) return &m.value;
    }
    return nullptr;
  }
  static bool has_member_underscore(JsonValue& obj, std::string_view name) {
    return underscore_member(obj, name) != nullptr;
  }
  static std::int32_t underscore_count(JsonValue& obj, std::string_view name) {
    const JsonValue* u = underscore_member(obj, name);
    return u != nullptr && u->IsArray() ? static_cast<std::int32_t>(u->Size()) : 0;
  }

  Status read_value(const xmlNode* child, const XmlTarget& target, JsonValue& key, JsonValue& obj,
                    bool repeating, int depth) {
    switch (target.shape) {
      case XmlShape::kComplex: {
        JsonValue v(rapidjson::kObjectType);
        HEARTH_RETURN_IF_ERROR(
            read_content(child, *target.type, target.element, v, nullptr, nullptr, depth));
        place(obj, key, v, repeating);
        return Status::ok();
      }
      case XmlShape::kResource: {
        JsonValue v;
        HEARTH_RETURN_IF_ERROR(read_wrapped_resource(child, v, depth));
        place(obj, key, v, repeating);
        return Status::ok();
      }
      case XmlShape::kXhtml: {
        if (view(child->name) != "div") return unprocessable("the narrative must be a <div>");
        if (depth + subtree_depth(child) > max_depth_) return too_deep();
        std::string text;
        detail::append_xhtml(child, text);
        JsonValue v = make_json_string(text, alloc_);
        place(obj, key, v, repeating);
        return Status::ok();
      }
      case XmlShape::kPrimitive:
        return read_primitive(child, *target.type, key, obj, repeating, depth);
    }
    return Status::ok();
  }

  static int subtree_depth(const xmlNode* node) {
    int deepest = 0;
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE) deepest = std::max(deepest, subtree_depth(c));
    }
    return deepest + 1;
  }

  Status read_wrapped_resource(const xmlNode* wrapper, JsonValue& out, int depth) {
    if (wrapper->properties != nullptr) {
      return unprocessable("unexpected attribute on a resource holder");
    }
    const xmlNode* inner = nullptr;
    for (const xmlNode* c = wrapper->children; c != nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE) {
        if (inner != nullptr) return unprocessable("more than one resource in one element");
        inner = c;
      } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                 !is_blank(view(c->content))) {
        return unprocessable("unexpected text content");
      }
    }
    if (inner == nullptr) return unprocessable("the element holds no resource");
    return read_resource(inner, out, depth + 1);
  }

  Status read_primitive(const xmlNode* child, const TypeDef& primitive, JsonValue& key,
                        JsonValue& obj, bool repeating, int depth) {
    std::optional<std::string_view> text;
    std::string text_buffer;  // only used when the value is split over several text nodes
    JsonValue ext(rapidjson::kObjectType);
    HEARTH_RETURN_IF_ERROR(read_content(child, primitive, 0, ext, &text, &text_buffer, depth));
    bool has_value = text.has_value();
    JsonValue value;
    if (has_value) HEARTH_RETURN_IF_ERROR(to_json_value(primitive, *text, value));
    bool has_ext = ext.MemberCount() > 0;
    if (!has_value && !has_ext) {
      return unprocessable("a primitive element needs a value or an extension");
    }
    std::string_view name(key.GetString(), key.GetStringLength());
    if (!repeating) {
      if (has_ext) obj.AddMember(underscore_name(name), ext, alloc_);
      if (has_value) obj.AddMember(key, value, alloc_);
      return Status::ok();
    }
    // "x" and "_x" stay aligned; either may be absent while all its entries would be null.
    auto found = obj.FindMember(key);
    JsonValue* values = found == obj.MemberEnd() ? nullptr : &found->value;
    JsonValue* exts = underscore_member(obj, name);
    rapidjson::SizeType count = values ? values->Size() : exts ? exts->Size() : 0;
    if (values != nullptr) values->PushBack(value, alloc_);
    if (exts != nullptr) {
      if (has_ext) {
        exts->PushBack(ext, alloc_);
      } else {
        exts->PushBack(JsonValue(), alloc_);
      }
    }
    // New members last: AddMember may move the members found above.
    if (exts == nullptr && has_ext) {
      obj.AddMember(underscore_name(name), padded(count, ext), alloc_);
    }
    if (values == nullptr && has_value) obj.AddMember(key, padded(count, value), alloc_);
    return Status::ok();
  }

  // "_name", allocated in the document.
  JsonValue underscore_name(std::string_view name) {
    JsonValue out;
    auto size = static_cast<rapidjson::SizeType>(name.size() + 1);
    char* text = static_cast<char*>(alloc_.Malloc(size));
    text[0] = '_';
    std::copy(name.begin(), name.end(), text + 1);
    out.SetString(rapidjson::StringRef(text, size));
    return out;
  }

  // An array of `count` nulls followed by `last`.
  JsonValue padded(rapidjson::SizeType count, JsonValue& last) {
    JsonValue array(rapidjson::kArrayType);
    array.Reserve(count + 1, alloc_);
    for (rapidjson::SizeType i = 0; i < count; ++i) array.PushBack(JsonValue(), alloc_);
    array.PushBack(last, alloc_);
    return array;
  }

  Status to_json_value(const TypeDef& primitive, std::string_view text, JsonValue& out) {
    switch (detail::json_kind_of_primitive(primitive.name)) {
      case detail::JsonKind::kBoolean:
        if (text != "true" && text != "false") {
          return unprocessable("a boolean must be 'true' or 'false'");
        }
        out.SetBool(text == "true");
        return Status::ok();
      case detail::JsonKind::kNumber:
        if (!detail::is_json_number_syntax(text)) {
          return unprocessable("'" + std::string(text.substr(0, 60)) + "' is not a valid " +
                               std::string(primitive.name));
        }
        out = make_json_number(text, alloc_);
        return Status::ok();
      case detail::JsonKind::kString: out = make_json_string(text, alloc_); return Status::ok();
    }
    return Status::ok();
  }

  void place(JsonValue& obj, JsonValue& key, JsonValue& value, bool repeating) {
    if (!repeating) {
      obj.AddMember(key, value, alloc_);
      return;
    }
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd()) {
      JsonValue array(rapidjson::kArrayType);
      array.PushBack(value, alloc_);
      obj.AddMember(key, array, alloc_);
    } else {
      it->value.PushBack(value, alloc_);
    }
  }

  JsonAllocator& alloc_;
  int max_depth_;
  std::string scratch_;  // an id/url attribute split over several text nodes
  std::vector<PathStep> path_;
};

}  // namespace

Result<JsonDocument> parse_xml_resource(std::string_view xml, const XmlLimits& limits) {
  if (xml.size() > limits.max_bytes || xml.size() > static_cast<std::size_t>(INT_MAX)) {
    return Status(Code::kMalformed, "XML of " + std::to_string(xml.size()) +
                                        " bytes exceeds the limit of " +
                                        std::to_string(limits.max_bytes));
  }
  Result<detail::XmlDocPtr> tree = detail::parse_xml_tree(
      xml, detail::XmlTreeLimits{.max_nodes = limits.max_nodes, .max_depth = limits.max_depth});
  if (!tree.is_ok()) return std::move(tree).take_status();
  const xmlNode* root = xmlDocGetRootElement(tree->get());
  if (root == nullptr) return Status(Code::kMalformed, "XML has no root element");
  JsonDocument doc;
  Reader reader(doc, limits.max_depth);
  HEARTH_RETURN_IF_ERROR(reader.read_resource(root, doc, 1));
  return doc;
}

}  // namespace hearth::fhir
