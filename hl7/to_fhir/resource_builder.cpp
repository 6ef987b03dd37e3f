// Navigation by fhir::find_child over the generated model; JSON through RapidJSON's writer, with
// a primitive's id and extensions under "_name" as FHIR JSON puts them.
#include "hl7/to_fhir/resource_builder.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <new>

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

// A copy of `text` in `arena`.
std::string_view copy_into(std::pmr::memory_resource* arena, std::string_view text) {
  if (text.empty()) return {};
  auto* data = static_cast<char*>(arena->allocate(text.size(), 1));
  std::copy(text.begin(), text.end(), data);
  return {data, text.size()};
}

// The size of the arena's first block: about what an ORU^R01 of 15 results takes, so most
// messages ask the heap once or twice.
constexpr std::size_t kFirstBlock = 64 * 1024;

}  // namespace

Node* Node::make(std::pmr::memory_resource* arena, Resource* resource, const fhir::TypeDef* type,
                 std::uint32_t element) {
  void* place = arena->allocate(sizeof(Node), alignof(Node));
  return new (place) Node(resource, type, element, arena);
}

bool Node::is_primitive() const {
  return type_->kind == fhir::TypeKind::kPrimitive;
}

const Node::Member* Node::member(std::string_view json_name) const {
  for (const Member& m : members_) {
    if (m.name == json_name) return &m;
  }
  return nullptr;
}

void Node::merge_duplicate_codings() {
  const auto text = [](const Node* coding, std::string_view name) {
    const Node* child = coding->first(name);
    return child == nullptr ? std::string_view() : child->value();
  };
  // Whether items[i] repeats an earlier Coding (the same system and code, nothing else but a
  // display that does not contradict it); its display is moved there when that one has none.
  const auto merged_into_earlier = [&text](const std::pmr::vector<Item>& items, std::size_t i) {
    const Node* later = items[i].node;
    const std::string_view code = text(later, "code");
    if (code.empty() || later->empty()) return false;
    for (const Member& m : later->members_) {
      if (m.name != "system" && m.name != "code" && m.name != "display" && !m.items.empty()) {
        return false;
      }
    }
    const std::string_view display = text(later, "display");
    for (std::size_t j = 0; j < i; ++j) {
      Node* earlier = items[j].node;
      if (text(earlier, "code") != code || text(earlier, "system") != text(later, "system")) {
        continue;
      }
      const std::string_view kept = text(earlier, "display");
      if (!display.empty() && !kept.empty() && kept != display) continue;
      if (kept.empty() && !display.empty()) {
        if (Result<Node*> d = earlier->child("display", {}); d.is_ok()) (*d)->set(display);
      }
      return true;
    }
    return false;
  };
  for (Member& member : members_) {
    if (member.repeating && member.child_type != nullptr && member.child_type->name == "Coding") {
      for (std::size_t i = 1; i < member.items.size();) {
        if (merged_into_earlier(member.items, i)) {
          member.items.erase(member.items.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
          ++i;
        }
      }
    }
    for (const Item& item : member.items) {
      if (!item.node->is_primitive()) item.node->merge_duplicate_codings();
    }
  }
}

bool Node::empty() const {
  if (!has_content_) return true;
  if (has_value_) return false;
  if (type_->name == "Extension") {
    const Member* url = member("url");
    if (url == nullptr || url->items.empty() || !url->items.front().node->has_value_) {
      return true;
    }
  }
  for (const Member& member : members_) {
    for (const Item& item : member.items) {
      if (!item.node->empty()) return false;
    }
  }
  return true;
}

bool Node::choice_taken(std::uint32_t element) const {
  for (const Member& member : members_) {
    if (member.element != element) continue;
    for (const Item& item : member.items) {
      if (!item.node->empty()) return true;
    }
  }
  return false;
}

const Node* Node::existing(std::string_view json_name, const InstanceKey& key) const {
  const Member* m = member(json_name);
  if (m == nullptr) return nullptr;
  const InstanceKey item_key = m->repeating ? key : InstanceKey{};
  for (const Item& item : m->items) {
    if (item.key == item_key) return item.node;
  }
  return nullptr;
}

const Node* Node::first(std::string_view json_name) const {
  const Member* m = member(json_name);
  if (m == nullptr || m->items.empty()) return nullptr;
  return m->items.front().node;
}

std::vector<const Node*> Node::all(std::string_view json_name) const {
  std::vector<const Node*> out;
  for (const Member& member : members_) {
    if (member.name != json_name) continue;
    for (const Item& item : member.items) out.push_back(item.node);
  }
  return out;
}

bool Node::prune_references(const std::set<std::string, std::less<>>& dead) {
  bool intact = true;
  for (Member& member : members_) {
    std::erase_if(member.items, [&](const Item& item) {
      Node& n = *item.node;
      if (n.type_->name == "Reference") {
        const Node* ref = n.existing("reference", {});
        if (ref != nullptr && ref->has_value_ && dead.contains(ref->value_)) {
          if (n.definition_ != nullptr && n.definition_->min >= 1) intact = false;
          return true;
        }
      }
      return !n.prune_references(dead);  // it lost a reference it requires
    });
  }
  bool content = has_value_;
  for (const Member& member : members_) {
    for (const Item& item : member.items) content = content || item.node->has_content_;
  }
  has_content_ = content;
  return intact;
}

void Node::replace(std::string_view value) {
  has_value_ = false;
  set(value);
}

void Node::set(std::string_view value) {
  if (has_value_) return;
  value_ = copy_into(arena(), value);
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
    // The model's name outlives the builder; a choice's ("valueQuantity") is not in the model.
    const std::string_view name = def.is_choice() ? copy_into(arena(), json_name) : def.name;
    members_.push_back(Member{name, index, child_type, child_element, def.is_repeating(),
                              std::pmr::vector<Item>(arena())});
    member = members_.end() - 1;
  }
  if (repeating != nullptr) *repeating = member->repeating;
  const InstanceKey item_key = member->repeating ? key : InstanceKey{};
  auto& items = member->items;
  auto it = std::lower_bound(items.begin(), items.end(), item_key,
                             [](const Item& item, const InstanceKey& k) { return item.key < k; });
  if (it == items.end() || !(it->key == item_key)) {
    Node* made = make(arena(), resource_, member->child_type, member->child_element);
    made->definition_ = &type_->elements[member->element];
    made->parent_ = this;
    it = items.insert(it, Item{item_key, made});
  }
  return it->node;
}

