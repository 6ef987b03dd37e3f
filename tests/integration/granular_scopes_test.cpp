// SMART v2 granular scopes (`Observation.rs?category=laboratory`) against the real binary on
// the test store (SQLite, or PostgreSQL through $HEARTH_TEST_STORE; ids carry a per-run
// suffix): a restricted token sees only matching resources through read, vread, instance
// history, search (every page and the total), _revinclude and batch GET entries, combined with
// the patient compartment for patient/ scopes; it can write nothing.
#include <doctest/doctest.h>

#include <string>

#include "jwt_harness.h"

using namespace hearth::testing;

namespace {

bool has_id(const HttpResponse& response, const std::string& id) {
  return response.body.find("\"id\":\"" + id + "\"") != std::string::npos;
}

void put(HttpClient& client, const Headers& admin, const std::string& path,
         const std::string& body) {
  HttpResponse r = client.put(path, body, admin);
  REQUIRE_MESSAGE(r.status / 100 == 2, r.body);
}

std::string observation(const std::string& id, const std::string& patient,
                        const std::string& category, const std::string& code) {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","category":[{"coding":[{"system":)"
         R"("http://terminology.hl7.org/CodeSystem/observation-category","code":")" +
         category + R"("}]}],"code":{"coding":[{"system":"urn:t","code":")" + code +
         R"("}]},"subject":{"reference":"Patient/)" + patient + R"("}})";
}

}  // namespace

TEST_CASE("granular scopes: a category-restricted token sees matching resources only") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(jwks_of({rsa.jwk()}));
  ServerProcess server(jwt_options(file));
  auto client = server.client();
  const Headers admin = bearer_for(rsa, "system/*.*");
  const std::string sfx = unique_name();
  const std::string a = "ga-" + sfx, b = "gb-" + sfx, code = "gc-" + sfx;
  const std::string lab_a = "la-" + sfx, lab_b = "lb-" + sfx, vital_a = "va-" + sfx;
  put(client, admin, "Patient/" + a, R"({"resourceType":"Patient","id":")" + a + "\"}");
  put(client, admin, "Patient/" + b, R"({"resourceType":"Patient","id":")" + b + "\"}");
  put(client, admin, "Observation/" + lab_a, observation(lab_a, a, "laboratory", code));
  put(client, admin, "Observation/" + lab_b, observation(lab_b, b, "laboratory", code));
  put(client, admin, "Observation/" + vital_a, observation(vital_a, a, "vital-signs", code));

  const Headers labs = bearer_for(rsa, "user/Patient.rs user/Observation.rs?category=laboratory");
  // Reads: matching yes; the vital sign 403 (whether it exists or not).
  CHECK(client.get("Observation/" + lab_a, labs).status == 200);
  CHECK(client.get("Observation/" + lab_b + "/_history/1", labs).status == 200);
  CHECK(client.get("Observation/" + lab_a + "/_history", labs).status == 200);
  for (const std::string& refused :
       {"Observation/" + vital_a, "Observation/" + vital_a + "/_history/1",
        "Observation/" + vital_a + "/_history", "Observation/nothing-" + sfx,
        std::string("Observation/_history")}) {
    CAPTURE(refused);
    HttpResponse r = client.get(refused, labs);
    CHECK(r.status == 403);
    CHECK_FALSE(has_id(r, vital_a));
  }
  // Searches: the restriction is ANDed, on every page and in the total.
  HttpResponse search = client.get("Observation?code=" + code, labs);
  REQUIRE(search.status == 200);
  CHECK(has_id(search, lab_a));
  CHECK(has_id(search, lab_b));
  CHECK_FALSE(has_id(search, vital_a));
  CHECK(search.body.find("\"total\":2") != std::string::npos);
  HttpResponse asked = client.get("Observation?code=" + code + "&category=vital-signs", labs);
  REQUIRE(asked.status == 200);
  CHECK(asked.body.find("\"total\":0") != std::string::npos);
  HttpResponse page = client.get("Observation?code=" + code + "&_count=1", labs);
  REQUIRE(page.status == 200);
  CHECK(page.body.find("\"total\":2") != std::string::npos);
  // _revinclude adds only what the token could read.
  HttpResponse rev = client.get("Patient?_id=" + a + "&_revinclude=Observation:subject", labs);
  REQUIRE(rev.status == 200);
  CHECK(has_id(rev, lab_a));
  CHECK_FALSE(has_id(rev, vital_a));
  // Batch GET entries hold themselves to it.
  const std::string batch =
      R"({"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":)"
      R"("Observation/)" +
      lab_a + R"("}},{"request":{"method":"GET","url":"Observation/)" + vital_a + R"("}}]})";
  HttpResponse answered = client.post("", batch, labs);
  REQUIRE(answered.status == 200);
  CHECK(answered.body.find("\"status\":\"200 OK\"") != std::string::npos);
  CHECK(answered.body.find("\"status\":\"403 Forbidden\"") != std::string::npos);
  CHECK_FALSE(has_id(answered, vital_a));
  // Writes: never through a granular scope, even one with the letters.
  const Headers writer = bearer_for(rsa, "user/Observation.cruds?category=laboratory");
  CHECK(client.put("Observation/" + lab_a, observation(lab_a, a, "laboratory", code), writer)
            .status == 403);
  CHECK(client.post("Observation", observation("x", a, "laboratory", code), writer).status == 403);

  // patient/ granular scopes: the compartment and the restriction together.
  const Headers mine =
      bearer_for(rsa, "patient/Observation.rs?category=laboratory", ",\"patient\":\"" + a + "\"");
  HttpResponse own = client.get("Observation?code=" + code, mine);
  REQUIRE(own.status == 200);
  CHECK(has_id(own, lab_a));
  CHECK_FALSE(has_id(own, lab_b));
  CHECK_FALSE(has_id(own, vital_a));
  CHECK(own.body.find("\"total\":1") != std::string::npos);
  HttpResponse compartment = client.get("Patient/" + a + "/Observation", mine);
  REQUIRE(compartment.status == 200);
  CHECK(has_id(compartment, lab_a));
  CHECK_FALSE(has_id(compartment, vital_a));
  CHECK(client.get("Observation/" + lab_b, mine).status == 403);
  CHECK(client.get("Observation/" + vital_a, mine).status == 403);
  CHECK(client.get("Observation/" + lab_a, mine).status == 200);

  // Two parameters that cannot be united: refused with the reason, not widened.
  const Headers mixed =
      bearer_for(rsa, "user/Observation.rs?category=laboratory user/Observation.rs?code=" + code);
  HttpResponse refused = client.get("Observation?code=" + code, mixed);
  CHECK(refused.status == 403);
  CHECK(refused.body.find("different parameters") != std::string::npos);
  // A restriction that is not a search of the type allows nothing.
  const Headers odd = bearer_for(rsa, "user/Observation.rs?no-such-param=1");
  CHECK(client.get("Observation?code=" + code, odd).status == 403);
  CHECK(client.get("Observation/" + lab_a, odd).status == 403);
}
