// A profile: a StructureDefinition with `derivation: constraint`, compiled from its differential
// into a snapshot over the generated element tables of its base type (fhir/model.h), or over
// the snapshot of its base profile. The snapshot holds the base type's elements (backbone
// elements inline), the children of datatypes only where the differential reaches into them,
// and every slice after the element it slices, each followed by its own children, as the
// official snapshots do ("Observation.component:SystolicBP.code.coding:SBPCode.system").
//
// What compile_profile() keeps of each element: cardinality, allowed types with their
// profiles and target profiles, fixed[x] and pattern[x] values, the binding (strength and
// value set), slicing (discriminators value, pattern, type, profile, exists; ordered; rules),
// the slice name, and the profile's own constraints, their FHIRPath compiled. A choice element
// renamed in a differential ("Observation.valueQuantity") either restricts the choice to that type
// (when the differential gives a type), or becomes a type slice of it
// ("Observation.value[x]:valueQuantity"). A slice of `extension` or `modifierExtension` without
// declared slicing is sliced by `url`, as the base snapshots are.
//
// No I/O: a base profile is asked of the caller. A Profile is immutable once compiled and may
// be shared between threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/profile_constraint.h"

namespace hearth::fhir {

// Bounds on what compile_profile() accepts (kInvalidArgument beyond each).
inline constexpr std::size_t kMaxProfileDifferential = 2000;  // differential elements
inline constexpr std::size_t kMaxProfileElements = 20000;     // snapshot elements
inline constexpr std::size_t kMaxProfileSlices = 200;         // slices of one element
inline constexpr std::size_t kMaxProfilePathDepth = 24;       // segments of an element id
inline constexpr int kMaxProfileBaseDepth = 8;                // profiles derived from profiles

struct ProfileType {
  std::string code;                          // "Quantity", "Reference", "Extension"
  std::vector<std::string> profiles;         // type.profile canonicals
  std::vector<std::string> target_profiles;  // type.targetProfile canonicals
};

enum class DiscriminatorKind : std::uint8_t { kValue, kPattern, kType, kProfile, kExists };

struct Discriminator {
  DiscriminatorKind kind;
  std::string path;  // FHIRPath-like path from the sliced element: "code.coding.code", "$this"
};

enum class SlicingRules : std::uint8_t { kOpen, kClosed, kOpenAtEnd };

struct Slicing {
  std::vector<Discriminator> discriminators;
  bool ordered = false;
  SlicingRules rules = SlicingRules::kOpen;
};

struct ProfileElement {
  std::string id;          // "Observation.component:SystolicBP.code"
  std::string path;        // "Observation.component.code" (no slice names)
  std::string name;        // last path segment: "code", "value[x]"
  std::string slice_name;  // "SystolicBP", "valueQuantity" (a type slice); "" when none
  std::uint32_t min = 0;
  std::uint32_t max = kUnbounded;
  std::vector<ProfileType> types;
  // fixed[x] / pattern[x] value (its JSON), nullptr when none; `fixed_is_pattern` tells which.
  std::shared_ptr<const JsonDocument> fixed;
  bool fixed_is_pattern = false;
  BindingStrength binding_strength = BindingStrength::kNone;
  std::string value_set;  // canonical, possibly with "|version"
  bool sliced = false;    // `slicing` holds the slicing of this element
  Slicing slicing;
  // The profile's own invariants on this element (and its base profiles'), compiled
  // (fhir/profile_constraint.h); the base definitions' are not repeated here.
  std::vector<ProfileConstraint> constraints;
  // Set on the elements a differential changed (in this profile or a base profile): only
  // these are checked beyond what base validation does.
  bool constrained = false;
  bool is_choice() const { return name.size() > 3 && name.ends_with("[x]"); }

  // Tree links, indices into Profile::elements.
  std::int32_t parent = -1;
  std::vector<std::uint32_t> children;  // child elements (of this element or this slice)
  std::vector<std::uint32_t> slices;    // the slices of this element, in definition order

  // Where unfolded children come from: the generated type and element index whose children
  // apply (a backbone element's own, or a datatype's root); nullptr when none are known.
  const TypeDef* source_type = nullptr;
  std::uint32_t source_index = 0;
  bool unfolded = false;  // children present
};

struct Profile {
  std::string url;
  std::string name;
  std::string type;      // the constrained type: "Observation", "Extension", "Quantity"
  std::string base_url;  // baseDefinition
  TypeKind kind = TypeKind::kResource;
  int depth = 0;  // 0 over a generated type, base profile's depth + 1 over a profile
  // Storage order (creation order); elements[0] is the root. The tree is given by each
  // element's children and slices; snapshot_order() lists it as official snapshots do.
  std::vector<ProfileElement> elements;
};

// The element indices in snapshot order: each element, then its children, then its slices
// (each followed by its own children).
std::vector<std::uint32_t> snapshot_order(const Profile& profile);

// Compiled base profiles, by canonical URL ("|version" already removed): nullptr when unknown.
using ProfileLookup = std::function<std::shared_ptr<const Profile>(std::string_view url)>;

// Compiles `sd`, a StructureDefinition resource as FHIR JSON. Its base is the generated type
// when `baseDefinition` is "http://hl7.org/fhir/StructureDefinition/<type>", else the profile
// `lookup` returns (itself compiled by this function, at most kMaxProfileBaseDepth deep).
// Errors, all kInvalidArgument with the differential element's id in the expression:
// not a StructureDefinition, no url/type/baseDefinition, `derivation` other than `constraint`,
// an unknown base type or profile, a type that differs from its base's, a differential element
// whose path is outside the type or that names an element which does not exist, a slice of an
// element that is not sliced, a cardinality that widens the base's (min below, max above), a
// type not among the base element's types, an unparsable min/max, a constraint that is
// malformed or whose expression does not compile (profile_constraint.h), and every bound above.
Result<std::shared_ptr<const Profile>> compile_profile(const JsonValue& sd,
                                                       const ProfileLookup& lookup = {});

// The canonical URL without "|version".
std::string_view canonical_without_version(std::string_view url);

}  // namespace hearth::fhir
