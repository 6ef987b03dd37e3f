// A CodeSystem resource (one stored in Hearth) compiled into the shape of the built-in ones
// (code_system.h), so that $lookup, $subsumes, $validate-code and expansion treat both alike:
// each concept of the `concept` nesting in document order with its parent and subtree range,
// an index by code, and the flags the built-in tables keep (property notSelectable or abstract
// true; status deprecated or retired, or inactive true). Definitions, designations and the other
// properties are not kept; a hierarchy given only by `parent`/`child` properties is not followed.
//
// No I/O. A compiled code system is immutable and may be shared between threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/terminology/code_system.h"

namespace hearth::fhir::terminology {

// Bounds on what compile_code_system() accepts (kInvalidArgument beyond each).
inline constexpr std::size_t kMaxStoredConcepts = 100000;  // concepts of one code system
inline constexpr int kMaxConceptDepth = 64;                // nesting of `concept`
inline constexpr std::size_t kMaxCodeLength = 1024;        // bytes of a code

class CompiledCodeSystem {
 public:
  CompiledCodeSystem(const CompiledCodeSystem&) = delete;
  CompiledCodeSystem& operator=(const CompiledCodeSystem&) = delete;
  // The code system in the built-in shape; its views point into this object.
  const CodeSystem& view() const { return view_; }

 private:
  friend Result<std::shared_ptr<const CompiledCodeSystem>> compile_code_system(const JsonValue&);
  CompiledCodeSystem() = default;
  std::string url_, name_, title_, version_;
  std::vector<Concept> concepts_;
  std::vector<std::uint32_t> by_code_;
  std::vector<std::string> texts_;
  CodeSystem view_{};
};

// Compiles `resource`, a CodeSystem as FHIR JSON. Errors, kInvalidArgument with the FHIRPath of
// the culprit (`CodeSystem.concept[2].concept[0].code`): not a CodeSystem, no url, a concept
// that is not an object or has no code, a code that repeats (exactly, or case-insensitively when
// `caseSensitive` is false), `concept` not an array, and every bound above.
Result<std::shared_ptr<const CompiledCodeSystem>> compile_code_system(const JsonValue& resource);

}  // namespace hearth::fhir::terminology
