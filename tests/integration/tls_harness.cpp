// The PKI through /bin/sh and the openssl command; the client on Beast's ssl_stream, each
// operation run on a private io_context until it completes or the stream's deadline closes it.
#include "tls_harness.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/wait.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>

namespace hearth::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

namespace {

// An EC key and a certificate signed by ca.pem/ca.key: "NAME SUBJECT [EXTENSION-LINE]".
std::string issue(std::string_view name, std::string_view subject, std::string_view ca,
                  std::string_view extension) {
  std::string n(name), c(ca);
  std::string script =
      "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + n +
      ".key -out " + n + ".csr -subj '" + std::string(subject) + "' && ";
  if (!extension.empty())
    script += "printf '%s\\n' '" + std::string(extension) + "' > " + n + ".ext && ";
  script += "openssl x509 -req -in " + n + ".csr -CA " + c + ".pem -CAkey " + c +
            ".key -CAcreateserial -days 2 -out " + n + ".pem" +
            (extension.empty() ? std::string() : " -extfile " + n + ".ext") + "; ";
  return script;
}

constexpr std::string_view kServerSan = "subjectAltName=DNS:localhost,IP:127.0.0.1";

std::string self_signed(std::string_view name, std::string_view subject) {
  std::string n(name);
  return "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + n +
         ".key -out " + n + ".pem -days 2 -subj '" + std::string(subject) + "' && ";
}

}  // namespace

TestPki::TestPki() {
  char pattern[] = "/tmp/hearth-pki-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  run(self_signed("ca", "/CN=Hearth Test CA") + issue("server", "/CN=localhost", "ca", kServerSan) +
      "true && " + issue("client", "/O=Hearth Test Lab/CN=lab-1", "ca", "") + "true && " +
      self_signed("rogue-ca", "/CN=Rogue CA") + issue("rogue", "/CN=lab-1", "rogue-ca", "") +
      "test -s server.pem && test -s client.pem && test -s rogue.pem");
}

TestPki::~TestPki() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string TestPki::path(std::string_view name) const {
  return dir_ + "/" + std::string(name);
}

void TestPki::reissue_server(std::string_view cn) const {
  run(issue("next", "/CN=" + std::string(cn), "ca", kServerSan) +
      "test -s next.pem && mv next.key server.key && mv next.pem server.pem");
}

void TestPki::run(const std::string& script) const {
  const std::string command = "cd '" + dir_ + "' && (" + script + ") >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("openssl failed making test certificates in " + dir_);
  }
}

struct HttpsClient::Impl {
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  asio::io_context io;
  ssl::context context{ssl::context::tls_client};
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
  int connections = 0;

  void run() {
    io.restart();
    io.run();
  }

  void open() {
    stream.emplace(io, context);
    buffer.clear();
    beast::error_code result;
    auto& tcp = beast::get_lowest_layer(*stream);
    tcp.expires_after(timeout);
    tcp.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                      [&](beast::error_code ec) { result = ec; });
    run();
    if (result) throw std::runtime_error("https connect failed: " + result.message());
    stream->set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    tcp.expires_after(timeout);
    stream->async_handshake(ssl::stream_base::client, [&](beast::error_code ec) { result = ec; });
    run();
    if (result) {
      stream.reset();
      throw std::runtime_error("https handshake failed: " + result.message());
    }
    ++connections;
  }
};

HttpsClient::HttpsClient(std::uint16_t port, std::string ca_file, std::string cert_file,
                         std::string key_file, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->timeout = timeout;
  impl_->context.load_verify_file(ca_file);
  impl_->context.set_verify_mode(ssl::verify_peer);
  if (!cert_file.empty()) {
    impl_->context.use_certificate_chain_file(cert_file);
    impl_->context.use_private_key_file(key_file, ssl::context::pem);
  }
}
HttpsClient::~HttpsClient() = default;
HttpsClient::HttpsClient(HttpsClient&&) noexcept = default;
HttpsClient& HttpsClient::operator=(HttpsClient&&) noexcept = default;

int HttpsClient::connections() const {
  return impl_->connections;
}

void HttpsClient::close() {
  impl_->stream.reset();
}

std::string HttpsClient::server_subject() const {
  if (!impl_->stream) return {};
  X509* cert = SSL_get1_peer_certificate(impl_->stream->native_handle());
  if (cert == nullptr) return {};
  char line[512];
  X509_NAME_oneline(X509_get_subject_name(cert), line, sizeof line);
  X509_free(cert);
  return line;
}

std::string HttpsClient::protocol() const {
  if (!impl_->stream) return {};
  return SSL_get_version(impl_->stream->native_handle());
}

HttpResponse HttpsClient::request(std::string_view method, std::string_view target,
                                  std::string_view body, const Headers& headers) {
  Impl& s = *impl_;
  if (!s.stream) s.open();
  std::string full_target =
      target.starts_with('/') ? std::string(target) : "/fhir/" + std::string(target);
  http::request<http::string_body> message;
  message.version(11);
  message.method_string(beast::string_view(method.data(), method.size()));
  message.target(full_target);
  message.set(http::field::host, "127.0.0.1:" + std::to_string(s.port));
  for (const auto& [name, value] : headers) message.set(name, value);
  if (!body.empty()) {
    if (message.find(http::field::content_type) == message.end()) {
      message.set(http::field::content_type, "application/fhir+json");
    }
    message.body() = std::string(body);
    message.content_length(body.size());
  }
  beast::error_code result;
  auto& tcp = beast::get_lowest_layer(*s.stream);
  tcp.expires_after(s.timeout);
  http::async_write(*s.stream, message, [&](beast::error_code ec, std::size_t) { result = ec; });
  s.run();
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  if (!result) {
    tcp.expires_after(s.timeout);
    http::async_read(*s.stream, s.buffer, parser,
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    s.run();
  }
  if (result) {
    s.stream.reset();
    throw std::runtime_error(std::string(method) + " " + full_target +
                             " over https failed: " + result.message());
  }
  HttpResponse out;
  auto& response = parser.get();
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(response.body());
  if (!response.keep_alive()) s.stream.reset();
  return out;
}

}  // namespace hearth::testing
