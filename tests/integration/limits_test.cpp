// Bounded memory for FHIR inputs over real HTTP (issue 11): each limit at its value passes and one
// beyond fails with its status and a diagnostic naming the flag; the hostile inputs of the issue
// (a 2 MB form of a million values, 16 MiB of tiny XML elements) are refused quickly without the
// server's peak memory growing with them. Limits are set through their flags where a small
// value makes the boundary cheap to reach, and left at their defaults for the hostile inputs.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "harness.h"

using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;

namespace {

const hearth::testing::Headers kForm = {{"Content-Type", "application/x-www-form-urlencoded"}};
const hearth::testing::Headers kXml = {{"Content-Type", "application/fhir+xml"},
                                       {"Accept", "application/fhir+json"}};

bool has(const HttpResponse& r, std::string_view text) {
  return r.body.find(text) != std::string::npos;
}

// The server's peak resident set (VmHWM), in bytes.
long long peak_rss(const ServerProcess& server) {
  std::ifstream status("/proc/" + std::to_string(server.pid()) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "name=v0,v1,...": `n` values, the last one `last`.
std::string form_param(const std::string& name, std::size_t n, const std::string& prefix,
                       const std::string& last) {
  std::string out = name + "=";
  for (std::size_t i = 0; i + 1 < n; ++i) out += prefix + std::to_string(i) + "%2C";
  return out + last;
}

ServerOptions with_args(std::vector<std::string> args) {
  ServerOptions options;
  options.args = std::move(args);
  return options;
}

}  // namespace

// AddressSanitizer pads and quarantines every allocation: a server built with it needs about
// twice the memory, so the bounds below scale by this.
#if defined(__SANITIZE_ADDRESS__)
constexpr long long kMemoryScale = 2;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr long long kMemoryScale = 2;
#else
constexpr long long kMemoryScale = 1;
#endif
#else
constexpr long long kMemoryScale = 1;
#endif

TEST_CASE("limits: search parameters, values and _sort keys through their flags") {
  ServerProcess server(with_args(
      {"--search-max-params", "3", "--search-max-values", "2", "--search-max-sort", "2"}));
  HttpClient client = server.client();
  CHECK(client.get("Patient?family=a,b&given=c&gender=male&_sort=family,-birthdate&_count=1")
            .status == 200);
  HttpResponse params = client.get("Patient?family=a&given=c&gender=male&birthdate=2000");
  CHECK(params.status == 400);
  CHECK(has(params, "too many search parameters: at most 3 per search (--search-max-params)"));
  HttpResponse values = client.get("Patient?family=a,b,c");
  CHECK(values.status == 400);
  CHECK(has(values, "at most 2 comma-separated values per parameter (--search-max-values)"));
  HttpResponse sort = client.get("Patient?_sort=family,given,birthdate");
  CHECK(sort.status == 400);
  CHECK(has(sort, "too many _sort keys: at most 2 per search (--search-max-sort)"));
  // The form body counts with the URL.
  HttpResponse form = client.request("POST", "Patient/_search?family=a&given=b",
                                     "gender=male&birthdate=2000", kForm);
  CHECK(form.status == 400);
  CHECK(has(form, "--search-max-params"));
}

TEST_CASE("limits: the largest legal search answers 200, one more parameter or value 400") {
  // What is tested is the parameter and value limits, not the time limit: on PostgreSQL, under
  // the CI's load and with the suite's rows in the store, the largest search took past 10 s
  // twice (the default time limit and the client's; ~0.6 s on an idle machine).
  ServerOptions options;
  options.args = {"--statement-timeout", "60s"};
  ServerProcess server(options);
  HttpClient client("127.0.0.1", server.port(), "/fhir", std::chrono::seconds(60));
  // Unique per run: a shared PostgreSQL store ($HEARTH_TEST_STORE) keeps earlier runs' patients.
  const std::string mrn = hearth::testing::unique_name("m");
  HttpResponse created = client.post(
      "Patient", R"({"resourceType":"Patient","name":[{"family":"Chalmers"}],"gender":"male",)"
                 R"("birthDate":"1974-12-25","identifier":[{"system":"urn:mrn","value":")" +
                     mrn +
                     R"("}],)"
                     R"("generalPractitioner":[{"reference":"Practitioner/p1"}],)"
                     R"("managingOrganization":{"reference":"Organization/o1"}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  // 100 parameters of 100 values each (string, token, date, reference, with modifiers and
  // prefixes), each ending in a value the patient matches, and 10 _sort keys.
  const std::vector<std::vector<std::string>> kinds = {
      {"family", "zz", "chal"},
      {"family:exact", "zz", "Chalmers"},
      {"family:contains", "zz", "alme"},
      {"gender", "c", "male"},
      {"gender:not", "c", "female"},
      {"identifier", "urn:x%7C", "urn:mrn%7C" + mrn},
      {"birthdate", "ge2", "ge1974-12"},
      {"birthdate", "eq2", "ap1974-12-25"},
      {"general-practitioner", "Practitioner/x", "Practitioner/p1"},
      {"organization:Organization", "x", "o1"},
  };
  std::string body;
  for (int i = 0; i < 100; ++i) {
    const auto& k = kinds[i % kinds.size()];
    if (!body.empty()) body += "&";
    if (k[0] == "birthdate") {
      body += k[0] + "=";
      for (int v = 0; v < 99; ++v) body += k[1] + std::to_string(100 + v) + "%2C";
      body += k[2];
    } else {
      body += form_param(k[0], 100, k[1], k[2]);
    }
  }
  body +=
      "&_sort=family,-family,given,gender,-birthdate,birthdate,identifier,address,-_id,"
      "_lastUpdated";
  auto start = std::chrono::steady_clock::now();
  HttpResponse largest = client.request("POST", "Patient/_search", body, kForm);
  MESSAGE("largest legal search: " << body.size() << " bytes of form, " << seconds_since(start)
                                   << " s");
  CHECK_MESSAGE(largest.status == 200, largest.body.substr(0, 2000));
  CHECK(has(largest, "\"total\":1"));

  HttpResponse more = client.request("POST", "Patient/_search", body + "&given=x", kForm);
  CHECK(more.status == 400);
  CHECK(has(more, "--search-max-params"));
  HttpResponse values =
      client.request("POST", "Patient/_search", form_param("family", 101, "v", "w"), kForm);
  CHECK(values.status == 400);
  CHECK(has(values, "--search-max-values"));
  HttpResponse sort = client.get(
      "Patient?_sort=family,-family,given,gender,-birthdate,birthdate,"
      "identifier,address,-_id,_lastUpdated,name");
  CHECK(sort.status == 400);
  CHECK(has(sort, "--search-max-sort"));
  // 3,000 _sort keys and 495 OR-ed values were 500s with the SQL text before the limits.
  std::string many_sort = "Patient?_sort=family";
  for (int i = 0; i < 3000; ++i) many_sort += ",family";
  CHECK(client.get(many_sort).status == 400);
  HttpResponse many_values =
      client.request("POST", "Patient/_search", form_param("birthdate", 495, "ge2", "x"), kForm);
  CHECK(many_values.status == 400);
  CHECK_FALSE(has(many_values, "SELECT"));
}

