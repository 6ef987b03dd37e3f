// Process control (posix_spawn, a stderr pipe drained by a thread) and a Beast client whose
// every operation runs with a timeout, so a misbehaving server fails a test instead of hanging
// it.
#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <stdexcept>

#include "tests/test_paths.h"

extern char** environ;

namespace hearth::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// ---------------------------------------------------------------------------------------------
// Connections

namespace {

// One TCP connection; each operation runs the private io_context until it completes or the
// stream's timeout closes the socket.
class Connection {
 public:
  Connection(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
      : host_(std::move(host)), port_(port), timeout_(timeout) {}

  bool is_open() const { return open_; }
  int connections() const { return connections_; }

  void open() {
    close();
    beast::error_code result;
    tcp::endpoint endpoint(asio::ip::make_address(host_), port_);
    stream_.expires_after(timeout_);
    stream_.async_connect(endpoint, [&](beast::error_code ec) { result = ec; });
    run();
    if (result)
      throw std::runtime_error("connect to " + host_ + ":" + std::to_string(port_) +
                               " failed: " + result.message());
    buffer_.clear();
    open_ = true;
    ++connections_;
  }

  void close() {
    if (!open_) return;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    open_ = false;
  }

  std::string host_header() const { return host_ + ":" + std::to_string(port_); }

  beast::error_code write_raw(std::string_view bytes) {
    beast::error_code result;
    stream_.expires_after(timeout_);
    asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()),
                      [&](beast::error_code ec, std::size_t) { result = ec; });
    run();
    return result;
  }

  template <typename Message>
  beast::error_code write(Message& message) {
    beast::error_code result;
    stream_.expires_after(timeout_);
    http::async_write(stream_, message, [&](beast::error_code ec, std::size_t) { result = ec; });
    run();
    return result;
  }

  // Reads one response; `any_bytes` tells whether anything arrived (to decide on a retry).
  beast::error_code read(HttpResponse& out, bool head_request, bool& keep_alive) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    parser.skip(head_request);
    beast::error_code result;
    stream_.expires_after(timeout_);
    http::async_read(stream_, buffer_, parser,
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    run();
    if (result) {
      out.status = 0;
      return result;
    }
    auto& message = parser.get();
    out.status = static_cast<int>(message.result_int());
    out.headers.clear();
    for (const auto& field : message) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(message.body());
    keep_alive = message.keep_alive();
    return result;
  }

  bool wait_closed() {
    char scratch[4096];
    for (;;) {
      beast::error_code result;
      stream_.expires_after(timeout_);
      stream_.async_read_some(asio::buffer(scratch),
                              [&](beast::error_code ec, std::size_t) { result = ec; });
      run();
      if (result == beast::error::timeout) return false;
      if (result) return true;  // eof, reset
    }
  }

 private:
  void run() {
    io_.restart();
    io_.run();
  }

  std::string host_;
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  asio::io_context io_;
  beast::tcp_stream stream_{io_};
  beast::flat_buffer buffer_;
  bool open_ = false;
  int connections_ = 0;
};

std::string_view path_of(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.starts_with(scheme)) {
      std::size_t slash = url.find('/', scheme.size());
      return slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
    }
  }
  return url;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) return value;
  }
  return {};
}

