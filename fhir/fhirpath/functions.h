// The function table: every FHIRPath function is one row (name, argument count, how its
// arguments are evaluated, implementation), defined in the functions_<group>.cpp file of its
// group and bound to call nodes at compile time.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/status.h"
#include "fhir/fhirpath/fhirpath.h"
#include "fhir/fhirpath/item.h"

namespace hearth::fhir::fhirpath::detail {

struct Call;

enum class ArgMode : std::uint8_t {
  kValues,  // arguments evaluated once, against the caller's focus, before the call
  kLambda,  // the implementation evaluates its arguments per input item (where, select, ...)
  kType,    // the single argument is a type specifier (is, as, ofType)
};

using FunctionImpl = Status (*)(Call& call);

struct FunctionDef {
  std::string_view name;
  std::uint8_t min_args;
  std::uint8_t max_args;
  ArgMode mode;
  FunctionImpl impl;
  bool ordered = false;  // depends on input order (EvalOptions::check_ordered_functions)
};

// The row named `name`, or nullptr.
const FunctionDef* find_function(std::string_view name);

// The groups' tables (one per functions_<group>.cpp).
std::span<const FunctionDef> existence_functions();
std::span<const FunctionDef> filtering_functions();
std::span<const FunctionDef> subsetting_functions();
std::span<const FunctionDef> combining_functions();
std::span<const FunctionDef> conversion_functions();
std::span<const FunctionDef> string_functions();
std::span<const FunctionDef> math_functions();
std::span<const FunctionDef> tree_functions();
std::span<const FunctionDef> utility_functions();
std::span<const FunctionDef> fhir_functions();

// resolve() of one item (functions_fhir.cpp): the resource a Reference or reference string
// names: a contained one ("#id") of `root`, else of `resource`; a Bundle entry of `root`; else
// what options.resolver answers. nullptr when none (the item then resolves to nothing).
const JsonValue* resolve_item(const Item& item, const Item* resource, const Item* root,
                              const EvalOptions& options);

// Is `item` an extension with this url (a string `url` member equal to it)? What extension(url)
// keeps of the `extension` children (functions_fhir.cpp; path_walk.cpp walks it the same way).
bool has_extension_url(const Item& item, std::string_view url);

}  // namespace hearth::fhir::fhirpath::detail
