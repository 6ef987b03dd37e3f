// Absence guards (fhir/fhirpath/absence_guards.h): which child names decide an expression by
// their absence, on invariants of the base definitions and on shapes where the absence does
// not decide (a lambda's own names, a side that may fail, a function the analysis does not
// model); and, for every guard of every invariant, that the expression really holds without
// error on a focus lacking the child.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fhir/constraint.h"
#include "fhir/fhirpath/absence_guards.h"
#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"

namespace hearth::fhir::fhirpath {
namespace {

std::vector<std::string> guards_of(std::string_view text) {
  Result<Expression> e = compile(text);
  REQUIRE_MESSAGE(e.is_ok(), e.status().message());
  return absence_guards(*e);
}

using Names = std::vector<std::string>;

Names emptiness_of(std::string_view text, std::string_view type) {
  Result<Expression> e = compile(text);
  REQUIRE_MESSAGE(e.is_ok(), e.status().message());
  return emptiness_guards(*e, type);
}

}  // namespace

TEST_CASE("search expressions: the children whose absence leaves nothing to index") {
  CHECK(emptiness_of("Observation.basedOn", "Observation") == Names{"basedOn"});
  CHECK(emptiness_of("Observation.subject.where(resolve() is Patient)", "Observation") ==
        Names{"subject"});
  CHECK(emptiness_of("(Observation.value as Quantity) | (Observation.value as Period)",
                     "Observation") == Names{"value"});
  // Every branch's child must be absent: the set is all of them.
  CHECK(emptiness_of("Observation.code | Observation.component.code", "Observation") ==
        Names{"code", "component"});
  // A base type's name stands for the resource too.
  CHECK(emptiness_of("Resource.meta.tag", "Observation") == Names{"meta"});
  // Another type's name filters the resource out: no child of it is navigated from the focus.
  CHECK(emptiness_of("Patient.name", "Observation").empty());
  // The resource itself, and results that are not empty without the child, have no set.
  CHECK(emptiness_of("Observation", "Observation").empty());
  CHECK(emptiness_of("Patient.deceased.exists() and Patient.deceased != false", "Patient").empty());
  CHECK(emptiness_of("Patient.link.empty()", "Patient").empty());
}

TEST_CASE("invariants of the base definitions have the guards their shape gives") {
  CHECK(guards_of("contained.contained.empty()") == Names{"contained"});  // dom-2
  CHECK(guards_of("contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()") ==
        Names{"contained"});                                               // dom-4
  CHECK(guards_of("code.empty() or system.exists()") == Names{"code"});    // qty-3
  CHECK(guards_of("value.empty() or system.exists()") == Names{"value"});  // cpt-2
  CHECK(guards_of("start.hasValue().not() or end.hasValue().not() or (start <= end)") ==
        Names{"start", "end"});  // per-1
  CHECK(guards_of("reference.startsWith('#').not() or (reference.substring(1).trace('url') in "
                  "%rootResource.contained.id.trace('ids'))") == Names{"reference"});  // ref-1
  CHECK(guards_of("dataAbsentReason.empty() or value.empty()") ==
        Names{"dataAbsentReason", "value"});  // obs-6
  // dom-3: contained.where(...) is empty without `contained`; the lambda's names are its items'.
  CHECK(guards_of("contained.where((('#'+id in (%resource.descendants().reference | "
                  "%resource.descendants().as(canonical))) or descendants().where(reference = "
                  "'#').exists()).not()).trace('unmatched', id).empty()") == Names{"contained"});
}

TEST_CASE("prefix guards: a child that is one string without the tested prefix") {
  const auto prefixes = [](std::string_view text) {
    Result<Expression> e = compile(text);
    REQUIRE_MESSAGE(e.is_ok(), e.status().message());
    std::vector<std::string> out;
    for (const PrefixGuard& g : prefix_guards(*e)) out.push_back(g.name + " " + g.prefix);
    return out;
  };
  CHECK(prefixes("reference.startsWith('#').not() or (reference.substring(1).trace('url') in "
                 "%rootResource.contained.id.trace('ids'))") == Names{"reference #"});  // ref-1
  // Without the prefix the expression is false, or not decided.
  CHECK(prefixes("reference.startsWith('#')").empty());
  CHECK(prefixes("reference.startsWith('#') or a.exists()").empty());
  // The other side may fail (substring of a string argument), or the test is in a lambda.
  CHECK(prefixes("reference.startsWith('#').not() or reference.substring('1').exists()").empty());
  CHECK(prefixes("a.where(reference.startsWith('#').not()).exists()").empty());
  // No startsWith on a child of the focus: no candidate.
  CHECK(prefixes("reference.exists()").empty());
}

TEST_CASE("presence guards: a child whose presence alone decides the expression") {
  const auto present = [](std::string_view text) {
    Result<Expression> e = compile(text);
    REQUIRE_MESSAGE(e.is_ok(), e.status().message());
    return presence_guards(*e);
  };
  CHECK(present("resource.exists() or request.exists() or response.exists()") ==
        Names{"resource", "request", "response"});                       // bdl-5
  CHECK(present("code.empty() or system.exists()") == Names{"system"});  // qty-3
  CHECK(present("low.exists() or high.exists() or text.exists()") ==
        Names{"low", "high", "text"});  // obs-3
  // Present and then false, or not decided by presence.
  CHECK(present("system.empty()").empty());
  CHECK(present("system.exists().not() or code.exists()") == Names{"code"});
  CHECK(present("system.exists() implies code.exists()") == Names{"code"});
  CHECK(present("system.count() = 1").empty());
  CHECK(present("a.exists(b) or c.empty()").empty());
  // The other side may fail (and on several items), or the name is a lambda's.
  CHECK(present("a.exists() and (b and c)").empty());
  CHECK(present("a.where(b.exists()).exists()").empty());
}

TEST_CASE("every presence guard of every invariant holds on a focus with the child") {
  // A focus whose guard child is one string (its type unknown: whatever else the expression
  // asks of it must not matter). The expression must give true or empty, without an error.
  EvalOptions options;
  options.as_function_filters = true;
  int guarded = 0;
  for (const ConstraintDef& c : all_constraints()) {
    Result<Expression> e = compile(c.expression);
    if (!e.is_ok()) continue;
    for (const std::string& g : presence_guards(*e)) {
      ++guarded;
      JsonDocument focus;
      focus.SetObject();
      focus.AddMember(JsonValue(g.c_str(), focus.GetAllocator()), JsonValue("x"),
                      focus.GetAllocator());
      Result<Collection> r = evaluate(*e, focus, options);
      INFO(c.key, ": ", c.expression, " (present: ", g, ")");
      REQUIRE(r.is_ok());
      Result<std::optional<bool>> b = as_boolean(*r);
      REQUIRE(b.is_ok());
      CHECK(b->value_or(true));
    }
  }
  MESSAGE("presence guards of invariants: ", guarded);
  CHECK(guarded >= 3);  // bdl-5, qty-3, obs-3 at least
}

TEST_CASE("an absence that does not decide the expression is no guard") {
  // pat-1: every name absent makes it false.
  CHECK(guards_of("name.exists() or telecom.exists() or address.exists() or "
                  "organization.exists()")
            .empty());
  // `and` on a collection of several items fails, so the other side's `true` does not decide.
  CHECK(guards_of("a.empty() or (b and c)").empty());
  // A function the analysis does not model (iif, single) may fail or produce anything.
  CHECK(guards_of("a.empty() or b.single().exists()").empty());
  CHECK(guards_of("iif(a.exists(), b, true)").empty());
  // Inside a lambda a name is the item's, not the focus's.
  CHECK(guards_of("x.where(y.exists()).empty()") == Names{"x"});
  CHECK(guards_of("x.all(y.empty())") == Names{"x"});
  // A comparison on an empty side is empty, which an invariant takes as holding.
  CHECK(guards_of("value.empty() or value > 0") == Names{"value"});
  CHECK(guards_of("status = 'final'") == Names{"status"});
  CHECK(guards_of("status.exists() and status = 'final'").empty());
  // A choice's JSON name fails on navigation; an unknown variable fails.
  CHECK(guards_of("a.empty() or valueQuantity.exists()").empty());
  CHECK(guards_of("a.empty() or %unknown.exists()").empty());
  // implies: an absent antecedent makes it empty (holds), an absent consequent does not.
  CHECK(guards_of("a.exists() implies b.exists()") == Names{"a"});
}

TEST_CASE("every guard of every invariant holds on a focus without the child") {
  // A focus with none of the guard's properties: an empty object (untyped, so that navigation
  // of any name is empty). The expression must give true or empty, without an error.
  Result<JsonDocument> empty_object = parse_json(R"({"x":1})");
  REQUIRE(empty_object.is_ok());
  EvalOptions options;
  options.as_function_filters = true;
  int guarded = 0, constraints = 0;
  for (const ConstraintDef& c : all_constraints()) {
    Result<Expression> e = compile(c.expression);
    if (!e.is_ok()) continue;
    ++constraints;
    std::vector<std::string> guards = absence_guards(*e);
    if (guards.empty()) continue;
    ++guarded;
    Result<Collection> r = evaluate(*e, *empty_object, options);
    INFO(c.key, ": ", c.expression);
    REQUIRE(r.is_ok());
    Result<std::optional<bool>> b = as_boolean(*r);
    REQUIRE(b.is_ok());
    CHECK(b->value_or(true));
  }
  MESSAGE("invariants with absence guards: ", guarded, " of ", constraints);
  CHECK(guarded > constraints / 2);
}

TEST_CASE("every prefix guard of every invariant holds on a focus with another string") {
  // A focus whose guard child is one string that does not start with the prefix (untyped: the
  // string is read as a string). The expression must give true or empty, without an error.
  EvalOptions options;
  options.as_function_filters = true;
  int guarded = 0;
  for (const ConstraintDef& c : all_constraints()) {
    Result<Expression> e = compile(c.expression);
    if (!e.is_ok()) continue;
    for (const PrefixGuard& g : prefix_guards(*e)) {
      ++guarded;
      JsonDocument focus;
      focus.SetObject();
      const std::string value = "x" + g.prefix + "y";
      focus.AddMember(JsonValue(g.name.c_str(), focus.GetAllocator()),
                      JsonValue(value.c_str(), focus.GetAllocator()), focus.GetAllocator());
      Result<Collection> r = evaluate(*e, focus, options);
      INFO(c.key, ": ", c.expression);
      REQUIRE(r.is_ok());
      Result<std::optional<bool>> b = as_boolean(*r);
      REQUIRE(b.is_ok());
      CHECK(b->value_or(true));
    }
  }
  MESSAGE("prefix guards of invariants: ", guarded);
  CHECK(guarded >= 1);  // ref-1
}

}  // namespace hearth::fhir::fhirpath
