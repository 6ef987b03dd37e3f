// Profiles: parse arbitrary bytes as a StructureDefinition, compile it (fhir/profile.h; base
// profiles from the shipped package), and validate a small resource of its type against whatever
// compiles. Invariants: nothing crashes or hangs; errors come back as values.
#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/json.h"
#include "fhir/profile.h"
#include "fhir/profile_validate.h"
#include "fhir/shipped_profiles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hearth::fhir;
  auto sd = parse_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!sd.is_ok() || !sd->IsObject()) return 0;
  ProfileLookup lookup = [](std::string_view url) { return shipped_profile(url); };
  auto profile = compile_profile(*sd, lookup);
  if (!profile.is_ok()) return 0;
  (void)snapshot_order(**profile);
  if ((*profile)->kind != TypeKind::kResource) return 0;
  auto resource = parse_json(R"({"resourceType":")" + (*profile)->type +
                             R"(","id":"f1","status":"final","code":{"coding":[{"system":)"
                             R"("http://loinc.org","code":"85354-9"}]},"component":[{"code":)"
                             R"({"text":"x"},"valueQuantity":{"value":1,"code":"mm[Hg]"}}]})");
  if (resource.is_ok()) (void)validate_against_profile(*resource, **profile, lookup);
  return 0;
}