TEST_CASE("limits: a 2 MB form of a million values answers 400 quickly, memory bounded") {
  ServerProcess server;
  HttpClient client = server.client();
  CHECK(client.get("metadata").status == 200);
  const long long before = peak_rss(server);
  std::string body = "identifier=";
  body.reserve(2'000'100);
  for (int i = 0; i < 1'000'000; ++i) body += "1,";
  auto start = std::chrono::steady_clock::now();
  HttpResponse r = client.request("POST", "Patient/_search", body, kForm);
  const double took = seconds_since(start);
  const long long growth = peak_rss(server) - before;
  MESSAGE("million-value form: " << r.status << " in " << took << " s, peak RSS +"
                                 << growth / (1 << 20) << " MiB");
  CHECK(r.status == 400);
  CHECK(has(r, "--search-max-values"));
  CHECK(took < 2.0);
  CHECK(growth < kMemoryScale * (64ll << 20));
  // A million tiny pairs are refused before they are split.
  std::string pairs;
  pairs.reserve(4'000'000);
  for (int i = 0; i < 1'000'000; ++i) pairs += "a=1&";
  HttpResponse many_pairs = client.request("POST", "Patient/_search", pairs, kForm);
  CHECK(many_pairs.status == 400);
  CHECK(has(many_pairs, "--search-max-params"));
  CHECK(peak_rss(server) - before < 64ll << 20);
}

TEST_CASE("limits: XML nodes (413) and depth (400) through their flags") {
  ServerProcess server(with_args({"--xml-max-nodes", "8", "--xml-max-depth", "3"}));
  HttpClient client = server.client();
  // Patient + name + 3 x (given + value) = 8 nodes, 3 levels.
  const std::string eight = R"(<Patient xmlns="http://hl7.org/fhir"><name>)"
                            R"(<given value="a"/><given value="b"/><given value="c"/>)"
                            R"(</name></Patient>)";
  HttpResponse ok = client.post("Patient", eight, kXml);
  CHECK_MESSAGE(ok.status == 201, ok.body);
  const std::string nine = R"(<Patient xmlns="http://hl7.org/fhir"><name>)"
                           R"(<given value="a"/><given value="b"/><given value="c"/>)"
                           R"(<given value="d"/></name></Patient>)";
  HttpResponse over = client.post("Patient", nine, kXml);
  CHECK(over.status == 413);
  CHECK(has(over, "more than 8 nodes"));
  CHECK(has(over, "--xml-max-nodes"));
  CHECK(has(over, "too-costly"));
  const std::string deep = R"(<Patient xmlns="http://hl7.org/fhir"><name><period>)"
                           R"(<start value="2000"/></period></name></Patient>)";
  HttpResponse too_deep = client.post("Patient", deep, kXml);
  CHECK(too_deep.status == 400);
  CHECK(has(too_deep, "deeper than 3 levels (--xml-max-depth)"));
}

