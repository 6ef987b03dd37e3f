// The real transport against things that are not a FHIR server: a closed port, a TCP service
// that speaks something else, one that never answers, and a tiny HTTP responder; plus URL
// parsing. Every failure is a clean Status, never a crash or a hang.
#include "conformance/beast_transport.h"

#include <doctest/doctest.h>

#include <boost/asio.hpp>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "conformance/conformance_command.h"
#include "tests/test_paths.h"

namespace hearth::conformance {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A one-shot TCP server on 127.0.0.1:0 that answers the first connection with `reply` (after
// reading the request head) and closes; with an empty reply it keeps the connection silent
// until `hold` has passed.
class OneShotServer {
 public:
  OneShotServer(std::string reply, std::chrono::milliseconds hold = std::chrono::milliseconds(0))
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, reply = std::move(reply), hold] {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      asio::streambuf buffer;
      asio::read_until(socket, buffer, "\r\n\r\n", ec);
      if (!reply.empty()) asio::write(socket, asio::buffer(reply), ec);
      std::this_thread::sleep_for(hold);
      socket.close(ec);
    });
  }
  ~OneShotServer() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/fhir/metadata"; }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
};

unsigned short closed_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();  // closed again when `a` goes
}

TEST_CASE("parse_url") {
  auto u = parse_url("http://example.org:8080/fhir?x=1");
  REQUIRE(u);
  CHECK(u->host == "example.org");
  CHECK(u->port == "8080");
  CHECK(u->target == "/fhir?x=1");
  auto plain = parse_url("https://example.org");
  REQUIRE(plain);
  CHECK(plain->port == "443");
  CHECK(plain->target == "/");
  auto v6 = parse_url("http://[::1]:99/x");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == "99");
  CHECK(!parse_url("ftp://x"));
  CHECK(!parse_url("http://:80/"));
  CHECK(!parse_url("http://host:port/"));
}

TEST_CASE("a real HTTP response is read with its status, headers and body") {
  OneShotServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 2\r\n\r\n{}");
  auto transport = make_beast_transport();
  auto r =
      transport->send(HttpRequest{.method = "GET", .url = server.url(), .headers = {}, .body = ""});
  REQUIRE_MESSAGE(r, r.status().message());
  CHECK(r->status == 200);
  CHECK(*find_header(r->headers, "content-type") == "application/fhir+json");
  CHECK(r->body == "{}");
}

TEST_CASE("a closed port is a clean kUnavailable naming the address") {
  auto transport = make_beast_transport();
  std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/fhir/metadata";
  auto r = transport->send(HttpRequest{.method = "GET", .url = url, .headers = {}, .body = ""});
  REQUIRE(!r);
  CHECK(r.status().code() == Code::kUnavailable);
  CHECK(r.status().message().find("cannot connect to 127.0.0.1") != std::string::npos);
}

TEST_CASE("a service that is not HTTP, or that never answers, fails cleanly") {
  SUBCASE("not HTTP") {
    OneShotServer server("SSH-2.0-OpenSSH_9.2\r\n");
    auto r = make_beast_transport()->send(
        HttpRequest{.method = "GET", .url = server.url(), .headers = {}, .body = ""});
    REQUIRE(!r);
    CHECK(r.status().message().find("not an HTTP server") != std::string::npos);
  }
  SUBCASE("silent") {
    OneShotServer server("", std::chrono::milliseconds(1500));
    auto transport = make_beast_transport(
        TransportOptions{.timeout = std::chrono::milliseconds(300), .max_body = 1024});
    auto start = std::chrono::steady_clock::now();
    auto r = transport->send(
        HttpRequest{.method = "GET", .url = server.url(), .headers = {}, .body = ""});
    REQUIRE(!r);
    CHECK(r.status().message().find("timed out") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1400));
  }
  SUBCASE("https is reported as not supported") {
    auto r = make_beast_transport()->send(
        HttpRequest{.method = "GET", .url = "https://127.0.0.1:1/", .headers = {}, .body = ""});
    REQUIRE(!r);
    CHECK(r.status().code() == Code::kNotImplemented);
  }
}

TEST_CASE("conformance run against a closed port fails with exit code 1 and a readable summary") {
  CommandOptions options;
  options.server = "http://127.0.0.1:" + std::to_string(closed_port()) + "/fhir";
  options.paths = {hearth::test::source_dir() + "/conformance/suites"};
  options.timeout_seconds = 5;
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run_conformance_command(options, out, err) == 1);
  CHECK(out.str().find("Connection refused") != std::string::npos);
  CHECK(out.str().find("FAIL") != std::string::npos);
}

}  // namespace
}  // namespace hearth::conformance
