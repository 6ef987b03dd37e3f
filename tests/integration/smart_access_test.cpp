// SMART scopes held everywhere, against the real binary on the test store (SQLite, or
// PostgreSQL through $HEARTH_TEST_STORE; ids carry a per-run suffix so a shared database's other
// rows do not matter): the leak test (two patients; a patient/ token sees nothing of the other
// through read, vread, history, search, compartment search, _include, _revinclude, chains, _has
// and transaction GET entries) and writes held to the compartment; each Bundle entry authorised
// as the request it stands for (a transaction refused whole, a batch entry by entry).
#include <doctest/doctest.h>

#include <string>

#include "jwt_harness.h"

using namespace hearth::testing;

namespace {

bool has_id(const HttpResponse& response, const std::string& id) {
  return response.body.find("\"id\":\"" + id + "\"") != std::string::npos;
}

// Two patients, A and B, each with an Observation (code `code`), and one Observation of A's
// that names B as its performer (so it is in both compartments); a Practitioner.
struct TwoPatients {
  explicit TwoPatients(HttpClient& client, const Headers& admin) : sfx(unique_name()) {
    a = "pa-" + sfx;
    b = "pb-" + sfx;
    oa = "oa-" + sfx;
    ob = "ob-" + sfx;
    both = "ox-" + sfx;
    code = "code-" + sfx;
    put(client, admin, "Patient/" + a,
        R"({"resourceType":"Patient","id":")" + a + R"(","name":[{"family":"Alpha)" + sfx +
            R"("}]})");
    put(client, admin, "Patient/" + b,
        R"({"resourceType":"Patient","id":")" + b + R"(","name":[{"family":"Beta)" + sfx +
            R"("}]})");
    put(client, admin, "Practitioner/dr-" + sfx,
        R"({"resourceType":"Practitioner","id":"dr-)" + sfx + R"("})");
    put(client, admin, "Observation/" + oa,
        observation(oa, a, ",{\"reference\":\"Practitioner/dr-" + sfx + "\"}"));
    put(client, admin, "Observation/" + ob, observation(ob, b));
    put(client, admin, "Observation/" + both,
        observation(both, a, ",{\"reference\":\"Patient/" + b + "\"}"));
  }

  // An Observation of `patient` with code `code`; `performers` continue the performer array.
  std::string observation(const std::string& id, const std::string& patient,
                          const std::string& performers = "") const {
    return R"({"resourceType":"Observation","id":")" + id +
           R"(","status":"final","code":{"coding":[{"system":"urn:t","code":")" + code +
           R"("}]},"subject":{"reference":"Patient/)" + patient +
           R"("},"performer":[{"display":"x"})" + performers + "]}";
  }

  static void put(HttpClient& client, const Headers& admin, const std::string& path,
                  const std::string& body) {
    HttpResponse r = client.put(path, body, admin);
    REQUIRE_MESSAGE(r.status / 100 == 2, r.body);
  }

  std::string sfx, a, b, oa, ob, both, code;
};

}  // namespace

