// Profiles (fhir/profile.h, fhir/profile_validate.h): the snapshot generated from each
// constraint StructureDefinition of the official package compared with the package's own
// snapshot; every official example that claims a shipped profile validated against it; one
// failing case per feature (cardinality, fixed, pattern, type, target, binding, slices,
// extensions) and one per compile error.
#include "fhir/profile.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/profile_validate.h"
#include "fhir/shipped_profiles.h"
#include "fhir/validate.h"
#include "tests/test_paths.h"

namespace hearth::fhir {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

JsonDocument parse(std::string_view text) {
  Result<JsonDocument> doc = parse_json(text);
  REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
  return std::move(doc).value();
}

// The package's StructureDefinitions by URL, compiled on demand (profiles over profiles too).
class PackageProfiles {
 public:
  PackageProfiles() {
    for (const auto& e : std::filesystem::directory_iterator(hearth::test::fhir_package_dir())) {
      std::string name = e.path().filename().string();
      if (!name.starts_with("StructureDefinition-")) continue;
      auto doc = std::make_shared<JsonDocument>(parse(read_file(e.path())));
      auto url = doc->FindMember("url");
      if (url == doc->MemberEnd()) continue;
      docs_[std::string(json_string(url->value))] = doc;
    }
  }
  std::shared_ptr<const Profile> get(std::string_view url) {
    auto hit = compiled_.find(std::string(url));
    if (hit != compiled_.end()) return hit->second;
    auto it = docs_.find(std::string(url));
    if (it == docs_.end()) return nullptr;
    Result<std::shared_ptr<const Profile>> p = compile_profile(*it->second, lookup());
    std::shared_ptr<const Profile> out = p.is_ok() ? *p : nullptr;
    compiled_[std::string(url)] = out;
    return out;
  }
  ProfileLookup lookup() {
    return [this](std::string_view url) { return get(url); };
  }
  const std::map<std::string, std::shared_ptr<JsonDocument>>& docs() const { return docs_; }

