// The check of one coded value against the value set of its element's required binding
// (fhir/value_set.h): a `code`, a `Coding` or a `CodeableConcept`, as FHIR JSON. Called by the
// validator (validate.h), which knows where the value is and reports what this returns.
//
// The rules: a code or a Coding must be in the value set; a CodeableConcept needs at least one
// coding in it once it has codings of a system the value set draws from (codings of other
// systems only, a warning; text alone, nothing). A code of a system Hearth cannot expand
// (SNOMED CT, LOINC, ...) is a warning, never an error. Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/value_set.h"

namespace hearth::fhir {

struct BindingProblem {
  Severity severity;  // kError or kWarning
  std::string diagnostics;
};

// `type_code` is the value's FHIR type ("code", "Coding", "CodeableConcept"); other types and
// values of the wrong JSON shape (reported elsewhere) give nullopt, as does a value that passes.
std::optional<BindingProblem> check_binding(const JsonValue& value, std::string_view type_code,
                                            const ValueSetDef& vs);

// The check of a coded value against an extensible or preferred binding (`strength`), for
// $validate: the diagnostics of an information issue when a code, a Coding or every coding of a
// CodeableConcept is outside the value set `value_set_url`; nullopt when the value passes, has
// text only, or when the value set is not built in or Hearth cannot expand it
// (fhir/terminology/expansion_cache.h).
std::optional<std::string> check_advisory_binding(const JsonValue& value,
                                                  std::string_view type_code,
                                                  std::string_view value_set_url,
                                                  BindingStrength strength);

}  // namespace hearth::fhir
