// Snapshot generation: the base's elements (a generated type's table, or a base profile's
// snapshot), then each differential element located by its id, unfolding datatypes and
// creating slices on the way, and its constraints merged in.
#include "fhir/profile.h"

#include <charconv>

namespace hearth::fhir {
namespace {

constexpr std::string_view kCorePrefix = "http://hl7.org/fhir/StructureDefinition/";

std::string_view member_string(const JsonValue& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !is_json_string(it->value)) return {};
  return json_string(it->value);
}

Status bad(std::string diagnostics, std::string_view where = {}) {
  return Status(Code::kInvalidArgument, std::move(diagnostics), std::string(where), "invalid");
}

// One segment of an element id: "component:SystolicBP" -> {component, SystolicBP}.
struct Segment {
  std::string_view name;
  std::string_view slice;
};

std::vector<Segment> split_id(std::string_view id) {
  std::vector<Segment> out;
  while (!id.empty()) {
    std::size_t dot = id.find('.');
    // A slice name may hold '.' only after ':' in theory; R4 slice names never do.
    std::string_view part = id.substr(0, dot);
    std::size_t colon = part.find(':');
    out.push_back(colon == std::string_view::npos
                      ? Segment{part, {}}
                      : Segment{part.substr(0, colon), part.substr(colon + 1)});
    if (dot == std::string_view::npos) break;
    id.remove_prefix(dot + 1);
  }
  return out;
}

class Builder {
 public:
  explicit Builder(Profile& p) : p_(p) {}

  // Appends the element `index` of `type` (and, for a backbone, its children) under `parent`.
  Status add_from_table(const TypeDef& type, std::uint32_t index, std::int32_t parent) {
    const ElementDef& def = type.elements[index];
    ProfileElement e;
    e.name = index == 0 ? std::string(type.name) : std::string(def.name);
    e.min = def.min;
    e.max = def.max;
    for (const TypeRef& t : def.types) {
      ProfileType pt;
      pt.code = std::string(t.code);
      for (std::string_view target : t.targets) {
        pt.target_profiles.push_back(std::string(kCorePrefix) + std::string(target));
      }
      e.types.push_back(std::move(pt));
    }
    e.binding_strength = def.binding_strength;
    e.value_set = std::string(def.value_set);
    if (index == 0) {
      e.source_type = &type;
      e.source_index = 0;
    } else if (def.is_backbone() || !def.content_reference.empty()) {
      e.source_type = &type;
      e.source_index = resolve_content_reference(type, index);
    } else {
      set_type_source(e);
    }
    HEARTH_ASSIGN_OR_RETURN(std::uint32_t at, append(std::move(e), parent));
    if (index == 0 || def.is_backbone()) HEARTH_RETURN_IF_ERROR(unfold(at));
    return Status::ok();
  }

  // Adds the children its source names, once.
  Status unfold(std::uint32_t at) {
    if (p_.elements[at].unfolded || p_.elements[at].source_type == nullptr) return Status::ok();
    p_.elements[at].unfolded = true;
    const TypeDef& type = *p_.elements[at].source_type;
    for (std::uint32_t c : children(type, p_.elements[at].source_index)) {
      HEARTH_RETURN_IF_ERROR(add_from_table(type, c, static_cast<std::int32_t>(at)));
    }
    return Status::ok();
  }

  // A copy of the subtree at `from` (without its slices when `top`) under `parent`.
  Result<std::uint32_t> clone(std::uint32_t from, std::int32_t parent, bool top) {
    ProfileElement e = p_.elements[from];
    e.children.clear();
    if (top) {
      e.slices.clear();
      e.sliced = false;
      e.slicing = {};
    }
    std::vector<std::uint32_t> kids = p_.elements[from].children;
    std::vector<std::uint32_t> slices = top ? std::vector<std::uint32_t>{} : e.slices;
    e.slices.clear();
    HEARTH_ASSIGN_OR_RETURN(std::uint32_t at, append(std::move(e), parent));
    for (std::uint32_t k : kids) {
      HEARTH_ASSIGN_OR_RETURN(std::uint32_t c, clone(k, static_cast<std::int32_t>(at), false));
      (void)c;
    }
    for (std::uint32_t s : slices) {
      HEARTH_ASSIGN_OR_RETURN(std::uint32_t c, clone(s, parent, false));
      p_.elements[c].parent = parent;
      // A slice is listed on its base, not among the parent's children.
      auto& siblings = parent >= 0 ? p_.elements[parent].children : roots_;
      siblings.pop_back();
      p_.elements[at].slices.push_back(c);
    }
    return at;
  }

