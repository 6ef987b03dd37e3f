// api/rest/smart_scopes.h: v1 and v2 scope forms, and the authorisation of each interaction.
#include "api/rest/smart_scopes.h"

#include <doctest/doctest.h>

namespace hearth::api {
namespace {

ScopePermissions perms(std::string_view letters) {
  ScopePermissions p;
  for (char c : letters) {
    if (c == 'c') p.create = true;
    if (c == 'r') p.read = true;
    if (c == 'u') p.update = true;
    if (c == 'd') p.remove = true;
    if (c == 's') p.search = true;
  }
  return p;
}

TEST_CASE("smart scopes: v1 forms") {
  auto read = parse_smart_scope("patient/Observation.read");
  REQUIRE(read.is_ok());
  CHECK(read->context == ScopeContext::kPatient);
  CHECK(read->resource_type == "Observation");
  CHECK(read->permissions == perms("rs"));
  auto write = parse_smart_scope("user/*.write");
  REQUIRE(write.is_ok());
  CHECK(write->context == ScopeContext::kUser);
  CHECK(write->resource_type == "*");
  CHECK(write->permissions == perms("cud"));
  auto all = parse_smart_scope("system/*.*");
  REQUIRE(all.is_ok());
  CHECK(all->context == ScopeContext::kSystem);
  CHECK(all->permissions == perms("cruds"));
}

TEST_CASE("smart scopes: v2 forms with letters in order and granular restrictions") {
  auto rs = parse_smart_scope("patient/Observation.rs");
  REQUIRE(rs.is_ok());
  CHECK(rs->permissions == perms("rs"));
  CHECK(parse_smart_scope("user/Encounter.cruds")->permissions == perms("cruds"));
  CHECK(parse_smart_scope("user/Encounter.cd")->permissions == perms("cd"));
  auto granular = parse_smart_scope(
      "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/"
      "observation-category|laboratory");
  REQUIRE(granular.is_ok());
  REQUIRE(granular->restriction.size() == 1);
  CHECK(granular->restriction[0].first == "category");
  CHECK(granular->restriction[0].second ==
        "http://terminology.hl7.org/CodeSystem/observation-category|laboratory");
  for (const char* bad :
       {"openid", "fhirUser", "launch/patient", "offline_access", "patient/Observation",
        "patient/Observation.", "user/*.rr", "user/*.sr", "user/*.x", "user/observation.read",
        "admin/*.read", "user/Observation.rs?", "user/Observation.rs?category",
        "user/Obs-ervation.read"}) {
    CAPTURE(bad);
    CHECK(parse_smart_scope(bad).status().code() == Code::kInvalidArgument);
  }
  auto list = parse_smart_scopes("openid  fhirUser user/Patient.rs launch system/*.c bogus/x.y");
  REQUIRE(list.size() == 2);
  CHECK(list[0].resource_type == "Patient");
  CHECK(list[1].context == ScopeContext::kSystem);
}

TEST_CASE("smart scopes: each interaction needs its permission on its type") {
  const auto reader = parse_smart_scopes("user/Patient.rs");
  CHECK(authorize(reader, Interaction::kRead, "Patient").is_ok());
  CHECK(authorize(reader, Interaction::kVread, "Patient").is_ok());
  CHECK(authorize(reader, Interaction::kSearchType, "Patient").is_ok());
  CHECK(authorize(reader, Interaction::kHistoryInstance, "Patient").is_ok());
  CHECK(authorize(reader, Interaction::kCapabilities, "").is_ok());
  CHECK(authorize(reader, Interaction::kSmartConfiguration, "").is_ok());
  for (Interaction write : {Interaction::kCreate, Interaction::kUpdate, Interaction::kPatch,
                            Interaction::kDelete, Interaction::kConditionalUpdate,
                            Interaction::kConditionalDelete, Interaction::kConditionalPatch}) {
    CHECK(authorize(reader, write, "Patient").code() == Code::kForbidden);
  }
  CHECK(authorize(reader, Interaction::kRead, "Observation").code() == Code::kForbidden);
  CHECK(authorize(reader, Interaction::kHistorySystem, "").code() == Code::kForbidden);
  // A Bundle needs nothing itself: its entries are authorised one by one (entry_runner.h).
  CHECK(authorize(reader, Interaction::kTransaction, "").is_ok());
  Status refused = authorize(reader, Interaction::kCreate, "Patient");
  CHECK(refused.message().find("create on Patient") != std::string::npos);

  const auto creator = parse_smart_scopes("user/Observation.c");
  CHECK(authorize(creator, Interaction::kCreate, "Observation").is_ok());
  CHECK(authorize(creator, Interaction::kRead, "Observation").code() == Code::kForbidden);
  // A conditional update also searches; u alone is not enough.
  const auto updater = parse_smart_scopes("user/Observation.u");
  CHECK(authorize(updater, Interaction::kUpdate, "Observation").is_ok());
  CHECK(authorize(updater, Interaction::kConditionalUpdate, "Observation").code() ==
        Code::kForbidden);
  CHECK(authorize(parse_smart_scopes("user/Observation.us"), Interaction::kConditionalUpdate,
                  "Observation")
            .is_ok());

  // Everything on every type: system-level history and transactions too.
  const auto admin = parse_smart_scopes("system/*.*");
  CHECK(authorize(admin, Interaction::kTransaction, "").is_ok());
  CHECK(authorize(admin, Interaction::kHistorySystem, "").is_ok());
  CHECK(authorize(parse_smart_scopes("user/*.read user/*.write"), Interaction::kTransaction, "")
            .is_ok());
  // Write scopes on every type are not read scopes.
  CHECK(authorize(parse_smart_scopes("user/*.write"), Interaction::kRead, "Patient").code() ==
        Code::kForbidden);
}

TEST_CASE("smart scopes: user/ checks ignore patient/ and granular scopes") {
  CHECK(authorize(parse_smart_scopes("patient/*.*"), Interaction::kRead, "Patient").code() ==
        Code::kForbidden);
  CHECK(authorize(parse_smart_scopes("user/Observation.rs?category=laboratory"),
                  Interaction::kSearchType, "Observation")
            .code() == Code::kForbidden);
  CHECK(authorize({}, Interaction::kRead, "Patient").code() == Code::kForbidden);
}

Route route_of(Interaction interaction, std::string type, std::string id = {},
               std::string compartment = {}) {
  Route route;
  route.interaction = interaction;
  route.type = std::move(type);
  route.id = std::move(id);
  route.compartment = std::move(compartment);
  return route;
}

Grant grant_of(std::string_view claim, std::string patient = {}) {
  return Grant{parse_smart_scopes(claim), std::move(patient), false};
}

TEST_CASE("smart scopes: patient/ scopes reach the patient's compartment where it can hold") {
  const Grant patient = grant_of("patient/*.cruds", "p1");
  auto reach = [&](const Route& route) { return authorize(patient, route); };
  for (Interaction held : {Interaction::kRead, Interaction::kVread, Interaction::kHistoryInstance,
                           Interaction::kCreate, Interaction::kUpdate, Interaction::kPatch,
                           Interaction::kDelete, Interaction::kSearchType}) {
    CAPTURE(static_cast<int>(held));
    auto r = reach(route_of(held, "Observation", "o1"));
    REQUIRE(r.is_ok());
    CHECK(*r == Reach::kPatientCompartment);
  }
  // Patient itself is in its own compartment ({def}).
  CHECK(*reach(route_of(Interaction::kRead, "Patient", "p1")) == Reach::kPatientCompartment);
  CHECK(*reach(route_of(Interaction::kSearchCompartment, "Observation", "p1", "Patient")) ==
        Reach::kPatientCompartment);
  // Not holdable: another patient's compartment search, another compartment, type and system
  // history, system search, conditional forms, a type outside the compartment.
  for (const Route& refused :
       {route_of(Interaction::kSearchCompartment, "Observation", "p2", "Patient"),
        route_of(Interaction::kSearchCompartment, "Observation", "e1", "Encounter"),
        route_of(Interaction::kHistoryType, "Observation"),
        route_of(Interaction::kHistorySystem, ""), route_of(Interaction::kSearchSystem, ""),
        route_of(Interaction::kConditionalUpdate, "Observation"),
        route_of(Interaction::kConditionalDelete, "Observation"),
        route_of(Interaction::kConditionalPatch, "Observation"),
        route_of(Interaction::kRead, "Organization", "o1"),
        route_of(Interaction::kSearchType, "Medication")}) {
    CAPTURE(refused.type);
    CHECK(reach(refused).status().code() == Code::kForbidden);
  }
  // The letters still count, and without a patient claim patient/ scopes grant nothing.
  const Grant reader = grant_of("patient/Observation.rs", "p1");
  CHECK(authorize(reader, route_of(Interaction::kCreate, "Observation")).status().code() ==
        Code::kForbidden);
  CHECK(authorize(reader, route_of(Interaction::kRead, "Condition", "c")).status().code() ==
        Code::kForbidden);
  Status no_patient =
      authorize(grant_of("patient/*.rs"), route_of(Interaction::kRead, "Observation", "o"))
          .status();
  CHECK(no_patient.code() == Code::kForbidden);
  CHECK(no_patient.message().find("patient claim") != std::string::npos);
  // user/ scopes win: they reach everything of the type.
  const Grant both = grant_of("patient/*.rs user/Observation.rs", "p1");
  CHECK(*authorize(both, route_of(Interaction::kSearchType, "Observation")) == Reach::kAll);
  CHECK(*authorize(both, route_of(Interaction::kSearchType, "Condition")) ==
        Reach::kPatientCompartment);
}

TEST_CASE("smart scopes: granular (v2 ?param=value) scopes reach matching reads and searches") {
  const Grant lab = grant_of("user/Observation.rs?category=laboratory");
  for (Interaction held : {Interaction::kRead, Interaction::kVread, Interaction::kHistoryInstance,
                           Interaction::kSearchType}) {
    CAPTURE(static_cast<int>(held));
    auto r = authorize(lab, route_of(held, "Observation", "o1"));
    REQUIRE_MESSAGE(r.is_ok(), r.status().message());
    CHECK(*r == Reach::kRestricted);
  }
  auto restriction = restriction_of(lab, "Observation", ScopePermissions{.search = true});
  REQUIRE(restriction.is_ok());
  CHECK_FALSE(restriction->patient);
  REQUIRE(restriction->params.size() == 1);
  CHECK(restriction->params[0] ==
        std::make_pair(std::string("category"), std::string("laboratory")));
  // Never a write, a type or system history, another type, a system search.
  for (const Route& refused : {route_of(Interaction::kCreate, "Observation"),
                               route_of(Interaction::kUpdate, "Observation", "o1"),
                               route_of(Interaction::kDelete, "Observation", "o1"),
                               route_of(Interaction::kHistoryType, "Observation"),
                               route_of(Interaction::kSearchType, "Condition"),
                               route_of(Interaction::kSearchSystem, "")}) {
    CAPTURE(refused.type);
    CHECK(authorize(lab, refused).status().code() == Code::kForbidden);
  }
  // The letters count per scope: r alone does not allow a search.
  CHECK(authorize(grant_of("user/Observation.r?category=laboratory"),
                  route_of(Interaction::kSearchType, "Observation"))
            .status()
            .code() == Code::kForbidden);
  // An unrestricted scope wins.
  CHECK(*authorize(grant_of("user/Observation.rs?category=laboratory user/Observation.rs"),
                   route_of(Interaction::kSearchType, "Observation")) == Reach::kAll);
  // Several scopes on one parameter: their values become one list (OR).
  const Grant two = grant_of(
      "user/Observation.rs?category=laboratory "
      "user/Observation.rs?category=vital-signs");
  auto merged = restriction_of(two, "Observation", ScopePermissions{.read = true});
  REQUIRE(merged.is_ok());
  REQUIRE(merged->params.size() == 1);
  CHECK(merged->params[0].second == "laboratory,vital-signs");
  // Different parameters cannot be united in one search: refused, with the reason.
  const Grant mixed =
      grant_of("user/Observation.rs?category=laboratory user/Observation.rs?code=1");
  Status refused = authorize(mixed, route_of(Interaction::kSearchType, "Observation")).status();
  CHECK(refused.code() == Code::kForbidden);
  CHECK(refused.message().find("different parameters") != std::string::npos);
  // patient/ granular scopes: also held to the compartment, and its compartment search allowed.
  const Grant patient = grant_of("patient/Observation.rs?category=laboratory", "p1");
  CHECK(*authorize(patient, route_of(Interaction::kSearchCompartment, "Observation", "p1",
                                     "Patient")) == Reach::kRestricted);
  CHECK(
      authorize(patient, route_of(Interaction::kSearchCompartment, "Observation", "p2", "Patient"))
          .status()
          .code() == Code::kForbidden);
  auto held = restriction_of(patient, "Observation", ScopePermissions{.read = true});
  REQUIRE(held.is_ok());
  CHECK(held->patient);
  CHECK_FALSE(restriction_of(grant_of("patient/Observation.rs?category=laboratory"), "Observation",
                             ScopePermissions{.read = true})
                  .is_ok());  // no patient claim
  // Included resources: a type read only through granular scopes is restricted.
  CHECK(reach_of_type(lab, "Observation") == Reach::kRestricted);
  CHECK_FALSE(reach_of_type(lab, "Condition").has_value());
}

TEST_CASE("smart scopes: the types a search may add on its own, and the admin claim") {
  const Grant grant = grant_of("patient/Observation.rs user/Practitioner.r", "p1");
  CHECK(reach_of_type(grant, "Observation") == Reach::kPatientCompartment);
  CHECK(reach_of_type(grant, "Practitioner") == Reach::kAll);
  CHECK_FALSE(reach_of_type(grant, "Patient").has_value());
  CHECK_FALSE(reach_of_type(grant_of("patient/*.rs"), "Observation").has_value());
  CHECK_FALSE(reach_of_type(grant_of("user/*.c"), "Observation").has_value());
  CHECK(authorize_admin(grant).code() == Code::kForbidden);
  Grant admin = grant;
  admin.admin = true;
  CHECK(authorize_admin(admin).is_ok());
}

TEST_CASE("smart scopes: the server's metrics need a system-level read on every type") {
  auto allowed = [](std::string_view claim) {
    return authorize_operations(parse_smart_scopes(claim)).is_ok();
  };
  CHECK(allowed("system/*.read"));
  CHECK(allowed("system/*.rs"));
  CHECK(allowed("openid system/*.*"));
  CHECK(allowed("system/*.cruds"));
  CHECK_FALSE(allowed(""));
  CHECK_FALSE(allowed("user/*.read"));
  CHECK_FALSE(allowed("patient/*.read"));
  CHECK_FALSE(allowed("system/Patient.read"));
  CHECK_FALSE(allowed("system/*.write"));
  CHECK_FALSE(allowed("system/*.rs?category=laboratory"));
  CHECK(authorize_operations({}).code() == Code::kForbidden);
}

}  // namespace
}  // namespace hearth::api
