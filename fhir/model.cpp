// Lookups over the generated tables: hash tables of type names and of each element's children's
// JSON names, binary searches over the other sorted arrays.
#include "fhir/model.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "fhir/model_tables.h"

namespace hearth::fhir {
bool is_capitalised(std::string_view suffix, std::string_view code) {
  if (suffix.size() != code.size() || code.empty()) return false;
  char first = code[0];
  if (first >= 'a' && first <= 'z') first = static_cast<char>(first - 'a' + 'A');
  return suffix[0] == first && suffix.substr(1) == code.substr(1);
}

std::span<const TypeDef> all_types() {
  return detail::kTypes;
}

// A hash map, not a binary search: FHIRPath type tests and navigation look types up by name
// several times per element, which made the search over ~900 names a visible share of indexing.
const TypeDef* find_type(std::string_view name) {
  static const std::unordered_map<std::string_view, const TypeDef*> by_name = [] {
    std::unordered_map<std::string_view, const TypeDef*> map;
    map.reserve(detail::kTypes.size());
    for (const TypeDef& t : detail::kTypes) map.emplace(t.name, &t);
    return map;
  }();
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

std::span<const std::string_view> resource_types() {
  return detail::kResourceTypes;
}

bool is_resource_type(std::string_view name) {
  return std::binary_search(detail::kResourceTypes.begin(), detail::kResourceTypes.end(), name);
}

std::uint32_t resolve_content_reference(const TypeDef& type, std::uint32_t index) {
  std::int32_t ref = type.elements[index].content_ref_index;
  return ref >= 0 ? static_cast<std::uint32_t>(ref) : index;
}

namespace {

// The name eight bytes at a time, mixed with the type and the parent element.
std::uint64_t child_hash(const TypeDef* type, std::uint32_t parent, std::string_view name) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = reinterpret_cast<std::uintptr_t>(type) ^
                    (static_cast<std::uint64_t>(parent) << 32) ^ name.size();
  const char* p = name.data();
  const std::size_t n = name.size();
  std::uint64_t word = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&word, p + i, 8);
    h = (h ^ word) * kMul;
  }
  // The rest without a byte loop: the last eight bytes (overlapping what was read), or two
  // overlapping four-byte reads, or the first, middle and last byte; the size is in `h`.
  if (i < n) {
    if (n >= 8) {
      std::memcpy(&word, p + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t lo = 0, hi = 0;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      word = (static_cast<std::uint64_t>(hi) << 32) | lo;
    } else {
      word = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) |
             static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
             static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
    }
    h = (h ^ word) * kMul;
  }
  return h ^ (h >> 32);
}

// Every JSON name of every element's children, choice elements spelled once per type
// ("valueQuantity"), in one open-addressed table built on first use. find_child was a scan of
// the children with a string compare each, called for every JSON property the validator and the
// v2 mapper meet (about 3,000 times per mapped ORU^R01); the table answers with one hash.
class ChildIndex {
 public:
  ChildIndex() {
    std::size_t count = 0;
    for (const TypeDef& t : detail::kTypes) {
      for (const ElementDef& e : t.elements) count += e.is_choice() ? e.types.size() : 1;
    }
    std::size_t size = 1;
    while (size < count * 2) size <<= 1;
    slots_.resize(size);
    mask_ = size - 1;
    for (const TypeDef& t : detail::kTypes) {
      for (std::uint32_t parent = 0; parent < t.elements.size(); ++parent) {
        for (std::uint32_t i : children(t, parent)) add_child(t, parent, i);
      }
    }
  }