 private:
  std::map<std::string, std::shared_ptr<JsonDocument>> docs_;
  std::map<std::string, std::shared_ptr<const Profile>> compiled_;
};

PackageProfiles& package() {
  static PackageProfiles p;
  return p;
}

bool is_constraint(const JsonValue& sd) {
  auto d = sd.FindMember("derivation");
  return d != sd.MemberEnd() && json_string(d->value) == "constraint";
}

std::string issues_text(const std::vector<Issue>& issues) {
  std::string out;
  for (const Issue& i : issues) {
    out += (i.severity == Severity::kError ? "error " : "other ") + i.type + " @ " + i.expression +
           ": " + i.diagnostics + "\n";
  }
  return out;
}

std::size_t errors(const std::vector<Issue>& issues) {
  std::size_t n = 0;
  for (const Issue& i : issues) n += i.severity == Severity::kError ? 1 : 0;
  return n;
}

TEST_CASE("the snapshot of every shipped profile has the official snapshot's elements") {
  std::size_t profiles = 0;
  std::size_t same_ids = 0;
  std::size_t elements = 0;
  std::size_t cardinality_checked = 0;
  std::size_t without_snapshot = 0;
  std::size_t known = 0;
  std::vector<std::string> differing;
  for (const auto& entry : package().docs()) {
    const std::string url = entry.first;
    const std::shared_ptr<JsonDocument>& doc = entry.second;
    if (!is_constraint(*doc)) continue;
    ++profiles;
    Result<std::shared_ptr<const Profile>> p = compile_profile(*doc, package().lookup());
    std::string why =
        p.is_ok() ? std::string()
                  : url + ": " + p.status().message() + " at " + p.status().issues()[0].expression;
    CHECK_MESSAGE(p.is_ok(), why);
    if (!p.is_ok()) continue;
    if (!doc->HasMember("snapshot")) {
      ++without_snapshot;
      continue;
    }
    std::map<std::string, std::pair<std::uint32_t, std::uint32_t>> official;
    for (const JsonValue& e : (*doc)["snapshot"]["element"].GetArray()) {
      std::string_view max = json_string(e["max"]);
      official[std::string(json_string(e["id"]))] = {
          static_cast<std::uint32_t>(std::stoul(std::string(json_number_text(e["min"])))),
          max == "*" ? kUnbounded : static_cast<std::uint32_t>(std::stoul(std::string(max)))};
    }
    std::set<std::string> ours;
    for (std::uint32_t i : snapshot_order(**p)) {
      const ProfileElement& e = (*p)->elements[i];
      ours.insert(e.id);
      auto it = official.find(e.id);
      if (it == official.end()) continue;
      ++cardinality_checked;
      INFO(url << " " << e.id);
      CHECK(e.min == it->second.first);
      CHECK(e.max == it->second.second);
    }
    elements += ours.size();
    std::set<std::string> theirs;
    for (const auto& [id, card] : official) theirs.insert(id);
    if (ours == theirs) {
      ++same_ids;
    } else if (url == "http://hl7.org/fhir/StructureDefinition/elementdefinition-de") {
      // Its official snapshot also lists the children of extension slices that only name a
      // profile (`extension:AllowedUnits.url`); Hearth, like the other official snapshots
      // (familymemberhistory-genetic), unfolds an element only where a differential reaches.
      ++known;
    } else {
      std::string diff = url + ":";
      for (const std::string& id : theirs) {
        if (!ours.contains(id)) diff += " -" + id;
      }
      for (const std::string& id : ours) {
        if (!theirs.contains(id)) diff += " +" + id;
      }
      differing.push_back(diff.substr(0, 400));
    }
  }
  MESSAGE("profiles compiled: " << profiles << ", snapshot ids identical to the official: "
                                << same_ids << ", elements: " << elements
                                << ", cardinalities compared: " << cardinality_checked
                                << ", without an official snapshot (compiled only): "
                                << without_snapshot << ", known difference: " << known);
  for (const std::string& d : differing) MESSAGE(d);
  CHECK(profiles == 441);
  CHECK(differing.empty());
}

// Every resource in `value` (itself, Bundle entries, contained ones) that claims a profile.
void claims(const JsonValue& value, std::vector<std::pair<const JsonValue*, std::string>>& out,
            int depth = 0) {
  if (depth > 64) return;
  if (value.IsObject()) {
    if (value.HasMember("resourceType") && value.HasMember("meta") && value["meta"].IsObject() &&
        value["meta"].HasMember("profile")) {
      for (const JsonValue& p : value["meta"]["profile"].GetArray()) {
        out.emplace_back(&value, std::string(json_string(p)));
      }
    }
    for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
      claims(m->value, out, depth + 1);
    }
  } else if (value.IsArray()) {
    for (const JsonValue& v : value.GetArray()) claims(v, out, depth + 1);
  }
}

TEST_CASE("every official example that claims a shipped profile validates against it") {
  std::size_t files = 0;
  std::size_t checked = 0;
  std::size_t warnings = 0;
  std::size_t unknown = 0;
  std::map<std::string, std::size_t> per_profile;
  for (const auto& e : std::filesystem::directory_iterator(hearth::test::fhir_package_dir())) {
    if (e.path().extension() != ".json") continue;
    std::string text = read_file(e.path());
    if (text.find("\"profile\"") == std::string::npos) continue;
    Result<JsonDocument> doc = parse_json(text);
    if (!doc.is_ok()) continue;
    std::vector<std::pair<const JsonValue*, std::string>> found;
    claims(*doc, found);
    bool any = false;
    for (const auto& claim : found) {
      const JsonValue* resource = claim.first;
      const std::string url = claim.second;
      std::shared_ptr<const Profile> p = package().get(canonical_without_version(url));
      if (p == nullptr) {
        ++unknown;
        continue;
      }
      any = true;
      ++checked;
      ++per_profile[p->name];
      std::vector<Issue> issues = validate_against_profile(*resource, *p, package().lookup());
      warnings += issues.size() - errors(issues);
      INFO(e.path().filename().string() << " against " << url << "\n" << issues_text(issues));
      CHECK(errors(issues) == 0);
    }
    files += any ? 1 : 0;
  }
  std::string by;
  for (const auto& [name, n] : per_profile) by += " " + name + "=" + std::to_string(n);
  MESSAGE("examples with a shipped profile: "
          << files << " files, " << checked << " resources validated (" << by << "), warnings "
          << warnings << ", claims of profiles not shipped " << unknown);
  CHECK(checked > 1900);
}

