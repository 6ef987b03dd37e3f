// The resources one message maps to, built element by element as the map rows write values at
// their target paths, guided by the R4 model (fhir/model.h): an element the model repeats is an
// array, a primitive is written as its JSON type (boolean, number or string), and a path that
// names no element of the type is refused rather than written.
//
// Instances. Rows name instances with the IG's numbers ("identifier[2]"); each repetition of a
// v2 field makes another instance. An instance is found by its key: the IG number followed by
// the repetition (and, inside a data type map, the map's own "[k]"), so rows of one field write
// into one element and instances come out in the IG's order, then the message's.
//
// References. "asserter(Practitioner)" makes the element a Reference to another resource of the
// builder (a urn:uuid: reference; created on first use for that element instance).
//
// Ownership: nodes, their members and their values live in the builder's arena (one per
// message: an ORU^R01 makes about a thousand nodes, and allocating and freeing each node, member
// list and value on the heap was a sixth of its mapping's instructions), resources in the
// builder; a Node pointer or a value() view stays valid while the builder lives.
// Thread-safety: none.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <memory_resource>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "fhir/json_builder.h"
#include "fhir/model.h"

namespace hearth::hl7::to_fhir {

// An instance key: the IG's instance number, then repetition ordinals (see above), compared
// element by element. Fixed capacity (keys are short; a deeper one keeps its first kMax
// numbers), so that keys cost no allocation on the mapping's hot path.
class InstanceKey {
 public:
  static constexpr std::size_t kMax = 8;
  InstanceKey() = default;
  InstanceKey(std::initializer_list<int> values) {
    for (int v : values) push_back(v);
  }
  void push_back(int value) {
    if (size_ < kMax) values_[size_++] = value;
  }
  friend bool operator==(const InstanceKey& a, const InstanceKey& b) {
    return a.size_ == b.size_ && std::equal(a.values_, a.values_ + a.size_, b.values_);
  }
  friend bool operator<(const InstanceKey& a, const InstanceKey& b) {
    return std::lexicographical_compare(a.values_, a.values_ + a.size_, b.values_,
                                        b.values_ + b.size_);
  }

 private:
  int values_[kMax] = {};
  std::size_t size_ = 0;
};

class ResourceBuilder;
struct Resource;

// fullUrl -> the fullUrl written in its place (transaction_bundle.h: a resource with the identity
// of an earlier one is that one). Views of the builder's resources' fullUrls.
using FullUrlAliases = std::unordered_map<std::string_view, std::string_view>;

// One element value in a resource: an object with members, or a primitive.
class Node {
 public:
  // The FHIR type of this node ("Patient", "HumanName", "dateTime", "BackboneElement").
  const fhir::TypeDef& type() const { return *type_; }
  std::uint32_t element() const { return element_; }
  // The element definition this node is an instance of (nullptr for a resource's root): its
  // binding says which code system a code may come from.
  const fhir::ElementDef* definition() const { return definition_; }
  // The node holding this one (nullptr for a resource's root).
  Node* parent() const { return parent_; }

  // The child element `json_name` ("identifier", "valueQuantity"), instance `key` of it (the key
  // is ignored for an element that does not repeat; `repeating`, when given, says which).
  // kInvalidArgument when the type has no such element, or when it is a choice ("value[x]")
  // that already holds another type (the first row to write a choice wins).
  Result<Node*> child(std::string_view json_name, const InstanceKey& key,
                      bool* repeating = nullptr);

  // The instance `key` of child `json_name` when it was made (the key is ignored for an element
  // that does not repeat), else nullptr; never makes one.
  const Node* existing(std::string_view json_name, const InstanceKey& key) const;
  Node* existing(std::string_view json_name, const InstanceKey& key) {
    return const_cast<Node*>(std::as_const(*this).existing(json_name, key));
  }
  // The first instance of child `json_name` (in key order) when one was made, else nullptr.
  const Node* first(std::string_view json_name) const;
  // Every instance of child `json_name`, in key order.
  std::vector<const Node*> all(std::string_view json_name) const;
  // The primitive value set() gave ("" when none), in the builder's arena.
  std::string_view value() const { return value_; }

  // Sets this node's primitive value (copied), already in FHIR's form for the node's type
  // (primitive.h); written as a JSON boolean, number or string by the type. A later set does not
  // overwrite.
  void set(std::string_view value);
  // Sets this node's primitive value even when one was set: a decision taken after the rows
  // (an identifier's system under a configured base, system_base.h).
  void replace(std::string_view value);
  bool has_value() const { return has_value_; }
  bool is_primitive() const;
  // True when nothing was set in it or below it. An Extension without its url counts as empty:
  // FHIR requires the url, and an IG row may set a value whose url row does not apply.
  bool empty() const;

