// The walk over a value and a profile's snapshot tree side by side: each constrained element's
// values gathered from the JSON, matched to slices, and checked.
#include "fhir/profile_validate.h"

#include "fhir/binding_check.h"
#include "fhir/terminology/expansion_cache.h"
#include "fhir/validate.h"
#include "fhir/value_set.h"

namespace hearth::fhir {
namespace {

constexpr std::string_view kCorePrefix = "http://hl7.org/fhir/StructureDefinition/";

// A value found under an element: the JSON, where it is, and its type for choice elements.
struct Found {
  const JsonValue* value;
  std::string path;
  std::string_view json_name;
  std::string type;  // the FHIR type code of a choice value ("Quantity"), else ""
};

bool contains_pattern(const JsonValue& v, const JsonValue& p) {
  if (p.IsObject()) {
    if (!v.IsObject()) return false;
    for (auto m = p.MemberBegin(); m != p.MemberEnd(); ++m) {
      auto it = v.FindMember(m->name);
      if (it == v.MemberEnd() || !contains_pattern(it->value, m->value)) return false;
    }
    return true;
  }
  if (p.IsArray()) {
    if (!v.IsArray()) return false;
    for (const JsonValue& item : p.GetArray()) {
      bool any = false;
      for (const JsonValue& w : v.GetArray()) any = any || contains_pattern(w, item);
      if (!any) return false;
    }
    return true;
  }
  return v == p;
}

bool matches_fixed(const JsonValue& v, const ProfileElement& e) {
  return e.fixed_is_pattern ? contains_pattern(v, *e.fixed) : v == *e.fixed;
}

std::string_view str_member(const JsonValue& v, const char* name) {
  if (!v.IsObject()) return {};
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !is_json_string(it->value)) return {};
  return json_string(it->value);
}

std::string lower_first(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] + 32);
  return out;
}

// The values of property `name` of `obj` (a choice's values when `name` ends in "[x]").
void gather(const JsonValue& obj, const ProfileElement& child, const std::string& base_path,
            std::vector<Found>& out) {
  if (!obj.IsObject()) return;
  auto add = [&](const JsonValue& v, std::string_view json_name, std::string type,
                 std::string step) {
    if (v.IsArray()) {
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        out.push_back(
            {&v[i], base_path + "." + step + "[" + std::to_string(i) + "]", json_name, type});
      }
    } else {
      out.push_back({&v, base_path + "." + step, json_name, type});
    }
  };
  if (!child.is_choice()) {
    auto it = obj.FindMember(rapidjson::StringRef(child.name.data(), child.name.size()));
    if (it != obj.MemberEnd()) add(it->value, child.name, {}, child.name);
    return;
  }
  std::string_view prefix = std::string_view(child.name).substr(0, child.name.size() - 3);
  for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m) {
    std::string_view key(m->name.GetString(), m->name.GetStringLength());
    if (key.size() <= prefix.size() || !key.starts_with(prefix)) continue;
    char c = key[prefix.size()];
    if (c < 'A' || c > 'Z') continue;
    std::string_view suffix = key.substr(prefix.size());
    // The type code as the model spells it: "Quantity", "string", "dateTime".
    std::string type(suffix);
    const TypeDef* t = find_type(type);
    if (t == nullptr || t->kind != TypeKind::kComplex) type = lower_first(suffix);
    add(m->value, key, type, std::string(prefix) + ".ofType(" + type + ")");
  }
}

