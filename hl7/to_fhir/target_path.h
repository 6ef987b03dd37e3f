// The "FHIR Attribute" of a V2-to-FHIR map row, parsed: where in the resource a value goes.
//   "birthDate.extension[1].valueDateTime"   elements, with the IG's instance numbers
//   "[1].family"                             a data type map's own instance (XPN -> HumanName[1])
//   "line[1-3]"                              a range of instances (SAD -> Address.line)
//   "$value"                                 the primitive the data type map is applied to
//   "component[each].code"                   a new instance each time the row applies
//   "status=\"finished\""                     a constant written into the path itself
//   "asserter(Practitioner)"                 a Reference to another resource, built by the row
//   "performer[2](PractitionerRole[1].organization(Organization.address))"
//                                            ... and elements inside the referenced resources
// An instance number is the IG's, not an array position: rows with the same number write into
// the same instance, and each repetition of the v2 field makes another (resource_builder.h).
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::hl7::to_fhir {

inline constexpr int kEachInstance = -1;  // "[each]"

struct TargetStep {
  std::string name;     // "identifier", "$value"; "" for a leading "[1]"
  int instance = 0;     // [n]; 0 when none is written; kEachInstance for "[each]"
  int instance_to = 0;  // [n-m]: m; else equal to instance
  // "(Type...)" after the step: the element is a Reference to a resource of this type (the
  // IG's instance number of it in `reference_instance`), and the steps after this one are
  // elements of that resource.
  // "(Organization|Device)": the first type is built, the others are the IG's alternatives.
  std::string reference_type;
  int reference_instance = 0;
};

struct TargetPath {
  std::vector<TargetStep> steps;
  std::string constant;  // "status=\"finished\"" -> "finished"; "" when none is written
};

// kInvalidArgument for text that is not such a path (the IG has a few, e.g.
// "extension?\?-assigningFacility", slice names), naming what is wrong. Forgiven: a missing ")" at
// the end, and a '.' before a "(Type)" ("organization.(Organization)").
Result<TargetPath> parse_target_path(std::string_view text);

}  // namespace hearth::hl7::to_fhir
