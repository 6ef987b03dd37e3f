// Compiling the invariants once and evaluating them per site.
#include "fhir/invariants.h"

#include <algorithm>
#include <optional>

#include "fhir/fhirpath/absence_guards.h"
#include "fhir/fhirpath/fhirpath.h"

namespace hearth::fhir {
namespace {

// Keep in step with docs/validation.md, which explains each.
constexpr SkippedConstraint kSkipped[] = {
    {"ele-1", "checked natively by the validator's walk (every element: a value or children)"},
    {"ext-1",
     "checked natively by the validator's walk (every extension: a value or "
     "extensions, not both)"},
    {"que-7",
     "`answer is Boolean` asks whether a FHIR boolean is a System.Boolean, which Hearth's "
     "FHIRPath answers false as the specification says (the Java validator answers true), so it "
     "would refuse valid Questionnaires (the official Questionnaire-bb)"},
};

bool is_skipped(std::string_view key) {
  return std::any_of(std::begin(kSkipped), std::end(kSkipped),
                     [&](const SkippedConstraint& s) { return s.key == key; });
}

struct Compiled {
  std::optional<fhirpath::Expression> expression;  // nullopt for a skipped one
  std::vector<std::string> guards;
  std::vector<fhirpath::PrefixGuard> prefix_guards;
  std::vector<std::string> presence_guards;
};

// Each constraint of all_constraints(), by position, compiled with its absence guards.
const std::vector<Compiled>& compiled() {
  static const std::vector<Compiled> table = [] {
    std::vector<Compiled> out;
    for (const ConstraintDef& c : all_constraints()) {
      Compiled entry;
      if (!is_skipped(c.key)) {
        Result<fhirpath::Expression> r = fhirpath::compile(c.expression);
        if (r.is_ok()) {
          entry.guards = fhirpath::absence_guards(*r);
          entry.prefix_guards = fhirpath::prefix_guards(*r);
          entry.presence_guards = fhirpath::presence_guards(*r);
          entry.expression = std::move(*r);
        }
      }
      out.push_back(std::move(entry));
    }
    return out;
  }();
  return table;
}

const Compiled* compiled_of(const ConstraintDef& c) {
  std::span<const ConstraintDef> all = all_constraints();
  if (&c < all.data() || &c >= all.data() + all.size()) return nullptr;
  return &compiled()[static_cast<std::size_t>(&c - all.data())];
}

// Does the object FHIRPath navigates `node`'s children in (types.cpp child_object) lack child
// `name`? A property counts when it is `name`, `_name`, or a choice's `nameType`/`_nameType`;
// anything that might be the child makes it present.
bool lacks_child(const fhirpath::Item& node, std::string_view name) {
  const JsonValue* obj = node.json;
  if (node.type != nullptr && node.type->kind == TypeKind::kPrimitive) obj = node.json_ext;
  if (obj == nullptr || !obj->IsObject()) return true;
  for (const auto& m : obj->GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (key.starts_with('_')) key.remove_prefix(1);
    // The first byte first: most properties differ there, and skip the compare's call.
    if (key.size() < name.size() || (!name.empty() && key[0] != name[0]) ||
        key.compare(0, name.size(), name) != 0) {
      continue;
    }
    if (key.size() == name.size()) return false;
    char next = key[name.size()];
    if (next >= 'A' && next <= 'Z') return false;
  }
  return true;
}

// Does navigating child `name` of `node` surely give an item: a property of exactly that name (so
// not a choice's typed name) holding a value, a non-empty object or an array with one such? Only
// for a node whose children are its JSON object's (not a primitive's extension part).
bool has_child(const fhirpath::Item& node, std::string_view name) {
  if (node.type == nullptr || node.type->kind == TypeKind::kPrimitive || node.json == nullptr ||
      !node.json->IsObject()) {
    return false;
  }
  const auto member = node.json->FindMember(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())));
  if (member == node.json->MemberEnd()) return false;
  const auto holds = [](const JsonValue& v) {
    return !v.IsNull() && !(v.IsObject() && v.ObjectEmpty()) && !(v.IsArray());
  };
  const JsonValue& v = member->value;
  if (!v.IsArray()) return holds(v);
  return std::any_of(v.Begin(), v.End(), holds);
}

