// Compiling the invariants once and evaluating them per site.
#include "fhir/invariants.h"

#include <algorithm>
#include <optional>

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

// The compiled expression of each constraint of all_constraints(), by position; nullopt for a
// skipped one.
const std::vector<std::optional<fhirpath::Expression>>& compiled() {
  static const std::vector<std::optional<fhirpath::Expression>> table = [] {
    std::vector<std::optional<fhirpath::Expression>> out;
    for (const ConstraintDef& c : all_constraints()) {
      std::optional<fhirpath::Expression> e;
      if (!is_skipped(c.key)) {
        Result<fhirpath::Expression> r = fhirpath::compile(c.expression);
        if (r.is_ok()) e = std::move(*r);
      }
      out.push_back(std::move(e));
    }
    return out;
  }();
  return table;
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

bool needs_evaluation(std::span<const ConstraintDef> constraints) {
  return std::any_of(constraints.begin(), constraints.end(),
                     [](const ConstraintDef& c) { return !is_skipped(c.key); });
}

void check_invariants(std::span<const InvariantSite> sites, std::vector<Issue>& issues,
                      std::size_t cap) {
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
      const std::optional<fhirpath::Expression>& e = expressions[&c - base];
      if (!e) continue;
      if (last_text.empty() || c.expression != last_text) {
        last = passes(*e, site, options);
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