  Result<std::uint32_t> append(ProfileElement e, std::int32_t parent) {
    if (p_.elements.size() >= kMaxProfileElements) {
      return bad("the snapshot would have more than " + std::to_string(kMaxProfileElements) +
                 " elements");
    }
    e.parent = parent;
    if (parent >= 0) {
      e.id = p_.elements[parent].id + "." + e.name;
      e.path = p_.elements[parent].path + "." + e.name;
    } else if (e.id.empty()) {
      e.id = e.path = e.name;
    }
    auto at = static_cast<std::uint32_t>(p_.elements.size());
    p_.elements.push_back(std::move(e));
    if (parent >= 0) {
      p_.elements[parent].children.push_back(at);
    } else {
      roots_.push_back(at);
    }
    return at;
  }

  // Recomputes ids and paths below `at` (after cloning under a new name).
  void rename(std::uint32_t at) {
    for (std::uint32_t c : p_.elements[at].children) {
      ProfileElement& k = p_.elements[c];
      k.id = p_.elements[at].id + "." + k.name;
      k.path = p_.elements[at].path + "." + k.name;
      rename_slices(c);
      rename(c);
    }
  }
  void rename_slices(std::uint32_t at) {
    for (std::uint32_t s : p_.elements[at].slices) {
      ProfileElement& k = p_.elements[s];
      k.id = p_.elements[at].id + ":" + k.slice_name;
      k.path = p_.elements[at].path;
      rename(s);
    }
  }

  static void set_type_source(ProfileElement& e) {
    if (e.types.size() != 1) return;
    const TypeDef* t = find_type(e.types[0].code);
    if (t != nullptr && t->kind == TypeKind::kComplex) {
      e.source_type = t;
      e.source_index = 0;
    }
  }

 private:
  Profile& p_;
  std::vector<std::uint32_t> roots_;
};

Result<std::uint32_t> parse_cardinality(const JsonValue& e, const char* name, bool is_max,
                                        std::string_view where) {
  auto it = e.FindMember(name);
  if (is_max) {
    if (!is_json_string(it->value)) return bad("max must be a string", where);
    std::string_view s = json_string(it->value);
    if (s == "*") return kUnbounded;
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
      return bad("bad max '" + std::string(s.substr(0, 20)) + "'", where);
    return v;
  }
  if (!is_json_number(it->value)) return bad("min must be an integer", where);
  std::string_view s = json_number_text(it->value);
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return bad("bad min", where);
  return v;
}

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

class Compiler {
 public:
  Compiler(Profile& p, Builder& b) : p_(p), b_(b) {}

  // The element the id's segments name, creating slices and unfolding datatypes as needed.
  Result<std::uint32_t> locate(const std::vector<Segment>& segs, bool has_type,
                               std::string_view where) {
    std::uint32_t cur = 0;
    if (!segs.front().slice.empty()) return bad("the root cannot be sliced", where);
    for (std::size_t i = 1; i < segs.size(); ++i) {
      const Segment& s = segs[i];
      bool last = i + 1 == segs.size();
      HEARTH_RETURN_IF_ERROR(b_.unfold(cur));
      HEARTH_ASSIGN_OR_RETURN(std::uint32_t child,
                              find_child(cur, s.name, last && has_type, where));
      if (!s.slice.empty()) {
        HEARTH_ASSIGN_OR_RETURN(child, slice_of(child, s.slice, where));
      }
      cur = child;
    }
    return cur;
  }

  Result<std::uint32_t> find_child(std::uint32_t parent, std::string_view name, bool typed_last,
                                   std::string_view where) {
    for (std::uint32_t c : p_.elements[parent].children) {
      if (p_.elements[c].name == name) return c;
    }
    // A renamed choice: "valueQuantity" for value[x].
    for (std::uint32_t c : p_.elements[parent].children) {
      const ProfileElement& e = p_.elements[c];
      if (!e.is_choice()) continue;
      std::string_view prefix = std::string_view(e.name).substr(0, e.name.size() - 3);
      if (!name.starts_with(prefix) || name.size() == prefix.size()) continue;
      std::string_view suffix = name.substr(prefix.size());
      const ProfileType* match = nullptr;
      for (const ProfileType& t : e.types) {
        if (is_capitalised(suffix, t.code)) match = &t;
      }
      if (match == nullptr) {
        return bad("no type " + std::string(suffix) + " on " + e.id, where);
      }
      // As the official snapshots have it: inside a slice, a renamed choice given a type
      // restricts the choice; elsewhere it becomes a type slice.
      if ((typed_last && inside_slice(c)) || (e.types.size() == 1 && e.slices.empty())) return c;
      for (std::uint32_t s : e.slices) {
        if (p_.elements[s].slice_name == name) return s;
      }
      ProfileType restricted = *match;
      if (!p_.elements[c].sliced) {
        p_.elements[c].sliced = true;
        p_.elements[c].slicing.discriminators = {{DiscriminatorKind::kType, "$this"}};
      }
      HEARTH_ASSIGN_OR_RETURN(std::uint32_t s, new_slice(c, name, where));
      p_.elements[s].types = {restricted};
      p_.elements[s].source_type = nullptr;
      Builder::set_type_source(p_.elements[s]);
      return s;
    }
    return bad("no element " + std::string(name) + " in " + p_.elements[parent].id, where);
  }

