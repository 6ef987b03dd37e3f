// What the HTTP server itself owns, tested against the real binary: routing outside /fhir,
// limits, malformed requests, keep-alive, shutdown on signals, the CLI help, concurrency.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "harness.h"

using namespace std::chrono_literals;
using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;

TEST_CASE("server starts and answers GET /fhir/metadata with JSON") {
  ServerProcess server;
  CHECK(server.base_url() == "http://127.0.0.1:" + std::to_string(server.port()) + "/fhir");
  HttpResponse response = server.client().get("metadata");
  CHECK(response.status == 200);
  CHECK(response.header("Content-Type").find("json") != std::string::npos);
  CHECK(response.body.find("CapabilityStatement") != std::string::npos);
  CHECK(response.header("Server") == "hearth");
  CHECK(response.header("Date").ends_with(" GMT"));
  CHECK(response.header("Content-Length") == std::to_string(response.body.size()));
}

TEST_CASE("HEAD is answered like GET without a body") {
  ServerProcess server;
  HttpClient client = server.client();
  HttpResponse get = client.get("metadata");
  HttpResponse head = client.request("HEAD", "metadata");
  CHECK(head.status == get.status);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Length") == std::to_string(get.body.size()));
  CHECK(client.get("metadata").status == 200);  // connection still in sync
  CHECK(client.connections() == 1);
}

TEST_CASE("paths outside the FHIR base are 404 OperationOutcome") {
  ServerProcess server;
  HttpClient client = server.client();
  for (const char* target : {"/", "/foo", "/fhirx", "/fhirx/metadata"}) {
    CAPTURE(target);
    HttpResponse response = client.get(target);
    CHECK(response.status == 404);
    CHECK(response.body.find("OperationOutcome") != std::string::npos);
  }
  CHECK(client.connections() == 1);
}

TEST_CASE("an access log line per request") {
  ServerProcess server;
  CHECK(server.client().get("/nowhere").status == 404);
  CHECK(server.wait_for_log("GET /nowhere 404"));
}

TEST_CASE("a body over --max-body is 413 OperationOutcome and the connection closes") {
  ServerOptions options;
  options.args = {"--max-body", "1024"};
  ServerProcess server(options);
  std::string big(2000, ' ');
  big = R"({"resourceType":"Patient","x":")" + std::string(2000, 'a') + R"("})";

  SUBCASE("declared by Content-Length") {
    auto raw = server.raw();
    raw.send(
        "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
        "Content-Length: " +
        std::to_string(big.size()) + "\r\n\r\n" + big);
    HttpResponse response = raw.read_response();
    CHECK(response.status == 413);
    CHECK(response.body.find("OperationOutcome") != std::string::npos);
    CHECK(response.header("Connection") == "close");
    CHECK(raw.closed_by_peer());
  }
  SUBCASE("chunked") {
    auto raw = server.raw();
    std::string chunk(700, 'a');
    raw.send(
        "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
        "2bc\r\n" +
        chunk + "\r\n2bc\r\n" + chunk + "\r\n0\r\n\r\n");
    HttpResponse response = raw.read_response();
    CHECK(response.status == 413);
    CHECK(raw.closed_by_peer());
  }
  SUBCASE("a body within the limit is not refused") {
    HttpResponse response = server.client().post("/not-fhir", std::string(1000, 'x'));
    CHECK(response.status == 404);
  }
}

