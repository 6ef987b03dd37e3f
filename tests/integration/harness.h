// The integration harness: starts the real `hearth` binary (`serve --listen 127.0.0.1:0`) on a
// fresh store, waits for its "listening on" line, and talks HTTP/1.1 to it over loopback with a
// small synchronous Beast client.
//
//   ServerProcess server;                          // fresh temp SQLite (or $HEARTH_TEST_STORE)
//   HttpClient client = server.client();           // keep-alive connection, 10 s timeouts
//   HttpResponse created = client.post("Patient", R"({"resourceType":"Patient"})");
//   CHECK(created.status == 201);
//   HttpResponse read = client.get(created.header("Location"));  // relative or absolute
//   server.restart();                              // same store, new port
//
// MLLP: the server also listens for MLLP on an ephemeral port (mllp_port(); mllp_harness.h has
// the client); a later --mllp-listen in ServerOptions::args wins.
// Store: ServerOptions::store, else $HEARTH_TEST_STORE, else sqlite:<fresh temp dir>/hearth.db
// (removed with the ServerProcess). Set HEARTH_TEST_ECHO=1 to copy the server's stderr to the
// test's stderr.
//
// Errors: transport failures (cannot connect, timeout, server gone) throw std::runtime_error,
// which doctest reports as a failed test. HTTP error statuses are returned, never thrown.
// Thread-safety: a ServerProcess may be shared by threads for client()/base_url()/log queries;
// each HttpClient / RawConnection belongs to one thread.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace hearth::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0: the server closed the connection without a response
  Headers headers;
  std::string body;

  // The first header with this name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

// A raw TCP connection for tests that need to misbehave: send partial or malformed requests,
// read one response, check the server closed the connection.
class RawConnection {
 public:
  RawConnection(std::string host, std::uint16_t port,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~RawConnection();
  RawConnection(RawConnection&&) noexcept;
  RawConnection& operator=(RawConnection&&) noexcept;

  void send(std::string_view bytes);
  // Reads one response; status 0 when the connection closed before a complete response.
  // `head_request`: the response to a HEAD has no body even with a Content-Length.
  HttpResponse read_response(bool head_request = false);
  // True when the server closes the connection (EOF/reset) within the timeout.
  bool closed_by_peer();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// HTTP/1.1 client with one keep-alive connection, reopened when the server closes it.
class HttpClient {
 public:
  // `base_path` prefixes relative targets: request("GET", "Patient/1") asks for
  // "/fhir/Patient/1"; targets starting with '/' or "http" are used as they are (an absolute
  // URL is reduced to its path).
  HttpClient(std::string host, std::uint16_t port, std::string base_path = "/fhir",
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Sends one request. `headers` replace the defaults (Host: 127.0.0.1:PORT, User-Agent); a
  // non-empty body without a Content-Type header is sent as application/fhir+json.
  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       const Headers& headers = {});
  HttpResponse get(std::string_view target, const Headers& headers = {}) {
    return request("GET", target, {}, headers);
  }
  HttpResponse post(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return request("POST", target, body, headers);
  }
  HttpResponse put(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return request("PUT", target, body, headers);
  }
  HttpResponse del(std::string_view target, const Headers& headers = {}) {
    return request("DELETE", target, {}, headers);
  }

  // TCP connections opened so far (1 after many keep-alive requests).
  int connections() const;
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct ServerOptions {
  std::string store;              // empty: $HEARTH_TEST_STORE or a fresh temp SQLite file
  std::vector<std::string> args;  // extra `serve` arguments, e.g. {"--max-body", "1024"}
  Headers env;                    // extra environment variables for the process
  std::chrono::milliseconds start_timeout = std::chrono::seconds(10);
};

// One running `hearth serve`. The destructor stops it (SIGTERM, then SIGKILL after 5 s) and
// removes its temp store.
class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& base_url() const { return base_url_; }  // "http://127.0.0.1:PORT/fhir"
  std::uint16_t port() const { return port_; }
  std::uint16_t mllp_port() const { return mllp_port_; }  // 0: MLLP off
  // The --tls-listen (HTTPS) and --mllp-tls-listen ports; 0 when not listening.
  std::uint16_t tls_port() const { return tls_port_; }
  std::uint16_t mllp_tls_port() const { return mllp_tls_port_; }
  const std::string& store_url() const { return store_url_; }
  pid_t pid() const { return pid_; }
  HttpClient client() const;
  RawConnection raw() const;

  // Sends a signal (default SIGTERM) without waiting.
  void signal(int signo = SIGTERM);
  // Waits for the process to exit: its exit code, 128 + signal when killed, nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  // SIGKILL and reap: a crash, for durability tests.
  void kill9();
  // Stops the process (SIGTERM; SIGKILL if it lingers) if running and starts a new one on the
  // same store with the same options; the port changes.
  void restart();
  bool running();

  // Everything the server wrote to stderr so far, one entry per line.
  std::vector<std::string> log_lines() const;
  // Waits until a stderr line contains `needle`.
  bool wait_for_log(std::string_view needle,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  void start();
  void stop();
  void reap_reader();

  ServerOptions options_;
  std::string temp_dir_;  // owned temp store directory, "" when the store is external
  std::string store_url_;
  std::string base_url_;
  std::uint16_t port_ = 0;
  std::uint16_t mllp_port_ = 0;
  std::uint16_t tls_port_ = 0;
  std::uint16_t mllp_tls_port_ = 0;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  int stderr_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool stderr_closed_ = false;
};

// A fresh directory under /tmp, removed with everything in it when this goes.
struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/hearth-test-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
};

// `prefix` followed by 16 characters of [0-9a-z] that no other call returns: not in this run
// (a counter, safe from any thread) and not in another run against the same store, such as a
// shared PostgreSQL database ($HEARTH_TEST_STORE) that keeps earlier runs' rows (the run's start
// time in microseconds and random bits). Every value has the same length, so none is a prefix
// of another (string searches match prefixes). Fits a FHIR id, a tenant name, an HL7 control id
// or sender; throws std::length_error after 36^4 calls in one run.
std::string unique_name(std::string_view prefix = {});

// Runs `hearth <args...>` to completion (e.g. {"--help"}) and returns its exit code and output.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult run_hearth(const std::vector<std::string>& args, const Headers& env = {});

}  // namespace hearth::testing
