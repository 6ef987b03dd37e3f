// A tiny JWKS endpoint on loopback for the --jwks-url tests: 127.0.0.1:0, plain HTTP or HTTPS
// (a certificate of tls_harness.h's TestPki), answering every GET with the key set of the
// moment (set()), one connection at a time, and counting what it served.
//
// Thread-safety: set(), served() and port() may be called from the test's thread while the
// server's own thread answers.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace hearth::testing {

class JwksServer {
 public:
  // TLS when `cert`/`key` (PEM files) are given.
  explicit JwksServer(std::string jwks, const std::string& cert = {}, const std::string& key = {})
      : jwks_(std::move(jwks)) {
    if (!cert.empty()) {
      tls_.emplace(boost::asio::ssl::context::tls_server);
      tls_->use_certificate_chain_file(cert);
      tls_->use_private_key_file(key, boost::asio::ssl::context::pem);
    }
    acceptor_.open(tcp::v4());
    acceptor_.bind(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~JwksServer() {
    stopping_ = true;
    boost::system::error_code ignored;
    tcp::socket wake(io_);
    wake.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_), ignored);
    thread_.join();
  }
  JwksServer(const JwksServer&) = delete;
  JwksServer& operator=(const JwksServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) +
           "/jwks.json";
  }
  void set(std::string jwks) {
    std::lock_guard lock(mutex_);
    jwks_ = std::move(jwks);
  }
  int served() const { return served_.load(); }

 private:
  using tcp = boost::asio::ip::tcp;
  void serve() {
    while (!stopping_) {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) continue;
      if (tls_) {
        boost::asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls_);
        stream.handshake(boost::asio::ssl::stream_base::server, ec);
        if (!ec) answer(stream);
      } else {
        answer(socket);
      }
    }
  }
  template <typename Stream>
  void answer(Stream& stream) {
    namespace http = boost::beast::http;
    boost::system::error_code ec;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    http::response<http::string_body> response(http::status::ok, 11);
    response.set(http::field::content_type, "application/json");
    {
      std::lock_guard lock(mutex_);
      response.body() = jwks_;
    }
    response.prepare_payload();
    response.keep_alive(false);
    ++served_;  // before the answer, so a test that got its response sees the count
    http::write(stream, response, ec);
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::optional<boost::asio::ssl::context> tls_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> served_{0};
  std::mutex mutex_;
  std::string jwks_;
};

}  // namespace hearth::testing