TEST_CASE("keep-alive: many requests on one connection, pipelining works") {
  ServerProcess server;
  HttpClient client = server.client();
  for (int i = 0; i < 20; ++i) CHECK(client.get("metadata").status == 200);
  CHECK(client.connections() == 1);

  auto raw = server.raw();
  std::string one = "GET /fhir/metadata HTTP/1.1\r\nHost: localhost\r\n\r\n";
  raw.send(one + one + "GET /nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(raw.read_response().status == 200);
  CHECK(raw.read_response().status == 200);
  HttpResponse last = raw.read_response();
  CHECK(last.status == 404);
  CHECK(raw.closed_by_peer());
}

TEST_CASE("a malformed request is 400 and the connection closes") {
  ServerProcess server;
  for (const char* bytes : {"GARBAGE\r\n\r\n", "GET /fhir/metadata HTTP/9.9\r\n\r\n",
                            "GET /fhir/metadata HTTP/1.1\r\nBad Header\r\n\r\n",
                            "POST /fhir/Patient HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    CAPTURE(bytes);
    auto raw = server.raw();
    raw.send(bytes);
    HttpResponse response = raw.read_response();
    CHECK(response.status == 400);
    CHECK(response.body.find("OperationOutcome") != std::string::npos);
    CHECK(raw.closed_by_peer());
  }
  SUBCASE("bad percent-encoding in the target") {
    HttpResponse response = server.client().get("Patient?name=%G1");
    CHECK(response.status == 400);
  }
  CHECK(server.client().get("metadata").status == 200);  // still serving
}

TEST_CASE("SIGTERM while idle exits 0 within 2 s") {
  ServerProcess server;
  HttpClient idle = server.client();
  CHECK(idle.get("metadata").status == 200);  // an idle keep-alive connection stays open
  auto start = std::chrono::steady_clock::now();
  server.signal(SIGTERM);
  auto code = server.wait_exit(2s);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("SIGINT exits 0 too") {
  ServerProcess server;
  server.signal(SIGINT);
  auto code = server.wait_exit(2s);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}

TEST_CASE("SIGTERM with a request in flight: the request completes, then exit 0") {
  ServerProcess server;
  auto raw = server.raw();
  std::string body = R"({"resourceType":"Patient","active":true})";
  // Header and half the body now, the rest after the signal.
  raw.send(
      "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  std::this_thread::sleep_for(200ms);
  server.signal(SIGTERM);
  std::this_thread::sleep_for(300ms);
  CHECK(server.running());
  raw.send(body.substr(10));
  HttpResponse response = raw.read_response();
  CHECK(response.status == 201);
  CHECK(response.header("Connection") == "close");
  auto code = server.wait_exit(5s);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}

TEST_CASE("new connections are refused after SIGTERM") {
  ServerProcess server;
  server.signal(SIGTERM);
  REQUIRE(server.wait_exit(2s).has_value());
  CHECK_THROWS(server.client().get("metadata"));
}

TEST_CASE("restart keeps the store and changes nothing else") {
  ServerProcess server;
  std::string store = server.store_url();
  server.restart();
  CHECK(server.store_url() == store);
  CHECK(server.client().get("metadata").status == 200);
  server.kill9();
  CHECK(server.wait_exit(1s) == 128 + SIGKILL);
  server.restart();
  CHECK(server.client().get("metadata").status == 200);
}

TEST_CASE("--help lists every environment variable") {
  const char* vars[] = {"HEARTH_LISTEN",   "HEARTH_STORE",   "HEARTH_BASE_URL",
                        "HEARTH_MAX_BODY", "HEARTH_THREADS", "HEARTH_WORKERS"};
  auto top = hearth::testing::run_hearth({"--help"});
  CHECK(top.exit_code == 0);
  auto serve = hearth::testing::run_hearth({"serve", "--help"});
  CHECK(serve.exit_code == 0);
  CHECK(serve.out.find("--listen") != std::string::npos);
  for (const char* var : vars) {
    CAPTURE(var);
    CHECK(top.out.find(var) != std::string::npos);
    CHECK(serve.out.find(var) != std::string::npos);
  }
}

TEST_CASE("bad usage exits 2 with a message") {
  auto no_command = hearth::testing::run_hearth({});
  CHECK(no_command.exit_code == 2);
  auto bad_listen = hearth::testing::run_hearth({"serve", "--listen", "nowhere"});
  CHECK(bad_listen.exit_code == 2);
  CHECK(bad_listen.err.find("HOST:PORT") != std::string::npos);
}

TEST_CASE("flags come from the environment") {
  ServerOptions options;
  options.env = {{"HEARTH_MAX_BODY", "100"}, {"HEARTH_BASE_URL", "https://fhir.example.org/r4/"}};
  ServerProcess server(options);
  HttpResponse big = server.client().post("Patient", std::string(200, ' '));
  CHECK(big.status == 413);
  HttpResponse created = server.client().post("Patient", R"({"resourceType":"Patient"})");
  CHECK(created.status == 201);
  CHECK(created.header("Location").starts_with("https://fhir.example.org/r4/Patient/"));
}

TEST_CASE("a port in use is an error, exit 1") {
  ServerProcess server;
  auto second = hearth::testing::run_hearth({"serve", "--listen",
                                             "127.0.0.1:" + std::to_string(server.port()),
                                             "--store", "sqlite::memory:"});
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("bind") != std::string::npos);
}

TEST_CASE("migrate prints the schema version") {
  ServerProcess server;  // only for its temp store
  auto result = hearth::testing::run_hearth({"migrate", "--store", server.store_url()});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("schema version") != std::string::npos);
}

TEST_CASE("the base URL follows the Host header") {
  ServerOptions options;
  options.args = {"--allowed-hosts", "fhir.local"};  // a loopback bind serves only loopback names
  ServerProcess server(options);
  HttpClient client = server.client();
  HttpResponse created =
      client.post("Patient", R"({"resourceType":"Patient"})", {{"Host", "fhir.local:9999"}});
  CHECK(created.status == 201);
  CHECK(created.header("Location").starts_with("http://fhir.local:9999/fhir/Patient/"));
}

TEST_CASE("concurrent clients: 16 threads x 50 requests all succeed") {
  ServerProcess server;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      try {
        HttpClient client = server.client();
        for (int i = 0; i < 50; ++i) {
          (client.get("metadata").status == 200 ? ok : failed)++;
        }
      } catch (...) {
        failed++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 16 * 50);
  CHECK(failed == 0);
}
