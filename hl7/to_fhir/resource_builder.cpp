// Navigation by fhir::find_child over the generated model; JSON through RapidJSON's writer, with
// a primitive's id and extensions under "_name" as FHIR JSON puts them.
#include "hl7/to_fhir/resource_builder.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace hearth::hl7::to_fhir {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

const fhir::TypeDef* type_at(std::int16_t index) {
  if (index < 0) return nullptr;
  return &fhir::all_types()[static_cast<std::size_t>(index)];
}

// How FHIR JSON writes a primitive of this type.
enum class JsonKind { kString, kNumber, kBoolean };
JsonKind json_kind(std::string_view type) {
  if (type == "boolean") return JsonKind::kBoolean;
  if (type == "integer" || type == "positiveInt" || type == "unsignedInt" || type == "decimal") {
    return JsonKind::kNumber;
  }
  return JsonKind::kString;
}

}  // namespace

bool Node::is_primitive() const {
  return type_->kind == fhir::TypeKind::kPrimitive;
}

bool Node::empty() const {
  if (!has_content_) return true;
  if (has_value_) return false;
  if (type_->name == "Extension") {
    const auto url = std::find_if(members_.begin(), members_.end(),
                                  [](const Member& m) { return m.name == "url"; });
    if (url == members_.end() || url->items.empty() || !url->items.front().second->has_value_) {
      return true;
    }
  }
  for (const Member& member : members_) {
    for (const auto& item : member.items) {
      if (!item.second->empty()) return false;
    }
  }
  return true;
}

bool Node::choice_taken(std::uint32_t element) const {
  for (const Member& member : members_) {
    if (member.element != element) continue;
    for (const auto& item : member.items) {
      if (!item.second->empty()) return true;
    }
  }
  return false;
}

const Node* Node::existing(std::string_view json_name, const InstanceKey& key) const {
  const auto member = std::find_if(members_.begin(), members_.end(),
                                   [&](const Member& m) { return m.name == json_name; });
  if (member == members_.end()) return nullptr;
  const InstanceKey item_key = member->repeating ? key : InstanceKey{};
  for (const auto& item : member->items) {
    if (item.first == item_key) return item.second.get();
  }
  return nullptr;
}

const Node* Node::first(std::string_view json_name) const {
  const auto member = std::find_if(members_.begin(), members_.end(),
                                   [&](const Member& m) { return m.name == json_name; });
  if (member == members_.end() || member->items.empty()) return nullptr;
  return member->items.front().second.get();
}

std::vector<const Node*> Node::all(std::string_view json_name) const {
  std::vector<const Node*> out;
  for (const Member& member : members_) {
    if (member.name != json_name) continue;
    for (const auto& item : member.items) out.push_back(item.second.get());
  }
  return out;
}

bool Node::prune_references(const std::set<std::string>& dead) {
  bool intact = true;
  for (Member& member : members_) {
    std::erase_if(member.items, [&](const auto& item) {
      Node& n = *item.second;
      if (n.type_->name == "Reference") {
        const Node* ref = n.existing("reference", {});
        if (ref != nullptr && ref->has_value_ && dead.count(ref->value_) != 0) {
          if (n.definition_ != nullptr && n.definition_->min >= 1) intact = false;
          return true;
        }
      }
      return !n.prune_references(dead);  // it lost a reference it requires
    });
  }
  bool content = has_value_;
  for (const Member& member : members_) {
    for (const auto& item : member.items) content = content || item.second->has_content_;
  }
  has_content_ = content;
  return intact;
}

void Node::replace(std::string value) {
  has_value_ = false;
  set(std::move(value));
}

void Node::set(std::string value) {
  if (has_value_) return;
  value_ = std::move(value);
  has_value_ = true;
  for (Node* n = this; n != nullptr && !n->has_content_; n = n->parent_) n->has_content_ = true;
}

Result<Node*> Node::child(std::string_view json_name, const InstanceKey& key, bool* repeating) {
  auto member = std::find_if(members_.begin(), members_.end(),
                             [&](const Member& m) { return m.name == json_name; });
  if (member == members_.end()) {
    const std::uint32_t parent = fhir::resolve_content_reference(*type_, element_);
    const fhir::ChildMatch match = fhir::find_child(*type_, parent, json_name);
    if (!match.found()) {
      return Status(Code::kInvalidArgument,
                    std::string(type_->name) + " has no element '" + std::string(json_name) + "'");
    }
    const auto index = static_cast<std::uint32_t>(match.index);
    const fhir::ElementDef& def = type_->elements[index];
    const fhir::TypeDef* child_type = type_;
    std::uint32_t child_element = index;
    if (!def.is_backbone() && def.content_reference.empty()) {
      child_type = match.type == nullptr ? nullptr : type_at(match.type->type_index);
      child_element = 0;
      if (child_type == nullptr) {
        return Status(Code::kInvalidArgument, "element '" + std::string(json_name) + "' of " +
                                                  std::string(type_->name) + " has no FHIR type");
      }
    }
    if (def.is_choice() && choice_taken(index)) {
      return Status(Code::kInvalidArgument, std::string(type_->name) + "." + std::string(def.name) +
                                                " already holds a value");
    }
    members_.push_back(
        Member{std::string(json_name), index, child_type, child_element, def.is_repeating(), {}});
    member = members_.end() - 1;
  }
  if (repeating != nullptr) *repeating = member->repeating;
  const InstanceKey item_key = member->repeating ? key : InstanceKey{};
  auto& items = member->items;
  auto it = std::lower_bound(items.begin(), items.end(), item_key,
                             [](const auto& item, const InstanceKey& k) { return item.first < k; });
  if (it == items.end() || !(it->first == item_key)) {
    it = items.insert(it, {item_key, std::unique_ptr<Node>(new Node(resource_, member->child_type,
                                                                    member->child_element))});
    it->second->definition_ = &type_->elements[member->element];
    it->second->parent_ = this;
  }
  return it->second.get();
}