TEST_CASE("the shipped profile tables compile like the package's full files") {
  std::size_t compared = 0;
  std::size_t bytes = 0;
  for (const ShippedProfile& sp : shipped_profiles()) bytes += sp.json.size();
  for (const auto& entry : package().docs()) {
    if (!is_constraint(*entry.second)) continue;
    const std::string url = entry.first;
    std::shared_ptr<const Profile> shipped = shipped_profile(url);
    std::shared_ptr<const Profile> full = package().get(url);
    INFO(url);
    REQUIRE(shipped != nullptr);
    REQUIRE(full != nullptr);
    std::vector<std::uint32_t> a = snapshot_order(*shipped);
    std::vector<std::uint32_t> b = snapshot_order(*full);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      const ProfileElement& x = shipped->elements[a[i]];
      const ProfileElement& y = full->elements[b[i]];
      CHECK(x.id == y.id);
      CHECK(x.min == y.min);
      CHECK(x.max == y.max);
      CHECK(x.types.size() == y.types.size());
      CHECK(x.value_set == y.value_set);
      CHECK((x.fixed == nullptr) == (y.fixed == nullptr));
      if (x.fixed != nullptr && y.fixed != nullptr)
        CHECK(write_json(*x.fixed) == write_json(*y.fixed));
    }
    ++compared;
  }
  MESSAGE("shipped profiles: " << shipped_profiles().size() << " (" << bytes
                               << " bytes of reduced JSON), each compiled like its full file: "
                               << compared);
  CHECK(compared == shipped_profiles().size());
  CHECK(shipped_profile("http://hl7.org/fhir/StructureDefinition/bp|4.0.1") != nullptr);
  CHECK(shipped_profile("http://hl7.org/fhir/StructureDefinition/Patient") == nullptr);
  CHECK(shipped_profile("http://example.org/none") == nullptr);
}

TEST_CASE("the vital-signs examples validate against their specific profiles") {
  // The examples claim only vitalsigns; these are the profiles their codes are for.
  const std::pair<const char*, const char*> kPairs[] = {
      {"Observation-blood-pressure.json", "bp"},
      {"Observation-heart-rate.json", "heartrate"},
      {"Observation-body-height.json", "bodyheight"},
      {"Observation-body-temperature.json", "bodytemp"},
      {"Observation-bmi.json", "bmi"},
      {"Observation-head-circumference.json", "headcircum"},
      {"Observation-respiratory-rate.json", "resprate"},
      {"Observation-satO2.json", "oxygensat"},
      {"Observation-vitals-panel.json", "vitalspanel"},
      {"Observation-example.json", "bodyweight"},
  };
  for (const auto& pair : kPairs) {
    const char* file = pair.first;
    const char* name = pair.second;
    JsonDocument doc =
        parse(read_file(std::filesystem::path(hearth::test::fhir_package_dir()) / file));
    auto p = package().get(std::string("http://hl7.org/fhir/StructureDefinition/") + name);
    REQUIRE(p != nullptr);
    std::vector<Issue> issues = validate_against_profile(doc, *p, package().lookup());
    INFO(file << " against " << name << "\n" << issues_text(issues));
    CHECK(errors(issues) == 0);
    // And not against another vital sign's profile: the code slice is missing.
    auto other = package().get(std::string("http://hl7.org/fhir/StructureDefinition/") +
                               (std::string(name) == "bp" ? "heartrate" : "bp"));
    CHECK(errors(validate_against_profile(doc, *other, package().lookup())) > 0);
  }
}

// The issues of validating `json` against the shipped profile `name`.
std::vector<Issue> against(std::string_view json, const std::string& name) {
  JsonDocument doc = parse(json);
  auto p = package().get("http://hl7.org/fhir/StructureDefinition/" + name);
  REQUIRE(p != nullptr);
  return validate_against_profile(doc, *p, package().lookup());
}