TEST_CASE("smart access: a patient/ token sees nothing of another patient, in any search form") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  ServerProcess server(jwt_options(file));
  auto client = server.client();
  const Headers admin = bearer_for(rsa, "system/*.*");
  TwoPatients data(client, admin);
  const Headers mine = bearer_for(rsa, "patient/*.rs", ",\"patient\":\"" + data.a + "\"");

  // Reads, vreads and instance history: A's yes, B's 403 whether they exist or not.
  CHECK(client.get("Observation/" + data.oa, mine).status == 200);
  CHECK(client.get("Patient/" + data.a, mine).status == 200);
  CHECK(client.get("Observation/" + data.oa + "/_history", mine).status == 200);
  for (const std::string& refused :
       {"Observation/" + data.ob, "Patient/" + data.b, "Observation/" + data.ob + "/_history/1",
        "Observation/" + data.ob + "/_history", "Observation/nothing-" + data.sfx,
        std::string("Observation/_history"), std::string("_history"),
        "?_type=Observation&_id=" + data.ob, "Patient/" + data.b + "/Observation",
        "Practitioner/dr-" + data.sfx}) {
    CAPTURE(refused);
    HttpResponse r = client.get(refused, mine);
    CHECK(r.status == 403);
    CHECK_FALSE(has_id(r, data.ob));
  }

  // Searches: only the compartment's matches, whatever the parameters.
  HttpResponse search = client.get("Observation?code=" + data.code, mine);
  REQUIRE(search.status == 200);
  CHECK(has_id(search, data.oa));
  CHECK(has_id(search, data.both));
  CHECK_FALSE(has_id(search, data.ob));
  CHECK(search.body.find("\"total\":2") != std::string::npos);
  HttpResponse by_id = client.get("Observation?_id=" + data.ob + "," + data.oa, mine);
  CHECK(has_id(by_id, data.oa));
  CHECK_FALSE(has_id(by_id, data.ob));
  HttpResponse compartment = client.get("Patient/" + data.a + "/Observation", mine);
  REQUIRE(compartment.status == 200);
  CHECK(has_id(compartment, data.oa));
  CHECK_FALSE(has_id(compartment, data.ob));
  // A chain through B, and _has naming B's observation, find nothing of B.
  HttpResponse chain = client.get("Observation?subject:Patient.family=Beta" + data.sfx, mine);
  REQUIRE(chain.status == 200);
  CHECK(chain.body.find("\"total\":0") != std::string::npos);
  HttpResponse has = client.get("Patient?_has:Observation:subject:code=" + data.code, mine);
  REQUIRE(has.status == 200);
  CHECK(has_id(has, data.a));
  CHECK_FALSE(has_id(has, data.b));

  // _include: B (performer of A's observation) and the Practitioner are filtered out.
  HttpResponse included = client.get("Observation?code=" + data.code +
                                         "&_include=Observation:performer"
                                         "&_include=Observation:subject",
                                     mine);
  REQUIRE(included.status == 200);
  CHECK(has_id(included, data.a));
  CHECK_FALSE(has_id(included, data.b));
  CHECK_FALSE(has_id(included, "dr-" + data.sfx));
  // _revinclude (and :iterate): B's observation never comes.
  HttpResponse revincluded = client.get("Patient?_id=" + data.a + "," + data.b +
                                            "&_revinclude=Observation:subject"
                                            "&_include:iterate=Observation:performer",
                                        mine);
  REQUIRE(revincluded.status == 200);
  CHECK(has_id(revincluded, data.a));
  CHECK(has_id(revincluded, data.oa));
  CHECK_FALSE(has_id(revincluded, data.b));
  CHECK_FALSE(has_id(revincluded, data.ob));

  // Transaction GET entries hold themselves the same way.
  const std::string gets = R"({"resourceType":"Bundle","type":"transaction","entry":[)"
                           R"({"request":{"method":"GET","url":"Observation?code=)" +
                           data.code + R"("}},{"request":{"method":"GET","url":"Observation/)" +
                           data.ob + R"("}}]})";
  HttpResponse tx = client.post("", gets, mine);
  REQUIRE(tx.status == 200);
  CHECK(has_id(tx, data.oa));
  CHECK_FALSE(has_id(tx, data.ob));
  CHECK(tx.body.find("\"status\":\"403 Forbidden\"") != std::string::npos);

  // The administrator's token sees both: the data is there.
  HttpResponse everything = client.get("Observation?code=" + data.code, admin);
  CHECK(everything.body.find("\"total\":3") != std::string::npos);
  // patient/ scopes without a patient claim grant nothing.
  CHECK(client.get("Observation?code=" + data.code, bearer_for(rsa, "patient/*.rs")).status == 403);
}