  bool inside_slice(std::uint32_t at) const {
    for (std::int32_t i = p_.elements[at].parent; i >= 0; i = p_.elements[i].parent) {
      if (!p_.elements[i].slice_name.empty()) return true;
    }
    return false;
  }

  Result<std::uint32_t> slice_of(std::uint32_t base, std::string_view slice,
                                 std::string_view where) {
    for (std::uint32_t s : p_.elements[base].slices) {
      if (p_.elements[s].slice_name == slice) return s;
    }
    ProfileElement& e = p_.elements[base];
    if (e.slice_name == slice) return base;
    if (!e.sliced) {
      if (e.name == "extension" || e.name == "modifierExtension") {
        // Extensions are sliced by url in the base snapshots.
        e.sliced = true;
        e.slicing.discriminators = {{DiscriminatorKind::kValue, "url"}};
      } else if (e.slice_name.empty()) {
        // A slice of an element that is not sliced names the element itself, as the official
        // snapshots of `catalog` and `familymemberhistory-genetic` have it.
        e.slice_name = std::string(slice);
        e.id += ":" + e.slice_name;
        b_.rename(base);
        return base;
      } else {
        return bad(e.id + " is not sliced, so it has no slice " + std::string(slice), where);
      }
    }
    return new_slice(base, slice, where);
  }

  Result<std::uint32_t> new_slice(std::uint32_t base, std::string_view slice,
                                  std::string_view where) {
    if (p_.elements[base].slices.size() >= kMaxProfileSlices) {
      return bad(
          p_.elements[base].id + " has more than " + std::to_string(kMaxProfileSlices) + " slices",
          where);
    }
    std::int32_t parent = p_.elements[base].parent;
    HEARTH_ASSIGN_OR_RETURN(std::uint32_t s, b_.clone(base, parent, true));
    if (parent >= 0) p_.elements[parent].children.pop_back();
    ProfileElement& e = p_.elements[s];
    e.slice_name = std::string(slice);
    e.id = p_.elements[base].id + ":" + e.slice_name;
    e.min = 0;
    e.constrained = true;
    p_.elements[base].slices.push_back(s);
    b_.rename(s);
    return s;
  }

  Status apply(std::uint32_t at, const JsonValue& d, std::string_view where) {
    ProfileElement& e = p_.elements[at];
    e.constrained = true;
    if (d.HasMember("min")) {
      HEARTH_ASSIGN_OR_RETURN(std::uint32_t min, parse_cardinality(d, "min", false, where));
      if (min < e.min && e.slice_name.empty()) {
        return bad("min " + std::to_string(min) + " is below the base's " + std::to_string(e.min),
                   where);
      }
      p_.elements[at].min = min;
    }
    if (d.HasMember("max")) {
      HEARTH_ASSIGN_OR_RETURN(std::uint32_t max, parse_cardinality(d, "max", true, where));
      // A slice's cardinality is bounded by its sliced element, checked when validating.
      if (max > p_.elements[at].max && p_.elements[at].slice_name.empty()) {
        return bad("max is above the base's", where);
      }
      p_.elements[at].max = max;
    }
    if (p_.elements[at].min > p_.elements[at].max) return bad("min is above max", where);
    if (auto it = d.FindMember("type"); it != d.MemberEnd()) {
      HEARTH_RETURN_IF_ERROR(apply_types(at, it->value, where));
    }
    for (auto m = d.MemberBegin(); m != d.MemberEnd(); ++m) {
      std::string_view key(m->name.GetString(), m->name.GetStringLength());
      bool fixed = key.size() > 5 && key.starts_with("fixed") && is_upper(key[5]);
      bool pattern = key.size() > 7 && key.starts_with("pattern") && is_upper(key[7]);
      if (!fixed && !pattern) continue;
      auto doc = std::make_shared<JsonDocument>();
      doc->CopyFrom(m->value, doc->GetAllocator());
      p_.elements[at].fixed = std::move(doc);
      p_.elements[at].fixed_is_pattern = pattern;
    }
    if (auto it = d.FindMember("binding"); it != d.MemberEnd() && it->value.IsObject()) {
      std::string_view strength = member_string(it->value, "strength");
      BindingStrength s = strength == "required"     ? BindingStrength::kRequired
                          : strength == "extensible" ? BindingStrength::kExtensible
                          : strength == "preferred"  ? BindingStrength::kPreferred
                          : strength == "example"    ? BindingStrength::kExample
                                                     : BindingStrength::kNone;
      if (s == BindingStrength::kNone) return bad("binding.strength is missing or unknown", where);
      p_.elements[at].binding_strength = s;
      p_.elements[at].value_set = std::string(member_string(it->value, "valueSet"));
    }
    if (auto it = d.FindMember("slicing"); it != d.MemberEnd() && it->value.IsObject()) {
      HEARTH_RETURN_IF_ERROR(apply_slicing(at, it->value, where));
    }
    return read_profile_constraints(d, where, p_.elements[at].constraints);
  }