std::vector<Issue> against(std::string_view json, const Profile& p) {
  JsonDocument doc = parse(json);
  return validate_against_profile(doc, p, package().lookup());
}

// Asserts an error of `type` at `expression`.
void expect_error(const std::vector<Issue>& issues, std::string_view type,
                  std::string_view expression) {
  bool found = false;
  for (const Issue& i : issues) {
    found =
        found || (i.severity == Severity::kError && i.type == type && i.expression == expression);
  }
  INFO(issues_text(issues));
  CHECK(found);
}

constexpr std::string_view kBp = R"({"resourceType":"Observation","status":"final",
  "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",
    "code":"vital-signs"}]}],
  "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
  "subject":{"reference":"Patient/example"},"effectiveDateTime":"2012-09-17",
  "component":[
   {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},
    "valueQuantity":{"value":107,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
   {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},
    "valueQuantity":{"value":60,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]})";

std::string replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  std::size_t at = out.find(from);
  REQUIRE(at != std::string::npos);
  out.replace(at, from.size(), to);
  return out;
}

TEST_CASE("profile features: each one refuses what breaks it") {
  CHECK(errors(against(kBp, "bp")) == 0);
  SUBCASE("cardinality: a required element missing, reported at its parent") {
    std::string json = replace(kBp, R"("subject":{"reference":"Patient/example"},)", "");
    expect_error(against(json, "bp"), "structure", "Observation");
  }
  SUBCASE("cardinality: a type slice with max 0 (bp has no valueQuantity)") {
    std::string json =
        replace(kBp, R"("status":"final",)", R"("status":"final","valueQuantity":{"value":1},)");
    expect_error(against(json, "bp"), "structure", "Observation");
  }
  SUBCASE("slices: a required slice not found (the VSCat category)") {
    std::string json = replace(kBp, "vital-signs", "laboratory");
    std::vector<Issue> issues = against(json, "bp");
    expect_error(issues, "structure", "Observation");
    bool named = false;
    for (const Issue& i : issues)
      named = named || i.diagnostics.find("category:VSCat") != std::string::npos;
    CHECK(named);
  }
  SUBCASE("slices: every issue is collected (both component slices missing)") {
    std::string json = replace(replace(kBp, "8480-6", "1-1"), "8462-4", "2-2");
    std::size_t slice_errors = 0;
    for (const Issue& i : against(json, "bp")) {
      slice_errors += i.diagnostics.find("slice 'Observation.component:") != std::string::npos;
    }
    CHECK(slice_errors == 2);
  }
  SUBCASE("fixed: a fixed value inside a slice, with the choice written as ofType") {
    std::string json = replace(kBp, R"("code":"mm[Hg]"}},)", R"("code":"kPa"}},)");
    expect_error(against(json, "bp"), "value",
                 "Observation.component[0].value.ofType(Quantity).code");
  }
  SUBCASE("type: a choice type the profile removed") {
    std::string json = replace(kBp, R"("effectiveDateTime":"2012-09-17")",
                               R"("effectiveInstant":"2012-09-17T10:00:00Z")");
    expect_error(against(json, "vitalsigns"), "structure", "Observation.effective.ofType(instant)");
  }
  SUBCASE("type: a reference target outside targetProfile") {
    std::string json = replace(kBp, "Patient/example", "Group/101");
    expect_error(against(json, "vitalsigns"), "structure", "Observation.subject");
  }
}

