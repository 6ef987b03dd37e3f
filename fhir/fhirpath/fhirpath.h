// FHIRPath (http://hl7.org/fhirpath/N1/ with the FHIR R4 additions of
// https://hl7.org/fhir/R4/fhirpath.html): compile an expression once, evaluate it many times over
// FHIR JSON resources (fhir/json.h) without copying them.
//
// Ownership and threads: an Expression is immutable after compile() and may be evaluated from
// many threads at once. A Collection returned by evaluate() holds pointers into `resource` (and
// into documents returned by the resolver), so it must not outlive them.
//
// Errors (never exceptions): compile() returns kInvalidArgument for syntax errors, unknown
// functions or types, wrong argument counts and nesting beyond the limits; evaluate() returns
// kInvalidArgument for execution errors (a singleton expected but more items given, a type that
// does not fit an operator, a choice element's JSON name such as `valueQuantity`, a strict-mode
// unknown element, a failing callback, and an evaluation beyond its budget: 4 million items
// produced or a computed string over 1 MiB). The diagnostics start with "at N:" where N is the
// 1-based position in the expression text; Issue::expression holds the expression.
//
// Deviations from FHIRPath N1, each for a reason: the `as` operator filters a collection of
// several items (the R4 SearchParameter expressions rely on it; the as() function errors, unless
// EvalOptions::as_function_filters);
// hasExtension(url) exists because one R4 SearchParameter calls it; lowBoundary(),
// highBoundary(), precision(), comparable(), sort(), matchesFull(), trim(), split(), join(),
// encode()/decode(), escape()/unescape() come from FHIRPath 2.0 as the R4 suite uses them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "fhir/fhirpath/item.h"
#include "fhir/json.h"

namespace hearth::fhir::fhirpath {

namespace detail {
struct Node;
}

class Expression {
 public:
  const std::string& text() const { return text_; }
  const detail::Node& root() const { return *root_; }

 private:
  friend Result<Expression> compile(std::string_view text);
  Expression(std::string text, std::shared_ptr<const detail::Node> root)
      : text_(std::move(text)), root_(std::move(root)) {}
  std::string text_;
  std::shared_ptr<const detail::Node> root_;
};

// Parses and checks `text` (function names and argument counts). kInvalidArgument with the
// position on any error; expressions nested deeper than 200 levels are rejected.
Result<Expression> compile(std::string_view text);

struct EvalOptions {
  // Microseconds since the Unix epoch (UTC) for now()/today()/timeOfDay(); the system clock when
  // unset. One instant is used for a whole evaluation.
  std::optional<std::int64_t> now_micros;
  // Offset from UTC in minutes used when printing now()/timeOfDay() (0 = "Z").
  int tz_offset_minutes = 0;
  // Extra environment variables (%name, without the '%'); they shadow the built-in ones.
  std::map<std::string, Collection, std::less<>> variables;
  // %rootResource when it differs from the evaluated resource (a Bundle entry's container).
  const JsonValue* root_resource = nullptr;
  // resolve(): maps a reference ("Patient/1", an absolute URL) to a resource, or nullptr when
  // unknown (the item is then dropped, as the specification allows). Contained references
  // ("#id") are resolved inside the container, and references to entries of a Bundle that is
  // %rootResource (by fullUrl or type/id) inside the Bundle, without calling this.
  std::function<const JsonValue*(std::string_view reference)> resolver;
  // memberOf(valueset): is the code/Coding/CodeableConcept `item` in `value_set`? Without it,
  // memberOf() returns empty.
  std::function<Result<bool>(const Item& item, std::string_view value_set)> member_of;
  // conformsTo(profile); without it, conformsTo() is true for the base StructureDefinition of the
  // item's own type and an error for any other profile.
  std::function<Result<bool>(const Item& item, std::string_view profile)> conforms_to;
  // trace(name, ...) sink; ignored when unset.
  std::function<void(std::string_view name, const Collection& items)> trace;
  // Strict mode: navigating to an element the type does not define is an error instead of
  // empty, also when the input is empty but its type is known from `as`/as()/ofType().
  bool strict = false;
  // Ordered functions (first, last, tail, skip, take, single, an indexer) applied directly to
  // children() or descendants(), whose order is undefined, are an error.
  bool check_ordered_functions = false;
  // as() on several items filters them, as the `as` operator does, instead of an error: the R4
  // invariants are written for an engine that does so (dom-3, on every DomainResource, applies
  // as(canonical) to descendants()). fhir/invariants.h sets it.
  bool as_function_filters = false;
};

// Evaluates with %resource, %context and $this = `resource` (a FHIR JSON resource; its type is
// its resourceType; any other JSON value is evaluated untyped).
Result<Collection> evaluate(const Expression& expression, const JsonValue& resource,
                            const EvalOptions& options = {});
// Evaluates with $this = `context`, a node of `resource` (an invariant's element: see
// fhir/invariants.h, which builds the node as navigation would), and %resource = `resource`.
Result<Collection> evaluate(const Expression& expression, const Item& context,
                            const JsonValue& resource, const EvalOptions& options = {});
// Evaluates with no input (an empty context), for expressions made only of literals.
Result<Collection> evaluate(const Expression& expression, const EvalOptions& options = {});

// --- Reading results ----------------------------------------------------------------------

// The item's type namespace and name: ("System", "Integer"), ("FHIR", "HumanName"),
// ("FHIR", "string"), ("FHIR", "BackboneElement").
std::string_view type_namespace(const Item& item);
std::string_view type_name(const Item& item);
// The value of a primitive (system value or FHIR primitive) as its FHIRPath string form
// ("true", "1.50", "2014-01-05T10:00:00Z", "5 'mg'"); nullopt for complex nodes and primitives
// with no value.
std::optional<std::string> to_string(const Item& item);
// The boolean of a singleton boolean item; nullopt for anything else.
std::optional<bool> to_boolean(const Item& item);
// FHIRPath's singleton evaluation of a collection as a boolean: empty -> nullopt; one boolean
// -> its value; one other item -> true; several items -> kInvalidArgument.
Result<std::optional<bool>> as_boolean(const Collection& collection);

}  // namespace hearth::fhir::fhirpath