// A 16 MiB XML Patient of empty elements: the most nodes a body of that size can hold.
static std::string tiny_elements_16mib() {
  std::string body = R"(<Patient xmlns="http://hl7.org/fhir">)";
  body.reserve(16u << 20);
  while (body.size() < (16u << 20) - 64) body += "<a/>";
  body += "</Patient>";
  return body;
}

TEST_CASE("limits: 16 MiB of tiny XML elements answers 413 with the tree bounded") {
  ServerProcess server;
  HttpClient client = server.client();
  CHECK(client.get("metadata").status == 200);
  const long long before = peak_rss(server);
  const std::string body = tiny_elements_16mib();
  auto start = std::chrono::steady_clock::now();
  HttpResponse r = client.post("Patient", body, kXml);
  const double took = seconds_since(start);
  const long long growth = peak_rss(server) - before;
  MESSAGE("16 MiB of <a/>: " << r.status << " in " << took << " s, peak RSS +" << growth / (1 << 20)
                             << " MiB");
  CHECK(r.status == 413);
  CHECK(has(r, "--xml-max-nodes"));
  // The body itself (held by the HTTP layer) plus at most 512 Ki nodes of ~130 bytes.
  CHECK(growth < kMemoryScale * (160ll << 20));
}

TEST_CASE("limits: large XML bodies one after another do not pile up in memory") {
  if (kMemoryScale != 1) {
    // What this checks is the release allocator (jemalloc, or glibc's arenas without it) with
    // the large-body lane; AddressSanitizer replaces it, and its quarantine keeps every freed
    // tree on purpose.
    MESSAGE("skipped under AddressSanitizer: its allocator is not the release one");
    return;
  }
  // With glibc's default arenas (8 x cores) and each decode on whichever worker took it, the
  // freed tree of one stayed in its worker's arena and the next grew another: +64 MB a body.
  // jemalloc with the large-body lane: +160 MB for the four.
  ServerProcess server;
  HttpClient client = server.client();
  CHECK(client.get("metadata").status == 200);
  const long long before = peak_rss(server);
  const std::string body = tiny_elements_16mib();
  for (int i = 0; i < 4; ++i) {
    HttpClient fresh = server.client();  // a new connection: another session, another worker
    CHECK(fresh.post("Patient", body, kXml).status == 413);
  }
  const long long growth = peak_rss(server) - before;
  MESSAGE("4 x 16 MiB of <a/> in sequence: peak RSS +" << growth / (1 << 20) << " MiB");
  // One decode is ~100 MB (body, libxml2's copy of it, the tree); four in separate arenas ~300.
  CHECK(growth < kMemoryScale * (220ll << 20));
}

TEST_CASE("limits: index rows per resource (422) through --max-index-rows") {
  // A Patient of n identifiers: one more identifier, one more row.
  auto patient = [](int n) {
    std::string p = R"({"resourceType":"Patient","identifier":[)";
    for (int i = 0; i < n; ++i) {
      p += (i > 0 ? "," : "") + std::string(R"({"system":"urn:s","value":"v)") + std::to_string(i) +
           "\"}";
    }
    return p + "]}";
  };
  auto rows = [&](int n) {
    auto doc = hearth::fhir::parse_json(patient(n));
    REQUIRE(doc.is_ok());
    auto index = hearth::fhir::search::extract_index(*doc, static_cast<std::size_t>(-1));
    REQUIRE(index.is_ok());
    return index->size();
  };
  const std::size_t cap = rows(20);
  REQUIRE(rows(21) == cap + 1);

  ServerProcess server(with_args({"--max-index-rows", std::to_string(cap)}));
  HttpClient client = server.client();
  HttpResponse at = client.post("Patient", patient(20));
  CHECK_MESSAGE(at.status == 201, at.body);
  HttpResponse over = client.post("Patient", patient(21));
  CHECK(over.status == 422);
  CHECK(has(over, "more than " + std::to_string(cap) + " search index rows (--max-index-rows)"));
  CHECK(has(over, "too-costly"));
  // Updates are capped the same way.
  auto created = hearth::fhir::parse_json(at.body);
  REQUIRE(created.is_ok());
  const std::string id(hearth::fhir::json_string((*created)["id"]));
  std::string update = patient(21);
  update.insert(update.find(','), R"(,"id":")" + id + "\"");
  HttpResponse updated = client.put("Patient/" + id, update);
  CHECK(updated.status == 422);
}
