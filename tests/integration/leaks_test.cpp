// Errors and logs without leaks, against the real binary: a 500 body names a reference and no
// SQL while the server log has both; the access log shows parameter names, not values; Host
// headers outside the policy (DNS rebinding) are 400; $replay refuses form posts; unknown
// Transfer-Encodings are 400 and close; a store URL's password never reaches the log; quoted
// invalid UTF-8 comes back as valid JSON.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>

#include "harness.h"

using hearth::testing::Headers;
using hearth::testing::HttpResponse;
using hearth::testing::run_hearth;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;

namespace {

bool is_valid_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// "...reference 0123456789abcdef..." -> "0123456789abcdef", or "".
std::string reference_in(const std::string& body) {
  const std::string marker = "reference ";
  const std::size_t at = body.find(marker);
  return at == std::string::npos ? std::string() : body.substr(at + marker.size(), 16);
}

bool log_has(const ServerProcess& server, const std::string& needle) {
  for (const std::string& line : server.log_lines()) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a store failure is a 500 with a reference; the SQL goes to the server log only") {
  ServerProcess server;
  const std::string store = server.store_url();
  if (store.rfind("sqlite:", 0) != 0) return;  // the fault is injected through the SQLite file
  auto client = server.client();
  REQUIRE(
      client.post("Patient", R"({"resourceType":"Patient","name":[{"family":"Leak"}]})").status ==
      201);
  // Another connection drops an index table under the running server: its next search fails
  // while preparing SQL, and the database message quotes the statement.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(store.substr(7).c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  CHECK(sqlite3_exec(db, "DROP TABLE idx_string", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  HttpResponse failed = client.get("Patient?family=Leak");
  CHECK(failed.status == 500);
  CHECK(failed.body.find("OperationOutcome") != std::string::npos);
  CHECK(failed.body.find("SELECT") == std::string::npos);
  CHECK(failed.body.find("idx_string") == std::string::npos);
  CHECK(failed.body.find("sqlite") == std::string::npos);
  const std::string reference = reference_in(failed.body);
  REQUIRE(reference.size() == 16);
  CHECK(failed.body.find("internal error; reference " + reference) != std::string::npos);
  REQUIRE(server.wait_for_log("error " + reference + " (500): "));
  CHECK(log_has(server, "idx_string"));
  CHECK_FALSE(log_has(server, "Leak"));  // nor the searched value, anywhere in the log
}

TEST_CASE("access log: parameter names only; --log-query-values opts back in") {
  {
    ServerProcess server;
    CHECK(server.client().get("Patient?family=Zebrafinch&birthdate=1970").status == 200);
    CHECK(server.wait_for_log("GET /fhir/Patient?family=&birthdate= 200"));
    CHECK_FALSE(log_has(server, "Zebrafinch"));
  }
  ServerOptions options;
  options.args = {"--log-query-values"};
  ServerProcess verbose(options);
  CHECK(verbose.client().get("Patient?family=Zebrafinch").status == 200);
  CHECK(verbose.wait_for_log("GET /fhir/Patient?family=Zebrafinch 200"));
}

TEST_CASE("Host check: a rebound name is 400 on a loopback bind; --allowed-hosts widens it") {
  ServerProcess server;
  auto client = server.client();
  HttpResponse rebound = client.get("metadata", {{"Host", "attacker.example:8080"}});
  CHECK(rebound.status == 400);
  CHECK(rebound.body.find("--allowed-hosts") != std::string::npos);
  CHECK(client.get("Patient", {{"Host", "attacker.example"}}).status == 400);
  CHECK(client.get("/hl7/messages", {{"Host", "attacker.example"}}).status == 400);
  const std::string port = std::to_string(server.port());
  for (const std::string& host :
       {std::string("localhost"), "localhost:" + port, "127.0.0.1:" + port, std::string("[::1]")}) {
    CAPTURE(host);
    CHECK(client.get("metadata", {{"Host", host}}).status == 200);
  }
  ServerOptions options;
  options.args = {"--allowed-hosts", "fhir.example.org"};
  ServerProcess listed(options);
  auto other = listed.client();
  HttpResponse named =
      other.post("Patient", R"({"resourceType":"Patient"})",
                 {{"Host", "fhir.example.org:8080"}, {"Content-Type", "application/fhir+json"}});
  CHECK(named.status == 201);
  CHECK(named.header("Location").rfind("http://fhir.example.org:8080/fhir/Patient/", 0) == 0);
  CHECK(other.get("metadata", {{"Host", "attacker.example"}}).status == 400);
}

TEST_CASE("$replay needs a JSON content type: a cross-site form POST gets 415") {
  ServerProcess server;
  auto client = server.client();
  for (const char* type :
       {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=b"}) {
    CAPTURE(type);
    CHECK(client.post("/hl7/messages/1/$replay", "a=b", {{"Content-Type", type}}).status == 415);
  }
  CHECK(client.post("/hl7/messages/999999/$replay", "", {{"Content-Type", "application/json"}})
            .status == 404);
}

TEST_CASE("Transfer-Encoding other than chunked: 400 and the connection closes") {
  ServerProcess server;
  for (const char* encoding :
       {"gzip", "chunked, gzip", "gzip, chunked", "identity", "chunked, chunked"}) {
    CAPTURE(encoding);
    auto raw = server.raw();
    raw.send(std::string("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                         "application/fhir+json\r\nTransfer-Encoding: ") +
             encoding + "\r\n\r\n1a\r\n{\"resourceType\":\"Patient\"}\r\n0\r\n\r\n");
    HttpResponse response = raw.read_response();
    CHECK(response.status == 400);
    CHECK(response.header("Connection") == "close");
    CHECK(raw.closed_by_peer());
  }
  auto raw = server.raw();
  raw.send(
      "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n1a\r\n{\"resourceType\":\"Patient\"}\r\n0\r\n\r\n");
  CHECK(raw.read_response().status == 201);
}

TEST_CASE("a store URL's password never reaches the log or the error message") {
  for (const char* command : {"serve", "migrate"}) {
    CAPTURE(command);
    std::vector<std::string> args = {
        command, "--store", "postgresql://hearth:Sup3rSecret@127.0.0.1:1/hearth?connect_timeout=2"};
    if (std::string(command) == "serve") {
      args.insert(args.end(), {"--listen", "127.0.0.1:0", "--mllp-listen", "off"});
    }
    auto result = run_hearth(args);
    CHECK(result.exit_code != 0);
    CHECK(result.err.find("hearth:***@127.0.0.1:1") != std::string::npos);
    CHECK(result.err.find("Sup3rSecret") == std::string::npos);
    CHECK(result.out.find("Sup3rSecret") == std::string::npos);
  }
  auto conninfo = run_hearth(
      {"migrate", "--store", "postgresql://127.0.0.1:1/db?password=Sup3rSecret&connect_timeout=2"});
  CHECK(conninfo.exit_code != 0);
  CHECK(conninfo.err.find("Sup3rSecret") == std::string::npos);
}

TEST_CASE("quoted client input is valid UTF-8 in JSON; control characters are 4xx even as XML") {
  ServerProcess server;
  auto client = server.client();
  HttpResponse unknown = client.get("Patient?fam%FFily%01=x", {{"Prefer", "handling=strict"}});
  CHECK(unknown.status == 400);
  CHECK(is_valid_utf8(unknown.body));
  CHECK(unknown.body.find("fam\xEF\xBF\xBDily\xEF\xBF\xBD") != std::string::npos);
  HttpResponse id = client.get("Patient/a%C0%AF");
  CHECK(id.status / 100 == 4);
  CHECK(is_valid_utf8(id.body));

  HttpResponse control = client.post(
      "Patient?_format=xml", R"({"resourceType":"Patient","name":[{"family":"A\u0001B"}]})",
      {{"Content-Type", "application/fhir+json"}, {"Accept", "application/fhir+xml"}});
  CHECK(control.status / 100 == 4);
  CHECK(control.body.find("<OperationOutcome") != std::string::npos);
  HttpResponse xml = client.get("Patient?_format=xml&x%01=1", {{"Prefer", "handling=strict"}});
  CHECK(xml.status == 400);
  CHECK(xml.body.find("<OperationOutcome") != std::string::npos);
}
