// TLS for integration tests: a throwaway PKI made with the `openssl` command at test time (no
// key is committed) and an HTTPS client on Beast with the same timeouts as HttpClient.
//
//   TestPki pki;                                   // CA, server (localhost, 127.0.0.1), clients
//   ServerProcess server({.args = {"--tls-listen", "127.0.0.1:0", "--tls-cert",
//                                  pki.path("server.pem"), "--tls-key", pki.path("server.key")}});
//   HttpsClient client(server.tls_port(), pki.path("ca.pem"));
//   CHECK(client.get("metadata").status == 200);
//
// Errors: a failed openssl command, connect, handshake or timeout throws std::runtime_error.
// Thread-safety: one HttpsClient per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "harness.h"

namespace hearth::testing {

// Files in a fresh temp directory (removed by the destructor), all EC P-256, valid for 2 days:
//   ca.pem/ca.key                 the test CA
//   server.pem/server.key         CN=localhost, SAN DNS:localhost, IP:127.0.0.1, issued by ca
//   client.pem/client.key         CN=lab-1,O=Hearth Test Lab, issued by ca (mutual TLS)
//   rogue-ca.pem, rogue.pem/.key  CN=lab-1 issued by another CA that the server does not trust
class TestPki {
 public:
  TestPki();
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  std::string path(std::string_view name) const;
  // Writes a new server.pem/server.key (same CA, SANs as above) whose subject is CN=`cn`.
  void reissue_server(std::string_view cn) const;

 private:
  void run(const std::string& script) const;
  std::string dir_;
};

// One HTTPS/1.1 keep-alive connection that verifies the server against `ca_file` (and the name
// 127.0.0.1), optionally presenting a client certificate.
class HttpsClient {
 public:
  HttpsClient(std::uint16_t port, std::string ca_file, std::string cert_file = {},
              std::string key_file = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpsClient();
  HttpsClient(HttpsClient&&) noexcept;
  HttpsClient& operator=(HttpsClient&&) noexcept;

  // As HttpClient::request; relative targets are below /fhir. Never reconnects on its own
  // (close() and the next request opens a new connection).
  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       const Headers& headers = {});
  HttpResponse get(std::string_view target, const Headers& headers = {}) {
    return request("GET", target, {}, headers);
  }
  // The subject of the server certificate on the current connection (RFC 2253), "" if none.
  std::string server_subject() const;
  // The negotiated protocol ("TLSv1.3") on the current connection.
  std::string protocol() const;
  int connections() const;
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::testing