TEST_CASE("smart access: patient/ writes stay in the compartment") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  ServerProcess server(jwt_options(file));
  auto client = server.client();
  const Headers admin = bearer_for(rsa, "system/*.*");
  TwoPatients data(client, admin);
  const Headers mine = bearer_for(rsa, "patient/*.cruds", ",\"patient\":\"" + data.a + "\"");

  CHECK(client.post("Observation", data.observation("x", data.b), mine).status == 403);
  HttpResponse created = client.post("Observation", data.observation("x", data.a), mine);
  CHECK(created.status == 201);
  CHECK(client.post("Patient", R"({"resourceType":"Patient"})", mine).status == 403);
  // Replace B's, or move A's out: refused; a new one of A's at a chosen id: created.
  CHECK(client.put("Observation/" + data.ob, data.observation(data.ob, data.a), mine).status ==
        403);
  CHECK(client.put("Observation/" + data.oa, data.observation(data.oa, data.b), mine).status ==
        403);
  CHECK(client.put("Observation/n-" + data.sfx, data.observation("n-" + data.sfx, data.a), mine)
            .status == 201);
  CHECK(client.del("Observation/" + data.ob, mine).status == 403);
  Headers patch = mine;
  patch.emplace_back("Content-Type", "application/json-patch+json");
  const std::string status_patch = R"([{"op":"replace","path":"/status","value":"amended"}])";
  CHECK(client.request("PATCH", "Observation/" + data.ob, status_patch, patch).status == 403);
  CHECK(client.request("PATCH", "Observation/" + data.oa, status_patch, patch).status == 200);
  CHECK(client.put("Observation?code=" + data.code, data.observation("y", data.a), mine).status ==
        403);  // a conditional update searches beyond the compartment
  CHECK(client.del("Observation/n-" + data.sfx, mine).status == 200);
  // B's observation is untouched.
  HttpResponse b_obs = client.get("Observation/" + data.ob, admin);
  CHECK(b_obs.body.find("\"versionId\":\"1\"") != std::string::npos);
  CHECK(b_obs.body.find("Patient/" + data.b) != std::string::npos);
}

TEST_CASE("smart access: each Bundle entry is authorised; a transaction refused whole") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  ServerProcess server(jwt_options(file));
  auto client = server.client();
  const Headers admin = bearer_for(rsa, "system/*.*");
  TwoPatients data(client, admin);
  const Headers mine = bearer_for(rsa, "patient/*.cruds", ",\"patient\":\"" + data.a + "\"");
  const std::string marker = "tx-" + data.sfx;
  auto entry = [&](const std::string& patient) {
    return R"({"resource":{"resourceType":"Observation","status":"final","code":{"coding":[)"
           R"({"system":"urn:t","code":")" +
           marker + R"("}]},"subject":{"reference":"Patient/)" + patient +
           R"("}},"request":{"method":"POST","url":"Observation"}})";
  };
  auto bundle = [&](const std::string& type, const std::string& entries) {
    return R"({"resourceType":"Bundle","type":")" + type + R"(","entry":[)" + entries + "]}";
  };
  const std::string both = entry(data.a) + "," + entry(data.b);

  HttpResponse tx = client.post("", bundle("transaction", both), mine);
  CHECK(tx.status == 403);
  CHECK(tx.body.find("Bundle.entry[1]") != std::string::npos);
  CHECK(client.get("Observation?code=" + marker, admin).body.find("\"total\":0") !=
        std::string::npos);  // nothing of it persisted

  HttpResponse batch = client.post("", bundle("batch", both), mine);
  REQUIRE(batch.status == 200);
  CHECK(batch.body.find("\"status\":\"201 Created\"") != std::string::npos);
  CHECK(batch.body.find("\"status\":\"403 Forbidden\"") != std::string::npos);
  CHECK(client.get("Observation?code=" + marker, admin).body.find("\"total\":1") !=
        std::string::npos);

  // user/ scopes: an entry on a type they do not name refuses the transaction.
  const Headers observations = bearer_for(rsa, "user/Observation.cruds");
  const std::string with_patient =
      entry(data.a) +
      R"(,{"resource":{"resourceType":"Patient"},"request":{"method":"POST","url":"Patient"}})";
  HttpResponse typed = client.post("", bundle("transaction", with_patient), observations);
  CHECK(typed.status == 403);
  CHECK(typed.body.find("create on Patient") != std::string::npos);
  CHECK(client.post("", bundle("transaction", entry(data.b)), observations).status == 200);
  // A conditional create under patient/ scopes would search beyond the compartment.
  std::string conditional = entry(data.a);
  conditional.insert(conditional.find("\"url\":\"Observation\""),
                     "\"ifNoneExist\":\"code=" + marker + "\",");
  CHECK(client.post("", bundle("transaction", conditional), mine).status == 403);
}