struct RawConnection::Impl {
  Impl(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
      : connection(std::move(host), port, timeout) {}
  Connection connection;
};

RawConnection::RawConnection(std::string host, std::uint16_t port,
                             std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(std::move(host), port, timeout)) {
  impl_->connection.open();
}
RawConnection::~RawConnection() = default;
RawConnection::RawConnection(RawConnection&&) noexcept = default;
RawConnection& RawConnection::operator=(RawConnection&&) noexcept = default;

void RawConnection::send(std::string_view bytes) {
  if (auto ec = impl_->connection.write_raw(bytes)) {
    throw std::runtime_error("raw send failed: " + ec.message());
  }
}

HttpResponse RawConnection::read_response(bool head_request) {
  HttpResponse response;
  bool keep_alive = false;
  impl_->connection.read(response, head_request, keep_alive);
  return response;
}

bool RawConnection::closed_by_peer() {
  return impl_->connection.wait_closed();
}

struct HttpClient::Impl {
  Impl(std::string host, std::uint16_t port, std::string base, std::chrono::milliseconds timeout)
      : connection(std::move(host), port, timeout), base_path(std::move(base)) {}
  Connection connection;
  std::string base_path;
};

HttpClient::HttpClient(std::string host, std::uint16_t port, std::string base_path,
                       std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(std::move(host), port, std::move(base_path), timeout)) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

int HttpClient::connections() const {
  return impl_->connection.connections();
}
void HttpClient::close() {
  impl_->connection.close();
}

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 std::string_view body, const Headers& headers) {
  std::string full_target;
  std::string_view path = path_of(target);
  if (path.starts_with('/')) {
    full_target = path;
  } else {
    full_target = impl_->base_path + "/" + std::string(path);
  }
  http::request<http::string_body> message;
  message.version(11);
  message.method_string(beast::string_view(method.data(), method.size()));
  message.target(full_target);
  Connection& connection = impl_->connection;
  message.set(http::field::host, connection.host_header());
  message.set(http::field::user_agent, "hearth-integration-tests");
  bool has_content_type = false;
  for (const auto& [name, value] : headers) {
    message.set(name, value);  // replaces the defaults (Host, User-Agent)
    has_content_type = has_content_type || beast::iequals(name, "Content-Type");
  }
  if (!body.empty() && !has_content_type) {
    message.set(http::field::content_type, "application/fhir+json");
  }
  message.body() = std::string(body);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    message.content_length(body.size());
  }
  bool head_request = method == "HEAD";

  // A reused connection may have been closed by the server meanwhile (idle timeout, restart):
  // then reconnect once and resend.
  for (int attempt = 0;; ++attempt) {
    bool reused = connection.is_open();
    if (!reused) connection.open();
    HttpResponse response;
    bool keep_alive = false;
    beast::error_code ec = connection.write(message);
    if (!ec) ec = connection.read(response, head_request, keep_alive);
    if (!ec) {
      if (!keep_alive) connection.close();
      return response;
    }
    connection.close();
    if (!reused || attempt > 0) {
      throw std::runtime_error(std::string(method) + " " + full_target +
                               " failed: " + ec.message());
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

namespace {

// A --log-format json line ({"time":...,"event":"listening on ..."}) as its text form
// ("hearth: listening on ..."), so the start markers read both formats; other lines unchanged.
std::string as_text_line(const std::string& line) {
  static constexpr std::string_view kEvent = "\"event\":\"";
  if (!line.starts_with("{\"time\"")) return line;
  const std::size_t start = line.find(kEvent);
  if (start == std::string::npos) return line;
  std::string out = "hearth: ";
  for (std::size_t i = start + kEvent.size(); i < line.size() && line[i] != '"'; ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) ++i;
    out += line[i];
  }
  return out;
}

std::vector<std::string> make_environment(const Headers& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    bool overridden = false;
    for (const auto& [name, value] : extra) {
      if (text.starts_with(name + "=")) overridden = true;
    }
    if (!overridden) env.emplace_back(text);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Spawns the `hearth` binary of this build with `args`; stdout/stderr go to the given fds (-1:
// inherit).
pid_t spawn(const std::vector<std::string>& args, const Headers& env, int out_fd, int err_fd) {
  std::vector<std::string> argv_strings{hearth::test::hearth_binary()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = make_environment(env);
  auto argv = pointers(argv_strings);
  auto envp = pointers(env_strings);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (out_fd >= 0) posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  if (err_fd >= 0) posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, hearth::test::hearth_binary().c_str(), &actions, nullptr, argv.data(),
                       envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error(std::string("cannot start hearth: ") + std::strerror(rc));
  return pid;
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
}

std::string read_all(int fd) {
  std::string out;
  char chunk[4096];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(chunk, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  if (!options_.store.empty()) {
    store_url_ = options_.store;
  } else if (const char* env = std::getenv("HEARTH_TEST_STORE"); env != nullptr && *env != 0) {
    store_url_ = env;
  } else {
    char pattern[] = "/tmp/hearth-it-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    temp_dir_ = pattern;
    store_url_ = "sqlite:" + temp_dir_ + "/hearth.db";
  }
  start();
}

ServerProcess::~ServerProcess() {
  try {
    stop();
  } catch (...) {
  }
  if (!temp_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temp_dir_, ignored);
  }
}

void ServerProcess::start() {
  int fds[2];
  make_pipe(fds);
  std::vector<std::string> args{"serve",       "--listen", "127.0.0.1:0", "--mllp-listen",
                                "127.0.0.1:0", "--store",  store_url_};
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  try {
    pid_ = spawn(args, options_.env, -1, fds[1]);
  } catch (...) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw;
  }
  ::close(fds[1]);
  stderr_fd_ = fds[0];
  exit_code_.reset();
  {
    std::lock_guard lock(mutex_);
    lines_.clear();
    stderr_closed_ = false;
  }
  bool echo = std::getenv("HEARTH_TEST_ECHO") != nullptr;
  reader_ = std::thread([this, echo, fd = stderr_fd_] {
    std::string pending;
    char chunk[4096];
    for (;;) {
      ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (echo) std::cerr.write(chunk, n);
      pending.append(chunk, static_cast<std::size_t>(n));
      std::size_t newline;
      std::lock_guard lock(mutex_);
      while ((newline = pending.find('\n')) != std::string::npos) {
        lines_.push_back(pending.substr(0, newline));
        pending.erase(0, newline + 1);
      }
      changed_.notify_all();
    }
    std::lock_guard lock(mutex_);
    if (!pending.empty()) lines_.push_back(pending);
    stderr_closed_ = true;
    changed_.notify_all();
  });

  static constexpr std::string_view kMarker = "hearth: listening on http://";
  std::string url;
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, options_.start_timeout, [&] {
      for (const auto& raw : lines_) {
        const std::string line = as_text_line(raw);
        if (line.starts_with(kMarker)) {
          url = line.substr(std::string_view("hearth: listening on ").size());
          return true;
        }
      }
      return stderr_closed_;
    });
  }
  if (url.empty()) {
    stop();
    std::string log;
    for (const auto& line : log_lines()) log += "\n  " + line;
    throw std::runtime_error("hearth did not start listening; its stderr:" + log);
  }
  base_url_ = url;
  std::size_t colon = url.rfind(':');
  port_ = static_cast<std::uint16_t>(std::stoi(url.substr(colon + 1)));
  // Logged before the HTTP line, so it is there by now (absent with --mllp-listen off).
  static constexpr std::string_view kMllpMarker = "hearth: mllp listening on ";
  static constexpr std::string_view kTlsMarker = "hearth: tls listening on https://";
  static constexpr std::string_view kMllpTlsMarker = "hearth: mllp tls listening on ";
  mllp_port_ = tls_port_ = mllp_tls_port_ = 0;
  for (const auto& raw : log_lines()) {
    const std::string line = as_text_line(raw);
    auto port_of = [&line](std::size_t colon) {
      return static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    };
    if (line.starts_with(kMllpMarker)) mllp_port_ = port_of(line.rfind(':'));
    if (line.starts_with(kMllpTlsMarker)) mllp_tls_port_ = port_of(line.rfind(':'));
    if (line.starts_with(kTlsMarker)) tls_port_ = port_of(line.find(':', kTlsMarker.size()));
  }
}

void ServerProcess::reap_reader() {
  if (reader_.joinable()) reader_.join();
  if (stderr_fd_ >= 0) {
    ::close(stderr_fd_);
    stderr_fd_ = -1;
  }
}

void ServerProcess::stop() {
  if (running()) {
    signal(SIGTERM);
    if (!wait_exit(std::chrono::seconds(5))) kill9();
  }
  reap_reader();
}

HttpClient ServerProcess::client() const {
  return HttpClient("127.0.0.1", port_);
}
RawConnection ServerProcess::raw() const {
  return RawConnection("127.0.0.1", port_);
}

void ServerProcess::signal(int signo) {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, signo);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  if (pid_ <= 0) return std::nullopt;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = decode_wait_status(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void ServerProcess::kill9() {
  if (pid_ <= 0 || exit_code_) return;
  ::kill(pid_, SIGKILL);
  wait_exit(std::chrono::seconds(10));
}

bool ServerProcess::running() {
  return pid_ > 0 && !wait_exit(std::chrono::milliseconds(0));
}

void ServerProcess::restart() {
  stop();
  start();
}

std::vector<std::string> ServerProcess::log_lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

bool ServerProcess::wait_for_log(std::string_view needle, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    for (const auto& line : lines_) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return stderr_closed_;
  }) && [&] {
    for (const auto& line : lines_) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  }();
}

namespace {

// `value` in base 36, `width` digits (the lowest ones when it needs more).
std::string base36(std::uint64_t value, int width) {
  std::string out(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i, value /= 36) {
    out[static_cast<std::size_t>(i)] = "0123456789abcdefghijklmnopqrstuvwxyz"[value % 36];
  }
  return out;
}

}  // namespace

std::string unique_name(std::string_view prefix) {
  // Microseconds since 1970 fit 10 base-36 digits until 2084; two random digits part runs that
  // start in the same microsecond.
  static const std::string run = [] {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return base36(static_cast<std::uint64_t>(
                      std::chrono::duration_cast<std::chrono::microseconds>(now).count()),
                  10) +
           base36(std::random_device()(), 2);
  }();
  static std::atomic<std::uint64_t> calls{0};
  constexpr std::uint64_t kMostCalls = 36ULL * 36 * 36 * 36;
  const std::uint64_t n = calls++;
  if (n >= kMostCalls) throw std::length_error("unique_name: more than 36^4 names in one run");
  return std::string(prefix) + run + base36(n, 4);
}

CommandResult run_hearth(const std::vector<std::string>& args, const Headers& env) {
  int out[2];
  int err[2];
  make_pipe(out);
  make_pipe(err);
  pid_t pid = spawn(args, env, out[1], err[1]);
  ::close(out[1]);
  ::close(err[1]);
  CommandResult result;
  // stderr is drained on a thread so neither pipe can fill up and block the child.
  std::thread err_reader([&] { result.err = read_all(err[0]); });
  result.out = read_all(out[0]);
  err_reader.join();
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = decode_wait_status(status);
  return result;
}

}  // namespace hearth::testing