  // Removes every Reference below this node whose `reference` is one of `dead` (the fullUrls
  // of resources left empty, which the Bundle will not hold), and every element that required
  // such a reference (Encounter.location without its location), and recomputes what is empty.
  // False: this node itself required a removed reference (its holder removes it).
  bool prune_references(const std::set<std::string, std::less<>>& dead);

  // Below this node, a Coding with the system and code of an earlier Coding of the same element
  // and nothing else but a display is merged into it (its display kept when the earlier has
  // none): two rows of a map can write one concept (PV1-19's constant VN and the visit number's
  // own CX.5 VN). Codings whose displays differ stay apart.
  void merge_duplicate_codings();

  // The resource this node belongs to.
  Resource& resource() const { return *resource_; }

 private:
  friend class ResourceBuilder;
  friend struct Resource;
  struct Item {
    InstanceKey key;
    Node* node;
  };
  struct Member {
    std::string_view name;      // the model's element name, or a choice's in the arena
    std::uint32_t element = 0;  // its ElementDef's index: a choice's types share one
    const fhir::TypeDef* child_type = nullptr;  // the items' type, and their element in it
    std::uint32_t child_element = 0;
    bool repeating = false;
    std::pmr::vector<Item> items;  // sorted by key
  };
  // Made only by make() in `arena`, and never destroyed one by one: the arena releases
  // everything with the builder (nothing a Node holds owns memory outside it).
  Node(Resource* resource, const fhir::TypeDef* type, std::uint32_t element,
       std::pmr::memory_resource* arena)
      : resource_(resource), type_(type), element_(element), members_(arena) {}
  static Node* make(std::pmr::memory_resource* arena, Resource* resource, const fhir::TypeDef* type,
                    std::uint32_t element);
  std::pmr::memory_resource* arena() const { return members_.get_allocator().resource(); }
  const Member* member(std::string_view json_name) const;
  bool choice_taken(std::uint32_t element) const;
  template <class Writer>
  void write_object(Writer& writer, std::vector<const Node*>& scratch,
                    const FullUrlAliases& aliases) const;
  template <class Writer>
  void write_primitive(Writer& writer, const FullUrlAliases& aliases) const;

  Resource* resource_;
  const fhir::TypeDef* type_;
  std::uint32_t element_;  // index in type_->elements (a backbone element's own index)
  const fhir::ElementDef* definition_ = nullptr;
  Node* parent_ = nullptr;
  std::pmr::vector<Member> members_;
  std::string_view value_;
  bool has_value_ = false;
  bool has_content_ = false;  // a value was set here or below (empty() is cheap when not)
};

// One resource of the builder.
struct Resource {
  std::string type;      // "Patient"
  std::string full_url;  // "urn:uuid:..."
  Node* root = nullptr;  // in the builder's arena
};

class ResourceBuilder {
 public:
  // `make_id` gives each new resource its id (the fullUrl is "urn:uuid:" + id).
  explicit ResourceBuilder(std::function<std::string()> make_id);
  ~ResourceBuilder();

  // A new resource of `type` (kInvalidArgument for a name that is not a resource type).
  Result<Resource*> add(std::string_view type);

  // The resource of `type` that `element` references as instance `instance` of it: made on first
  // use (and the element's "reference" set to its fullUrl), the same one afterwards. `existing`
  // (of `type`), when given, is that resource instead of a new one (an Encounter's diagnosis
  // whose condition is the Condition another row of the message made).
  Result<Resource*> referenced(Node& element, std::string_view type, int instance,
                               Resource* existing = nullptr);

  // Every resource in the order they were made.
  const std::vector<std::unique_ptr<Resource>>& resources() const { return resources_; }

  // Drops the references to resources left empty (which no Bundle entry will hold), again until
  // none is left: a resource only such references kept alive becomes empty in turn.
  void drop_references_to_empty();
  // Node::merge_duplicate_codings() over every resource.
  void merge_duplicate_codings();

  // The resource as FHIR JSON (resourceType first, then elements in the order they were first
  // written; empty elements left out).
  static std::string to_json(const Resource& resource);
  // The same resource as calls on `json` (one object), for a document built without the text;
  // a string value that is a fullUrl in `aliases` is written as the fullUrl it stands for.
  static void write(const Resource& resource, fhir::JsonBuilder& json,
                    const FullUrlAliases& aliases = {});

 private:
  std::function<std::string()> make_id_;
  // Before resources_: it outlives every resource that points into it.
  std::pmr::monotonic_buffer_resource arena_;
  std::vector<std::unique_ptr<Resource>> resources_;
  std::map<std::tuple<const Node*, std::string, int>, Resource*> references_;
};

}  // namespace hearth::hl7::to_fhir