constexpr std::string_view kTestProfile = R"({"resourceType":"StructureDefinition",
  "url":"http://example.org/StructureDefinition/test-patient","name":"TestPatient",
  "type":"Patient","derivation":"constraint",
  "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
  "differential":{"element":[
    {"id":"Patient","path":"Patient"},
    {"id":"Patient.extension","path":"Patient.extension","min":1},
    {"id":"Patient.extension:birthPlace","path":"Patient.extension","sliceName":"birthPlace",
     "min":1,"max":"1","type":[{"code":"Extension",
       "profile":["http://hl7.org/fhir/StructureDefinition/patient-birthPlace"]}]},
    {"id":"Patient.identifier","path":"Patient.identifier","min":1,
     "slicing":{"discriminator":[{"type":"pattern","path":"type"}],"rules":"closed"}},
    {"id":"Patient.identifier:mrn","path":"Patient.identifier","sliceName":"mrn","min":1,"max":"1"},
    {"id":"Patient.identifier:mrn.type","path":"Patient.identifier.type","min":1,
     "patternCodeableConcept":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]}},
    {"id":"Patient.identifier:mrn.system","path":"Patient.identifier.system","min":1},
    {"id":"Patient.identifier:ssn","path":"Patient.identifier","sliceName":"ssn","max":"1"},
    {"id":"Patient.identifier:ssn.type","path":"Patient.identifier.type","min":1,
     "patternCodeableConcept":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"SB"}]}},
    {"id":"Patient.maritalStatus","path":"Patient.maritalStatus","binding":{"strength":"required",
     "valueSet":"http://hl7.org/fhir/ValueSet/marital-status"}},
    {"id":"Patient.telecom","path":"Patient.telecom","max":"2",
     "slicing":{"discriminator":[{"type":"exists","path":"period"}],"rules":"open"}},
    {"id":"Patient.telecom:current","path":"Patient.telecom","sliceName":"current","max":"1"},
    {"id":"Patient.telecom:current.period","path":"Patient.telecom.period","max":"0"},
    {"id":"Patient.deceased[x]","path":"Patient.deceased[x]","type":[{"code":"boolean"}],
     "slicing":{"discriminator":[{"type":"type","path":"$this"}],"rules":"open"}}
  ]}})";

constexpr std::string_view kGoodPatient = R"({"resourceType":"Patient",
  "extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                "valueAddress":{"city":"Paris"}}],
  "identifier":[
    {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},
     "system":"urn:oid:1.2.3","value":"12"},
    {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"SB"}]},
     "value":"123-45-6789"}],
  "telecom":[{"system":"phone","value":"1"}],
  "maritalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"M"}]},
  "deceasedBoolean":false})";

TEST_CASE("a stored-style profile: pattern, closed slices, binding, exists, extensions") {
  JsonDocument sd = parse(kTestProfile);
  Result<std::shared_ptr<const Profile>> compiled = compile_profile(sd, package().lookup());
  REQUIRE_MESSAGE(compiled.is_ok(), compiled.status().message());
  const Profile& p = **compiled;
  {
    std::vector<Issue> issues = against(kGoodPatient, p);
    INFO(issues_text(issues));
    CHECK(issues.empty());
  }
  SUBCASE("pattern: the mrn slice's system is required (a pattern match selects the slice)") {
    std::string json = replace(kGoodPatient, R"("system":"urn:oid:1.2.3",)", "");
    expect_error(against(json, p), "structure", "Patient.identifier[0]");
  }
  SUBCASE("closed slicing: an identifier of no slice") {
    std::string json = replace(kGoodPatient, R"("code":"SB")", R"("code":"DL")");
    expect_error(against(json, p), "structure", "Patient.identifier[1]");
  }
  SUBCASE("binding: a code outside the profile's required value set") {
    std::string json = replace(kGoodPatient, R"("code":"M")", R"("code":"ZZ")");
    expect_error(against(json, p), "code-invalid", "Patient.maritalStatus");
  }
  SUBCASE("exists discriminator: two current telecoms") {
    std::string json =
        replace(kGoodPatient, R"([{"system":"phone","value":"1"}])",
                R"([{"system":"phone","value":"1"},{"system":"email","value":"a"}])");
    expect_error(against(json, p), "structure", "Patient");
  }
  SUBCASE("type: deceasedDateTime removed by the profile") {
    std::string json =
        replace(kGoodPatient, R"("deceasedBoolean":false)", R"("deceasedDateTime":"2020-01-01")");
    expect_error(against(json, p), "structure", "Patient.deceased.ofType(dateTime)");
  }
  SUBCASE("extension: the slice by URL is required") {
    std::string json = replace(kGoodPatient, "patient-birthPlace", "patient-mothersMaidenName");
    expect_error(against(json, p), "structure", "Patient");
  }
  SUBCASE("extension: validated against its own profile (birthPlace holds an Address)") {
    std::string json =
        replace(kGoodPatient, R"("valueAddress":{"city":"Paris"})", R"("valueString":"Paris")");
    expect_error(against(json, p), "structure", "Patient.extension[0].value.ofType(string)");
  }
  SUBCASE("an unknown extension profile is a warning naming the URL") {
    std::string text = replace(kTestProfile, "patient-birthPlace", "no-such-extension");
    JsonDocument other = parse(text);
    auto q = compile_profile(other, package().lookup());
    REQUIRE(q.is_ok());
    std::string json = replace(kGoodPatient, "patient-birthPlace", "no-such-extension");
    std::vector<Issue> issues = against(json, **q);
    bool warned = false;
    for (const Issue& i : issues) {
      warned = warned ||
               (i.severity == Severity::kWarning &&
                i.diagnostics.find("StructureDefinition/no-such-extension") != std::string::npos);
    }
    INFO(issues_text(issues));
    CHECK(warned);
  }
}