 private:
  Status apply_types(std::uint32_t at, const JsonValue& types, std::string_view where) {
    if (!types.IsArray() || types.Empty()) return bad("type must be a non-empty array", where);
    std::vector<ProfileType> out;
    for (const JsonValue& t : types.GetArray()) {
      ProfileType pt;
      pt.code = std::string(member_string(t, "code"));
      if (pt.code.empty()) return bad("a type without code", where);
      const ProfileElement& e = p_.elements[at];
      bool allowed = e.types.empty();
      for (const ProfileType& b : e.types) {
        if (b.code == pt.code || (b.code == "Resource" && is_resource_type(pt.code)) ||
            b.code == "Element" || b.code == "*") {
          allowed = true;
        }
      }
      if (!allowed) return bad("type " + pt.code + " is not allowed by the base", where);
      for (const char* key : {"profile", "targetProfile"}) {
        auto it = t.FindMember(key);
        if (it == t.MemberEnd() || !it->value.IsArray()) continue;
        for (const JsonValue& u : it->value.GetArray()) {
          if (!is_json_string(u)) continue;
          (key[0] == 'p' ? pt.profiles : pt.target_profiles).emplace_back(json_string(u));
        }
      }
      out.push_back(std::move(pt));
    }
    ProfileElement& e = p_.elements[at];
    e.types = std::move(out);
    if (!e.unfolded && e.source_type != nullptr && e.source_type->kind == TypeKind::kComplex &&
        e.source_index == 0) {
      e.source_type = nullptr;
    }
    if (!e.unfolded && e.source_type == nullptr) Builder::set_type_source(e);
    return Status::ok();
  }

  Status apply_slicing(std::uint32_t at, const JsonValue& s, std::string_view where) {
    Slicing slicing;
    if (auto it = s.FindMember("discriminator"); it != s.MemberEnd() && it->value.IsArray()) {
      for (const JsonValue& d : it->value.GetArray()) {
        std::string_view type = member_string(d, "type");
        std::string_view path = member_string(d, "path");
        DiscriminatorKind k;
        if (type == "value") {
          k = DiscriminatorKind::kValue;
        } else if (type == "pattern") {
          k = DiscriminatorKind::kPattern;
        } else if (type == "type") {
          k = DiscriminatorKind::kType;
        } else if (type == "profile") {
          k = DiscriminatorKind::kProfile;
        } else if (type == "exists") {
          k = DiscriminatorKind::kExists;
        } else {
          return bad("unknown discriminator type '" + std::string(type.substr(0, 20)) + "'", where);
        }
        if (path.empty()) return bad("a discriminator without path", where);
        slicing.discriminators.push_back({k, std::string(path)});
      }
    }
    if (auto it = s.FindMember("ordered"); it != s.MemberEnd() && it->value.IsBool()) {
      slicing.ordered = it->value.GetBool();
    }
    std::string_view rules = member_string(s, "rules");
    slicing.rules = rules == "closed"      ? SlicingRules::kClosed
                    : rules == "openAtEnd" ? SlicingRules::kOpenAtEnd
                                           : SlicingRules::kOpen;
    p_.elements[at].sliced = true;
    p_.elements[at].slicing = std::move(slicing);
    return Status::ok();
  }