  ChildMatch find(const TypeDef& type, std::uint32_t parent, std::string_view name) const {
    const std::uint64_t hash = child_hash(&type, parent, name);
    for (std::size_t s = hash & mask_;; s = (s + 1) & mask_) {
      const Slot& slot = slots_[s];
      if (slot.type == nullptr) return ChildMatch{};
      if (slot.hash == hash && slot.type == &type && slot.parent == parent && slot.name == name) {
        return slot.match;
      }
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    const TypeDef* type = nullptr;  // nullptr: empty
    std::uint32_t parent = 0;
    std::string_view name;
    ChildMatch match;
  };

  void add_child(const TypeDef& t, std::uint32_t parent, std::uint32_t i) {
    const ElementDef& e = t.elements[i];
    const auto index = static_cast<std::int32_t>(i);
    if (!e.is_choice()) {
      add(t, parent, e.name, ChildMatch{index, e.types.empty() ? nullptr : &e.types[0]});
      return;
    }
    std::string_view prefix = e.name.substr(0, e.name.size() - 3);  // drop "[x]"
    for (const TypeRef& r : e.types) {
      if (r.code.empty()) continue;
      std::string& name = names_.emplace_back(prefix);
      name += r.code;
      char& first = name[prefix.size()];
      if (first >= 'a' && first <= 'z') first = static_cast<char>(first - 'a' + 'A');
      add(t, parent, name, ChildMatch{index, &r});
    }
  }

  // The first of the children to claim a name keeps it, as a scan in definition order would.
  void add(const TypeDef& t, std::uint32_t parent, std::string_view name, ChildMatch match) {
    const std::uint64_t hash = child_hash(&t, parent, name);
    for (std::size_t s = hash & mask_;; s = (s + 1) & mask_) {
      Slot& slot = slots_[s];
      if (slot.type == nullptr) {
        slot = Slot{hash, &t, parent, name, match};
        return;
      }
      if (slot.type == &t && slot.parent == parent && slot.name == name) return;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::deque<std::string> names_;  // the choice elements' typed names (stable addresses)
};

}  // namespace

ChildMatch find_child(const TypeDef& type, std::uint32_t parent, std::string_view json_name) {
  static const ChildIndex index;
  return index.find(type, parent, json_name);
}

const ElementDef* find_element(std::string_view full_path) {
  std::string_view type_name = full_path.substr(0, full_path.find('.'));
  const TypeDef* type = find_type(type_name);
  if (type == nullptr) return nullptr;
  std::uint32_t current = 0;
  std::string_view rest = full_path.substr(type_name.size());
  while (!rest.empty()) {
    rest.remove_prefix(1);  // '.'
    std::string_view segment = rest.substr(0, rest.find('.'));
    rest.remove_prefix(segment.size());
    std::uint32_t parent = resolve_content_reference(*type, current);
    bool found = false;
    for (std::uint32_t i : children(*type, parent)) {
      if (type->elements[i].name == segment) {
        current = i;
        found = true;
        break;
      }
    }
    if (!found) return nullptr;
  }
  return &type->elements[current];
}

std::span<const SearchParamDef> search_params() {
  return detail::kSearchParams;
}
std::span<const SearchParamEntry> search_param_index() {
  return detail::kSearchParamIndex;
}

std::span<const SearchParamEntry> search_params_for(std::string_view resource_type) {
  auto range = std::equal_range(
      detail::kSearchParamIndex.begin(), detail::kSearchParamIndex.end(), resource_type,
      [](const auto& a, const auto& b) {
        if constexpr (std::is_same_v<std::decay_t<decltype(a)>, SearchParamEntry>) {
          return a.resource_type < b;
        } else {
          return a < b.resource_type;
        }
      });
  return {range.first, range.second};
}

bool derives_from(const TypeDef* type, std::string_view base) {
  for (; type != nullptr; type = type->base.empty() ? nullptr : find_type(type->base)) {
    if (type->name == base) return true;
  }
  return false;
}

const SearchParamDef* find_search_param(std::string_view resource_type, std::string_view code) {
  for (const TypeDef* type = find_type(resource_type); type != nullptr;
       type = type->base.empty() ? nullptr : find_type(type->base)) {
    for (const SearchParamEntry& e : search_params_for(type->name)) {
      if (e.code == code) return e.param;
    }
  }
  return nullptr;
}

const SearchParamDef* find_search_param_by_url(std::string_view url) {
  for (const SearchParamDef& p : detail::kSearchParams) {
    if (p.url == url) return &p;
  }
  return nullptr;
}

std::span<const CompartmentEntry> compartment_entries() {
  return detail::kCompartments;
}

std::span<const std::string_view> compartment_params(std::string_view compartment,
                                                     std::string_view resource_type) {
  auto it = std::lower_bound(detail::kCompartments.begin(), detail::kCompartments.end(),
                             std::pair(compartment, resource_type),
                             [](const CompartmentEntry& e, const auto& key) {
                               return std::pair(e.compartment, e.resource_type) < key;
                             });
  if (it == detail::kCompartments.end() || it->compartment != compartment ||
      it->resource_type != resource_type) {
    return {};
  }
  return it->params;
}

}  // namespace hearth::fhir
