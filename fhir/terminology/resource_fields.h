// Reading the members of a stored terminology resource (CodeSystem, ValueSet, ConceptMap): the
// two helpers every reader of one shares.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir::terminology::detail {

// kInvalidArgument (FHIR issue code "invalid") at `where`, a FHIRPath expression.
inline Status invalid_member(std::string diagnostics, std::string where) {
  return Status(Code::kInvalidArgument, std::move(diagnostics), std::move(where), "invalid");
}

// Member `name` of `obj` when it is a string; "" when absent, of another kind, or `obj` is not
// an object.
inline std::string_view string_member(const JsonValue& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && is_json_string(it->value) ? json_string(it->value)
                                                            : std::string_view();
}

}  // namespace hearth::fhir::terminology::detail