template <class Writer>
void Node::write_primitive(Writer& writer) const {
  switch (json_kind(type_->name)) {
    case JsonKind::kBoolean: writer.Bool(value_ == "true"); return;
    case JsonKind::kNumber:
      // RawValue, not RawNumber: the writer quotes what RawNumber gets.
      writer.RawValue(value_.data(), value_.size(), rapidjson::kNumberType);
      return;
    case JsonKind::kString:
      writer.String(value_.data(), static_cast<rapidjson::SizeType>(value_.size()));
      return;
  }
}

template <class Writer>
void Node::write_object(Writer& writer) const {
  std::vector<std::uint32_t> choices_written;
  for (const Member& member : members_) {
    std::vector<const Node*> items;
    for (const auto& item : member.items) {
      if (!item.second->empty()) items.push_back(item.second.get());
    }
    if (items.empty()) continue;
    const fhir::ElementDef& def = type_->elements[member.element];
    if (def.is_choice()) {  // one type of a choice: the first written
      if (std::find(choices_written.begin(), choices_written.end(), member.element) !=
          choices_written.end()) {
        continue;
      }
      choices_written.push_back(member.element);
    }
    if (!items.front()->is_primitive()) {
      writer.Key(member.name.c_str());
      if (member.repeating) writer.StartArray();
      for (const Node* item : items) {
        writer.StartObject();
        item->write_object(writer);
        writer.EndObject();
      }
      if (member.repeating) writer.EndArray();
      continue;
    }
    // A primitive: its values under "name", its id and extensions under "_name" (null where an
    // item has none of one or the other).
    const bool values =
        std::any_of(items.begin(), items.end(), [](const Node* n) { return n->has_value_; });
    const bool extras =
        std::any_of(items.begin(), items.end(), [](const Node* n) { return !n->members_.empty(); });
    if (values) {
      writer.Key(member.name.c_str());
      if (member.repeating) writer.StartArray();
      for (const Node* item : items) {
        item->has_value_ ? item->write_primitive(writer) : static_cast<void>(writer.Null());
      }
      if (member.repeating) writer.EndArray();
    }
    if (extras) {
      writer.Key(("_" + member.name).c_str());
      if (member.repeating) writer.StartArray();
      for (const Node* item : items) {
        if (item->members_.empty()) {
          writer.Null();
          continue;
        }
        writer.StartObject();
        item->write_object(writer);
        writer.EndObject();
      }
      if (member.repeating) writer.EndArray();
    }
  }
}

ResourceBuilder::ResourceBuilder(std::function<std::string()> make_id)
    : make_id_(std::move(make_id)) {}

ResourceBuilder::~ResourceBuilder() = default;

Result<Resource*> ResourceBuilder::add(std::string_view type) {
  const fhir::TypeDef* def = fhir::find_type(type);
  if (def == nullptr || def->kind != fhir::TypeKind::kResource || def->is_abstract) {
    return Status(Code::kInvalidArgument, "'" + std::string(type) + "' is not a resource type");
  }
  auto resource = std::make_unique<Resource>();
  resource->type = std::string(type);
  resource->full_url = "urn:uuid:" + make_id_();
  resource->root = std::unique_ptr<Node>(new Node(resource.get(), def, 0));
  resources_.push_back(std::move(resource));
  return resources_.back().get();
}

Result<Resource*> ResourceBuilder::referenced(Node& element, std::string_view type, int instance,
                                              Resource* existing) {
  auto key = std::make_tuple(static_cast<const Node*>(&element), std::string(type), instance);
  if (auto found = references_.find(key); found != references_.end()) return found->second;
  if (element.type().name != "Reference") {
    return Status(Code::kInvalidArgument,
                  "a " + std::string(element.type().name) + " cannot reference a resource");
  }
  Resource* resource = existing;
  if (resource == nullptr || resource->type != type) {
    HEARTH_ASSIGN_OR_RETURN(resource, add(type));
  }
  HEARTH_ASSIGN_OR_RETURN(Node * reference, element.child("reference", {}));
  reference->set(resource->full_url);
  references_.emplace(std::move(key), resource);
  return resource;
}

void ResourceBuilder::drop_references_to_empty() {
  std::set<std::string> dead;
  for (;;) {
    const std::size_t before = dead.size();
    for (const auto& r : resources_) {
      if (r->root->empty()) dead.insert(r->full_url);
    }
    if (dead.size() == before && before != 0) return;
    if (dead.empty()) return;
    for (const auto& r : resources_) {
      if (dead.count(r->full_url) == 0) r->root->prune_references(dead);
    }
  }
}

std::string ResourceBuilder::to_json(const Resource& resource) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("resourceType");
  writer.String(resource.type.c_str());
  resource.root->write_object(writer);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void ResourceBuilder::write(const Resource& resource, fhir::JsonBuilder& json) {
  json.StartObject();
  json.Key("resourceType");
  json.String(resource.type.data(), resource.type.size());
  resource.root->write_object(json);
  json.EndObject();
}

}  // namespace hearth::hl7::to_fhir