template <class Writer>
void Node::write_primitive(Writer& writer, const FullUrlAliases& aliases) const {
  switch (json_kind(type_->name)) {
    case JsonKind::kBoolean: writer.Bool(value_ == "true"); return;
    case JsonKind::kNumber:
      // RawValue, not RawNumber: the writer quotes what RawNumber gets.
      writer.RawValue(value_.data(), value_.size(), rapidjson::kNumberType);
      return;
    case JsonKind::kString: {
      std::string_view text = value_;
      if (!aliases.empty() && text.starts_with("urn:uuid:")) {
        if (auto alias = aliases.find(text); alias != aliases.end()) text = alias->second;
      }
      writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      return;
    }
  }
}

// `scratch` is a stack shared by the whole walk: each call pushes a member's non-empty items
// above what its callers hold and pops them when done (indices, not iterators: a nested call
// may grow it).
template <class Writer>
void Node::write_object(Writer& writer, std::vector<const Node*>& scratch,
                        const FullUrlAliases& aliases) const {
  const std::size_t base = scratch.size();
  for (std::size_t m = 0; m < members_.size(); ++m) {
    const Member& member = members_[m];
    scratch.resize(base);
    for (const Item& item : member.items) {
      if (!item.node->empty()) scratch.push_back(item.node);
    }
    const std::size_t end = scratch.size();
    if (end == base) continue;
    const fhir::ElementDef& def = type_->elements[member.element];
    if (def.is_choice()) {  // one type of a choice: the first written
      const auto written = [&](const Member& other) {
        return other.element == member.element &&
               std::any_of(other.items.begin(), other.items.end(),
                           [](const Item& item) { return !item.node->empty(); });
      };
      if (std::any_of(members_.begin(), members_.begin() + static_cast<std::ptrdiff_t>(m),
                      written)) {
        continue;
      }
    }
    const auto key = [&writer](std::string_view name) {
      writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    };
    if (!scratch[base]->is_primitive()) {
      key(member.name);
      if (member.repeating) writer.StartArray();
      for (std::size_t i = base; i < end; ++i) {
        writer.StartObject();
        scratch[i]->write_object(writer, scratch, aliases);
        writer.EndObject();
      }
      if (member.repeating) writer.EndArray();
      continue;
    }
    // A primitive: its values under "name", its id and extensions under "_name" (null where an
    // item has none of one or the other).
    bool values = false;
    bool extras = false;
    for (std::size_t i = base; i < end; ++i) {
      values = values || scratch[i]->has_value_;
      extras = extras || !scratch[i]->members_.empty();
    }
    if (values) {
      key(member.name);
      if (member.repeating) writer.StartArray();
      for (std::size_t i = base; i < end; ++i) {
        scratch[i]->has_value_ ? scratch[i]->write_primitive(writer, aliases)
                               : static_cast<void>(writer.Null());
      }
      if (member.repeating) writer.EndArray();
    }
    if (extras) {
      key("_" + std::string(member.name));
      if (member.repeating) writer.StartArray();
      for (std::size_t i = base; i < end; ++i) {
        if (scratch[i]->members_.empty()) {
          writer.Null();
          continue;
        }
        writer.StartObject();
        scratch[i]->write_object(writer, scratch, aliases);
        writer.EndObject();
      }
      if (member.repeating) writer.EndArray();
    }
  }
  scratch.resize(base);
}

ResourceBuilder::ResourceBuilder(std::function<std::string()> make_id)
    : make_id_(std::move(make_id)), arena_(kFirstBlock) {}

ResourceBuilder::~ResourceBuilder() = default;

Result<Resource*> ResourceBuilder::add(std::string_view type) {
  const fhir::TypeDef* def = fhir::find_type(type);
  if (def == nullptr || def->kind != fhir::TypeKind::kResource || def->is_abstract) {
    return Status(Code::kInvalidArgument, "'" + std::string(type) + "' is not a resource type");
  }
  auto resource = std::make_unique<Resource>();
  resource->type = std::string(type);
  resource->full_url = "urn:uuid:" + make_id_();
  resource->root = Node::make(&arena_, resource.get(), def, 0);
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
  std::set<std::string, std::less<>> dead;
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

void ResourceBuilder::merge_duplicate_codings() {
  for (const auto& r : resources_) r->root->merge_duplicate_codings();
}

std::string ResourceBuilder::to_json(const Resource& resource) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("resourceType");
  writer.String(resource.type.c_str());
  std::vector<const Node*> scratch;
  resource.root->write_object(writer, scratch, FullUrlAliases());
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void ResourceBuilder::write(const Resource& resource, fhir::JsonBuilder& json,
                            const FullUrlAliases& aliases) {
  json.StartObject();
  json.Key("resourceType");
  json.String(resource.type.data(), resource.type.size());
  std::vector<const Node*> scratch;
  resource.root->write_object(json, scratch, aliases);
  json.EndObject();
}

}  // namespace hearth::hl7::to_fhir