  Profile& p_;
  Builder& b_;
};

void order_from(const Profile& p, std::uint32_t at, std::vector<std::uint32_t>& out) {
  out.push_back(at);
  for (std::uint32_t c : p.elements[at].children) order_from(p, c, out);
  for (std::uint32_t s : p.elements[at].slices) order_from(p, s, out);
}

}  // namespace

std::string_view canonical_without_version(std::string_view url) {
  std::size_t bar = url.find('|');
  return bar == std::string_view::npos ? url : url.substr(0, bar);
}

std::vector<std::uint32_t> snapshot_order(const Profile& profile) {
  std::vector<std::uint32_t> out;
  if (!profile.elements.empty()) order_from(profile, 0, out);
  return out;
}

Result<std::shared_ptr<const Profile>> compile_profile(const JsonValue& sd,
                                                       const ProfileLookup& lookup) {
  if (member_string(sd, "resourceType") != "StructureDefinition") {
    return bad("not a StructureDefinition");
  }
  auto p = std::make_shared<Profile>();
  p->url = std::string(member_string(sd, "url"));
  p->name = std::string(member_string(sd, "name"));
  p->type = std::string(member_string(sd, "type"));
  p->base_url = std::string(canonical_without_version(member_string(sd, "baseDefinition")));
  if (p->url.empty() || p->type.empty() || p->base_url.empty()) {
    return bad("a profile needs url, type and baseDefinition");
  }
  if (member_string(sd, "derivation") != "constraint") {
    return bad("only derivation 'constraint' is a profile", "StructureDefinition.derivation");
  }
  Builder builder(*p);
  const TypeDef* base_type = nullptr;
  if (p->base_url.starts_with(kCorePrefix)) {
    base_type = find_type(std::string_view(p->base_url).substr(kCorePrefix.size()));
    if (base_type != nullptr && base_type->url != p->base_url) base_type = nullptr;
  }
  if (base_type != nullptr) {
    if (base_type->name != p->type) return bad("type differs from the base type's");
    p->kind = base_type->kind;
    HEARTH_RETURN_IF_ERROR(builder.add_from_table(*base_type, 0, -1));
  } else {
    std::shared_ptr<const Profile> base = lookup ? lookup(p->base_url) : nullptr;
    if (base == nullptr) {
      return bad("unknown base profile " + p->base_url.substr(0, 200),
                 "StructureDefinition.baseDefinition");
    }
    if (base->type != p->type) return bad("type differs from the base profile's");
    if (base->depth + 1 > kMaxProfileBaseDepth) {
      return bad("profiles derive from profiles more than " + std::to_string(kMaxProfileBaseDepth) +
                 " deep");
    }
    p->kind = base->kind;
    p->depth = base->depth + 1;
    p->elements = base->elements;
  }

  auto diff = sd.FindMember("differential");
  if (diff == sd.MemberEnd() || !diff->value.IsObject()) return std::shared_ptr<const Profile>(p);
  auto elems = diff->value.FindMember("element");
  if (elems == diff->value.MemberEnd()) return std::shared_ptr<const Profile>(p);
  if (!elems->value.IsArray()) return bad("differential.element must be an array");
  if (elems->value.Size() > kMaxProfileDifferential) {
    return bad("more than " + std::to_string(kMaxProfileDifferential) + " differential elements");
  }
  Compiler compiler(*p, builder);
  for (const JsonValue& d : elems->value.GetArray()) {
    if (!d.IsObject()) return bad("a differential element is not an object");
    std::string_view path = member_string(d, "path");
    std::string id(member_string(d, "id"));
    if (id.empty()) {
      id = std::string(path);
      std::string_view slice = member_string(d, "sliceName");
      if (!slice.empty()) id += ":" + std::string(slice);
    }
    std::string where = "StructureDefinition.differential.element('" + id.substr(0, 200) + "')";
    if (path.empty()) return bad("a differential element without path", where);
    std::vector<Segment> segs = split_id(id);
    if (segs.size() > kMaxProfilePathDepth) {
      return bad("an element id deeper than " + std::to_string(kMaxProfilePathDepth), where);
    }
    if (segs.front().name != p->type) return bad("the path is outside " + p->type, where);
    HEARTH_ASSIGN_OR_RETURN(std::uint32_t at, compiler.locate(segs, d.HasMember("type"), where));
    HEARTH_RETURN_IF_ERROR(compiler.apply(at, d, where));
  }
  return std::shared_ptr<const Profile>(p);
}

}  // namespace hearth::fhir