// FHIR types whose values FHIRPath reads as a System.String (the string functions take them).
bool is_string_type(std::string_view code) {
  constexpr std::string_view kCodes[] = {"string", "uri", "url",  "canonical", "code",
                                         "id",     "oid", "uuid", "markdown"};
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

// Is `node`'s child `g.name` one string value of a string type that does not start with
// `g.prefix` (fhirpath/absence_guards.h PrefixGuard)? Anything else (absent, an array, only an
// extension, another type) is not known to be, and the constraint is evaluated.
bool has_other_prefix(const fhirpath::Item& node, const fhirpath::PrefixGuard& g) {
  if (node.type == nullptr || node.owner == nullptr || node.json == nullptr ||
      !node.json->IsObject()) {
    return false;
  }
  const auto member = node.json->FindMember(
      rapidjson::StringRef(g.name.data(), static_cast<rapidjson::SizeType>(g.name.size())));
  if (member == node.json->MemberEnd() || !is_json_string(member->value)) return false;
  const ChildMatch child = find_child(*node.owner, node.element, g.name);
  if (!child.found() || child.type == nullptr || !is_string_type(child.type->code) ||
      node.owner->elements[static_cast<std::size_t>(child.index)].is_repeating()) {
    return false;
  }
  return !json_string(member->value).starts_with(g.prefix);
}

// Is constraint `c` decided (it holds) by the absence of one of its guards from `node`, by the
// presence of one of its presence guards, or by the value of one of its prefix guards?
bool decided_by_absence(const Compiled& c, const fhirpath::Item& node) {
  return std::any_of(c.guards.begin(), c.guards.end(),
                     [&](const std::string& g) { return lacks_child(node, g); }) ||
         std::any_of(c.presence_guards.begin(), c.presence_guards.end(),
                     [&](const std::string& g) { return has_child(node, g); }) ||
         std::any_of(c.prefix_guards.begin(), c.prefix_guards.end(),
                     [&](const fhirpath::PrefixGuard& g) { return has_other_prefix(node, g); });
}

// Does the constraint hold at `site`? An empty result holds; an evaluation error is an error.
Result<bool> passes(const fhirpath::Expression& e, const InvariantSite& site,
                    const fhirpath::EvalOptions& options) {
  HEARTH_ASSIGN_OR_RETURN(fhirpath::Collection result,
                          fhirpath::evaluate(e, site.node, *site.resource, options));
  HEARTH_ASSIGN_OR_RETURN(std::optional<bool> b, fhirpath::as_boolean(result));
  return b.value_or(true);
}

}  // namespace

std::span<const SkippedConstraint> skipped_constraints() {
  return kSkipped;
}

std::span<const std::string> constraint_guards(const ConstraintDef& constraint) {
  const Compiled* c = compiled_of(constraint);
  if (c == nullptr) return {};
  return c->guards;
}

bool needs_evaluation(std::span<const ConstraintDef> constraints, const fhirpath::Item& node,
                      Guarding guarding) {
  return std::any_of(constraints.begin(), constraints.end(), [&](const ConstraintDef& c) {
    const Compiled* entry = compiled_of(c);
    if (entry == nullptr || !entry->expression) return false;
    return guarding == Guarding::kOff || !decided_by_absence(*entry, node);
  });
}

void check_invariants(std::span<const InvariantSite> sites, std::vector<Issue>& issues,
                      std::size_t cap, Guarding guarding) {
  if (sites.empty()) return;
  const auto& expressions = compiled();
  const ConstraintDef* base = all_constraints().data();
  fhirpath::EvalOptions options;
  options.as_function_filters = true;
  for (const InvariantSite& site : sites) {
    options.root_resource = site.root_resource;
    // txt-1 and txt-2 are both htmlChecks(): a repeated expression is evaluated once per site.
    std::string_view last_text;
    Result<bool> last = false;
    for (const ConstraintDef& c : site.constraints) {
      if (issues.size() >= cap) return;
      const Compiled& entry = expressions[&c - base];
      if (!entry.expression) continue;
      if (guarding == Guarding::kOn && decided_by_absence(entry, site.node)) continue;
      if (last_text.empty() || c.expression != last_text) {
        last = passes(*entry.expression, site, options);
        last_text = c.expression;
      }
      if (!last.is_ok()) {
        issues.push_back(
            Issue{Severity::kWarning, "invariant",
                  std::string(c.key) + ": could not be evaluated (" + last.status().message() + ")",
                  site.path});
      } else if (!*last) {
        issues.push_back(Issue{Severity::kError, "invariant",
                               std::string(c.key) + ": " + std::string(c.human), site.path});
      }
    }
  }
}

}  // namespace hearth::fhir