TEST_CASE("compile errors name the differential element") {
  auto error_of = [](std::string_view diff_element) {
    std::string text = replace(kTestProfile, R"({"id":"Patient","path":"Patient"},)",
                               std::string(diff_element) + ",");
    JsonDocument sd = parse(text);
    Result<std::shared_ptr<const Profile>> p = compile_profile(sd, package().lookup());
    REQUIRE_FALSE(p.is_ok());
    CHECK(p.status().code() == Code::kInvalidArgument);
    return p.status().issues()[0].expression + " " + p.status().message();
  };
  CHECK(error_of(R"({"id":"Patient.nope","path":"Patient.nope"})").find("Patient.nope") !=
        std::string::npos);
  CHECK(error_of(R"({"id":"Patient.gender","path":"Patient.gender","max":"*"})")
            .find("max is above") != std::string::npos);
  CHECK(error_of(R"({"id":"Patient.link.other","path":"Patient.link.other","min":0})")
            .find("below the base") != std::string::npos);
  CHECK(error_of(R"({"id":"Patient.gender","path":"Patient.gender","type":[{"code":"string"}]})")
            .find("not allowed") != std::string::npos);
  CHECK(error_of(R"({"id":"Observation.code","path":"Observation.code"})").find("outside") !=
        std::string::npos);
  CHECK(error_of(R"({"id":"Patient.gender","path":"Patient.gender","min":"x"})").find("min") !=
        std::string::npos);
  std::string deep = "Patient";
  for (int i = 0; i < 30; ++i) deep += ".contact";
  CHECK(error_of(R"({"id":")" + deep + R"(","path":"Patient"})").find("deeper") !=
        std::string::npos);

  JsonDocument not_constraint = parse(R"({"resourceType":"StructureDefinition","url":"u",
    "type":"Patient","baseDefinition":"http://hl7.org/fhir/StructureDefinition/DomainResource",
    "derivation":"specialization"})");
  CHECK_FALSE(compile_profile(not_constraint).is_ok());
  JsonDocument unknown_base = parse(R"({"resourceType":"StructureDefinition","url":"u",
    "type":"Patient","baseDefinition":"http://example.org/none","derivation":"constraint"})");
  Result<std::shared_ptr<const Profile>> r = compile_profile(unknown_base, package().lookup());
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().message().find("http://example.org/none") != std::string::npos);

  // Slices beyond the bound.
  std::string many = R"({"resourceType":"StructureDefinition","url":"u","type":"Patient",
    "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient","derivation":"constraint",
    "differential":{"element":[)";
  for (std::size_t i = 0; i <= kMaxProfileSlices; ++i) {
    many += std::string(i ? "," : "") + R"({"id":"Patient.extension:s)" + std::to_string(i) +
            R"(","path":"Patient.extension","sliceName":"s)" + std::to_string(i) + R"("})";
  }
  many += "]}}";
  JsonDocument many_doc = parse(many);
  Result<std::shared_ptr<const Profile>> m = compile_profile(many_doc);
  REQUIRE_FALSE(m.is_ok());
  CHECK(m.status().message().find("slices") != std::string::npos);
}

}  // namespace
}  // namespace hearth::fhir