// Splits a discriminator path on '.' outside parentheses.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '(') ++depth;
    if (path[i] == ')') --depth;
    if (path[i] == '.' && depth == 0) {
      out.push_back(path.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(path.substr(start));
  return out;
}

std::string_view call_argument(std::string_view seg) {
  std::size_t open = seg.find('(');
  std::string_view arg = seg.substr(open + 1, seg.size() - open - 2);
  if (arg.size() >= 2 && arg.front() == '\'' && arg.back() == '\'') {
    arg = arg.substr(1, arg.size() - 2);
  }
  return arg;
}

class Checker {
 public:
  // `resource`: %resource for the profiles' invariants (nullptr: each value is its own).
  Checker(const ProfileLookup& lookup, std::vector<Issue>& issues, const JsonValue* resource)
      : lookup_(lookup), issues_(issues), resource_(resource) {}

  void check_profile(const JsonValue& value, const Profile& profile, const std::string& path,
                     int nesting) {
    if (nesting > kMaxProfileNesting) {
      report(
          Severity::kWarning, "not-supported",
          "profiles nested deeper than " + std::to_string(kMaxProfileNesting) + " are not followed",
          path);
      return;
    }
    Frame f{&profile, nesting};
    check_element(f, 0, value, path, {});
  }

 private:
  struct Frame {
    const Profile* profile;
    int nesting;
  };

  void report(Severity s, const char* type, std::string diagnostics, const std::string& path) {
    if (issues_.size() >= kMaxValidationIssues) return;
    issues_.push_back(Issue{s, type, std::move(diagnostics), path});
  }
  std::string from(const Frame& f) const { return " (from " + f.profile->url + ")"; }

  // One value of element `at`.
  void check_element(const Frame& f, std::uint32_t at, const JsonValue& v, const std::string& path,
                     std::string_view type) {
    const ProfileElement& e = f.profile->elements[at];
    if (e.fixed != nullptr && !matches_fixed(v, e)) {
      report(Severity::kError, "value",
             std::string(e.fixed_is_pattern ? "the value does not match the pattern "
                                            : "the value must be exactly ") +
                 write_json(*e.fixed) + " (" + e.id + ")" + from(f),
             path);
    }
    std::string type_code(type);
    if (type_code.empty() && e.types.size() == 1) type_code = e.types[0].code;
    if (e.constrained) check_types(f, e, v, path, type_code);
    if (e.constrained && (e.binding_strength == BindingStrength::kRequired ||
                          e.binding_strength == BindingStrength::kExtensible)) {
      check_binding_of(f, e, v, path, type_code);
    }
    if (!e.constraints.empty()) check_constraints(f, at, v, path, type_code);
    if (!v.IsObject()) return;
    for (std::uint32_t c : e.children) check_children(f, c, v, path);
  }

  // The profile's own invariants on value `v` of element `at`, $this typed as navigation would
  // type it (fhirpath/item.h): the profile's type at its root, a backbone element's own children,
  // else the value's type.
  void check_constraints(const Frame& f, std::uint32_t at, const JsonValue& v,
                         const std::string& path, const std::string& type_code) {
    const ProfileElement& e = f.profile->elements[at];
    ConstraintContext context;
    fhirpath::Item& node = context.node;
    node.json = &v;
    if (at == 0) {
      node.type = node.owner = find_type(f.profile->type);
    } else if (e.source_type != nullptr && e.source_index != 0) {
      static const TypeDef* const kBackbone = find_type("BackboneElement");
      const ElementDef& def = e.source_type->elements[e.source_index];
      node.type = def.types.empty() || def.types[0].type_index < 0
                      ? kBackbone
                      : &all_types()[def.types[0].type_index];
      node.owner = e.source_type;
      node.element = e.source_index;
    } else {
      node.type = node.owner = type_code.empty() ? nullptr : find_type(type_code);
    }
    context.resource = resource_;
    context.path = path;
    context.profile_url = f.profile->url;
    check_profile_constraints(e.constraints, context, issues_, kMaxValidationIssues);
  }

  void check_children(const Frame& f, std::uint32_t c, const JsonValue& obj,
                      const std::string& path) {
    const ProfileElement& child = f.profile->elements[c];
    std::vector<Found> found;
    gather(obj, child, path, found);
    if (child.constrained) check_count(f, child, found.size(), path, child.id);
    std::vector<std::int32_t> slice_of(found.size(), -1);
    if (!child.slices.empty()) assign_slices(f, child, found, slice_of, path);
    for (std::size_t i = 0; i < found.size(); ++i) {
      check_element(f, c, *found[i].value, found[i].path, found[i].type);
      if (slice_of[i] >= 0) {
        check_element(f, static_cast<std::uint32_t>(slice_of[i]), *found[i].value, found[i].path,
                      found[i].type);
      }
    }
  }

  void check_count(const Frame& f, const ProfileElement& e, std::size_t n,
                   const std::string& parent_path, const std::string& what) {
    if (n < e.min) {
      report(Severity::kError, "structure",
             what + ": minimum required = " + std::to_string(e.min) + ", but only found " +
                 std::to_string(n) + from(f),
             parent_path);
    }
    if (e.max != kUnbounded && n > e.max) {
      report(Severity::kError, "structure",
             what + ": maximum allowed = " + std::to_string(e.max) + ", but found " +
                 std::to_string(n) + from(f),
             parent_path);
    }
  }

  void assign_slices(const Frame& f, const ProfileElement& base, const std::vector<Found>& found,
                     std::vector<std::int32_t>& slice_of, const std::string& parent_path) {
    const Profile& p = *f.profile;
    std::vector<std::size_t> counts(base.slices.size(), 0);
    for (std::size_t i = 0; i < found.size(); ++i) {
      for (std::size_t s = 0; s < base.slices.size(); ++s) {
        if (matches_slice(f, base, p.elements[base.slices[s]], found[i])) {
          slice_of[i] = static_cast<std::int32_t>(base.slices[s]);
          ++counts[s];
          break;
        }
      }
      if (slice_of[i] < 0 && base.slicing.rules == SlicingRules::kClosed) {
        report(Severity::kError, "structure",
               "this element does not match any known slice of " + base.id +
                   ", and the slicing is closed" + from(f),
               found[i].path);
      }
    }
    for (std::size_t s = 0; s < base.slices.size(); ++s) {
      const ProfileElement& slice = p.elements[base.slices[s]];
      check_count(f, slice, counts[s], parent_path, "slice '" + slice.id + "'");
    }
  }

  bool matches_slice(const Frame& f, const ProfileElement& base, const ProfileElement& slice,
                     const Found& item) {
    if (base.is_choice()) return item.json_name == slice.slice_name;  // a type slice
    if (base.slicing.discriminators.empty()) return false;
    for (const Discriminator& d : base.slicing.discriminators) {
      if (!matches_discriminator(f, slice, d, item)) return false;
    }
    return true;
  }

  bool matches_discriminator(const Frame& f, const ProfileElement& slice, const Discriminator& d,
                             const Found& item) {
    std::vector<std::string_view> segs = split_path(d.path);
    for (std::string_view s : segs) {
      if (s.starts_with("resolve(")) {
        if (!warned_resolve_) {
          warned_resolve_ = true;
          report(Severity::kWarning, "not-supported",
                 "the discriminator " + d.path + " of " + slice.id +
                     " needs resolve(), which profile validation does not follow" + from(f),
                 item.path);
        }
        return false;
      }
    }
    std::vector<const JsonValue*> values = navigate_json(*item.value, segs);
    std::vector<const ProfileElement*> targets = navigate_profile(*f.profile, slice, segs);
    switch (d.kind) {
      case DiscriminatorKind::kValue:
      case DiscriminatorKind::kPattern: {
        std::vector<const ProfileElement*> expected;
        for (const ProfileElement* t : targets) {
          if (t->fixed != nullptr) expected.push_back(t);
        }
        if (expected.empty()) {
          // An extension slice identified by its definition's URL.
          if (d.path == "url" && slice.types.size() == 1 && !slice.types[0].profiles.empty()) {
            std::string_view url = canonical_without_version(slice.types[0].profiles[0]);
            for (const JsonValue* v : values) {
              if (is_json_string(*v) && json_string(*v) == url) return true;
            }
          }
          return false;
        }
        for (const JsonValue* v : values) {
          for (const ProfileElement* t : expected) {
            if (matches_fixed(*v, *t)) return true;
          }
        }
        return false;
      }
      case DiscriminatorKind::kExists: {
        bool required = false;
        for (const ProfileElement* t : targets) required = required || t->min > 0;
        return values.empty() != required;
      }
      case DiscriminatorKind::kType: {
        std::string actual =
            d.path == "$this" && !item.type.empty()
                ? item.type
                : (values.empty() ? std::string()
                                  : std::string(str_member(*values[0], "resourceType")));
        for (const ProfileElement* t : targets) {
          for (const ProfileType& ty : t->types) {
            if (ty.code == actual) return true;
          }
        }
        return false;
      }
      case DiscriminatorKind::kProfile: {
        for (const ProfileElement* t : targets) {
          for (const ProfileType& ty : t->types) {
            for (const std::string& url : ty.profiles) {
              std::shared_ptr<const Profile> prof = find(url);
              if (prof == nullptr) continue;
              for (const JsonValue* v : values) {
                std::vector<Issue> sub;
                Checker inner(lookup_, sub, resource_);
                inner.check_profile(*v, *prof, item.path, f.nesting + 1);
                bool ok = true;
                for (const Issue& i : sub) ok = ok && i.severity != Severity::kError;
                if (ok) return true;
              }
            }
          }
        }
        return false;
      }
    }
    return false;
  }

  static std::vector<const JsonValue*> navigate_json(const JsonValue& start,
                                                     const std::vector<std::string_view>& segs) {
    std::vector<const JsonValue*> cur{&start};
    for (std::size_t i = 0; i < segs.size(); ++i) {
      std::string_view s = segs[i];
      if (s == "$this") continue;
      std::vector<const JsonValue*> next;
      auto push = [&](const JsonValue& v) {
        if (v.IsArray()) {
          for (const JsonValue& w : v.GetArray()) next.push_back(&w);
        } else {
          next.push_back(&v);
        }
      };
      if (s.starts_with("extension(")) {
        std::string_view url = call_argument(s);
        for (const JsonValue* v : cur) {
          if (!v->IsObject()) continue;
          auto it = v->FindMember("extension");
          if (it == v->MemberEnd() || !it->value.IsArray()) continue;
          for (const JsonValue& x : it->value.GetArray()) {
            if (str_member(x, "url") == url) next.push_back(&x);
          }
        }
      } else if (s.starts_with("ofType(")) {
        continue;  // handled with the step before it
      } else {
        std::string name(s);
        if (i + 1 < segs.size() && segs[i + 1].starts_with("ofType(")) {
          std::string_view t = call_argument(segs[i + 1]);
          name +=
              static_cast<char>(t.empty() ? ' ' : (t[0] >= 'a' && t[0] <= 'z' ? t[0] - 32 : t[0]));
          name += t.substr(t.empty() ? 0 : 1);
        }
        for (const JsonValue* v : cur) {
          if (!v->IsObject()) continue;
          auto it = v->FindMember(rapidjson::StringRef(name.data(), name.size()));
          if (it != v->MemberEnd()) push(it->value);
        }
      }
      cur = std::move(next);
    }
    return cur;
  }

  // The elements of `slice`'s subtree that a discriminator path names, including those inside
  // the slices met on the way (a reslice holds the fixed values).
  static std::vector<const ProfileElement*> navigate_profile(
      const Profile& p, const ProfileElement& slice, const std::vector<std::string_view>& segs) {
    std::vector<const ProfileElement*> cur{&slice};
    for (std::size_t i = 0; i < segs.size(); ++i) {
      std::string_view s = segs[i];
      if (s == "$this" || s.starts_with("ofType(")) continue;
      std::vector<const ProfileElement*> next;
      bool by_url = s.starts_with("extension(");
      std::string_view name = by_url ? std::string_view("extension") : s;
      for (const ProfileElement* e : cur) {
        for (std::uint32_t c : e->children) {
          const ProfileElement& k = p.elements[c];
          std::string_view kn = k.name;
          bool hit = kn == name || (k.is_choice() && kn.substr(0, kn.size() - 3) == name);
          if (!hit) continue;
          if (!by_url) next.push_back(&k);
          for (std::uint32_t sl : k.slices) {
            const ProfileElement& x = p.elements[sl];
            if (!by_url ||
                (x.types.size() == 1 && !x.types[0].profiles.empty() &&
                 canonical_without_version(x.types[0].profiles[0]) == call_argument(s))) {
              next.push_back(&x);
            }
          }
        }
      }
      cur = std::move(next);
    }
    return cur;
  }

  std::shared_ptr<const Profile> find(std::string_view url) {
    return lookup_ ? lookup_(canonical_without_version(url)) : nullptr;
  }

  void check_types(const Frame& f, const ProfileElement& e, const JsonValue& v,
                   const std::string& path, const std::string& type_code) {
    if (e.is_choice() && !type_code.empty()) {
      bool allowed = e.types.empty();
      for (const ProfileType& t : e.types) allowed = allowed || t.code == type_code;
      if (!allowed) {
        std::string list;
        for (const ProfileType& t : e.types) list += (list.empty() ? "" : ", ") + t.code;
        report(Severity::kError, "structure",
               "type " + type_code + " is not allowed here; " + e.id + " allows " + list + from(f),
               path);
        return;
      }
    }
    for (const ProfileType& t : e.types) {
      if (!type_code.empty() && t.code != type_code) continue;
      if (t.code == "Reference" && !t.target_profiles.empty()) {
        check_reference(f, t, v, path);
      }
      if (!t.profiles.empty()) check_type_profiles(f, t, v, path);
    }
  }

  void check_reference(const Frame& f, const ProfileType& t, const JsonValue& v,
                       const std::string& path) {
    std::string_view ref = str_member(v, "reference");
    if (ref.empty() || ref.starts_with("#") || ref.starts_with("urn:")) return;
    std::size_t q = ref.find('?');
    if (q != std::string_view::npos) ref = ref.substr(0, q);
    std::size_t h = ref.find("/_history/");
    if (h != std::string_view::npos) ref = ref.substr(0, h);
    std::size_t last = ref.rfind('/');
    if (last == std::string_view::npos || last == 0) return;
    std::string_view head = ref.substr(0, last);
    std::string_view type =
        head.substr(head.rfind('/') == std::string_view::npos ? 0 : head.rfind('/') + 1);
    if (!is_resource_type(type)) return;
    std::string list;
    for (const std::string& target : t.target_profiles) {
      std::string_view url = canonical_without_version(target);
      std::string_view target_type;
      if (url.starts_with(kCorePrefix) && find_type(url.substr(kCorePrefix.size())) != nullptr) {
        target_type = url.substr(kCorePrefix.size());
      } else {
        std::shared_ptr<const Profile> prof = find(url);
        if (prof == nullptr) return;  // an unknown target profile: nothing to hold against it
        if (prof->type == type) return;
        list += (list.empty() ? "" : ", ") + prof->type;
        continue;
      }
      if (target_type == type || target_type == "Resource") return;
      list += (list.empty() ? "" : ", ") + std::string(target_type);
    }
    report(Severity::kError, "structure",
           "the type '" + std::string(type) + "' is not valid - must be one of " + list + from(f),
           path);
  }

  void check_type_profiles(const Frame& f, const ProfileType& t, const JsonValue& v,
                           const std::string& path) {
    std::vector<Issue> best;
    bool any_known = false;
    for (const std::string& url : t.profiles) {
      std::shared_ptr<const Profile> prof = find(url);
      if (prof == nullptr) continue;
      any_known = true;
      std::vector<Issue> sub;
      Checker inner(lookup_, sub, resource_);
      inner.check_profile(v, *prof, path, f.nesting + 1);
      bool ok = true;
      for (const Issue& i : sub) ok = ok && i.severity != Severity::kError;
      if (ok || best.empty()) best = std::move(sub);
      if (ok) break;
    }
    if (!any_known) {
      report(Severity::kWarning, "not-supported",
             "profile " + std::string(canonical_without_version(t.profiles[0])).substr(0, 200) +
                 " is unknown; " + path + " was not checked against it",
             path);
      return;
    }
    for (Issue& i : best) {
      if (issues_.size() >= kMaxValidationIssues) return;
      issues_.push_back(std::move(i));
    }
  }

  enum class Member : std::uint8_t { kIn, kOut, kUnknown };

  static Member membership(const ValueSetDef* table, const terminology::ExpansionIndex* index,
                           std::string_view system, std::string_view code) {
    if (table != nullptr) {
      Membership m = check_code(*table, system, code);
      return m == Membership::kMember      ? Member::kIn
             : m == Membership::kNotMember ? Member::kOut
                                           : Member::kUnknown;
    }
    if (!system.empty() && !index->uses_system(system)) return Member::kUnknown;
    return index->contains(system, code) ? Member::kIn : Member::kOut;
  }

  void check_binding_of(const Frame& f, const ProfileElement& e, const JsonValue& v,
                        const std::string& path, const std::string& type_code) {
    if (e.value_set.empty()) return;
    const ValueSetDef* table = find_value_set(e.value_set);
    const terminology::ExpansionIndex* index =
        table == nullptr ? terminology::cached_expansion(canonical_without_version(e.value_set))
                         : nullptr;
    if (table == nullptr && index == nullptr) return;
    std::vector<std::pair<std::string_view, std::string_view>> codes;
    if (type_code == "code" && is_json_string(v)) {
      codes.emplace_back(std::string_view(), json_string(v));
    } else if (type_code == "Coding") {
      codes.emplace_back(str_member(v, "system"), str_member(v, "code"));
    } else if (type_code == "CodeableConcept" && v.IsObject()) {
      auto it = v.FindMember("coding");
      if (it == v.MemberEnd() || !it->value.IsArray()) return;
      for (const JsonValue& c : it->value.GetArray()) {
        codes.emplace_back(str_member(c, "system"), str_member(c, "code"));
      }
    } else {
      return;
    }
    bool any_out = false;
    for (auto [system, code] : codes) {
      if (code.empty()) continue;
      Member m = membership(table, index, system, code);
      if (m == Member::kIn) return;
      any_out = any_out || m == Member::kOut;
    }
    if (!any_out) return;
    bool required = e.binding_strength == BindingStrength::kRequired;
    report(required ? Severity::kError : Severity::kWarning, "code-invalid",
           std::string("none of the codes is in the value set ") + e.value_set +
               (required ? " (required binding of " : " (extensible binding of ") + e.id + ")" +
               from(f),
           path);
  }

  const ProfileLookup& lookup_;
  std::vector<Issue>& issues_;
  const JsonValue* resource_;
  bool warned_resolve_ = false;
};

}  // namespace

std::vector<Issue> validate_against_profile(const JsonValue& value, const Profile& profile,
                                            const ProfileLookup& lookup,
                                            std::string_view root_path) {
  std::vector<Issue> issues;
  const JsonValue* resource =
      value.IsObject() && value.HasMember("resourceType") ? &value : nullptr;
  Checker checker(lookup, issues, resource);
  checker.check_profile(value, profile, root_path.empty() ? profile.type : std::string(root_path),
                        0);
  return issues;
}

}  // namespace hearth::fhir
