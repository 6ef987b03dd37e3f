// Asio operations run on a private io_context with run_for(): a deadline per operation
// without timers or threads. Plain and TLS connections share every operation through two
// small dispatchers (write_some_async, read_some_async).
#include "server/cli/mllp_client.h"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <optional>

#include "hl7/mllp/mllp_framer.h"

namespace hearth::server {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;

struct MllpClient::Impl {
  asio::io_context io;
  std::optional<ssl::context> context;          // TLS only
  std::optional<ssl::stream<tcp::socket>> tls;  // TLS only: owns the socket
  std::optional<tcp::socket> plain;             // plain only
  std::chrono::milliseconds timeout{0};
  hl7::MllpDeframer deframer;
  std::array<char, 64 * 1024> buffer{};

  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }

  template <typename Handler>
  void write_async(asio::const_buffer bytes, Handler handler) {
    if (tls) {
      asio::async_write(*tls, bytes, std::move(handler));
    } else {
      asio::async_write(*plain, bytes, std::move(handler));
    }
  }

  template <typename Handler>
  void read_some_async(Handler handler) {
    if (tls) {
      tls->async_read_some(asio::buffer(buffer), std::move(handler));
    } else {
      plain->async_read_some(asio::buffer(buffer), std::move(handler));
    }
  }

  // Runs the pending operation; on timeout closes the socket (which completes it).
  bool run() {
    io.restart();
    io.run_for(timeout);
    if (io.stopped()) return true;
    boost::system::error_code ignored;
    socket().close(ignored);
    io.restart();
    io.run();
    return false;
  }
};

namespace {

// The client's TLS context: TLS 1.2+, the server verified against `options.ca`.
Status make_context(const MllpTlsOptions& options, std::optional<ssl::context>& out) {
  out.emplace(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(out->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  out->load_verify_file(options.ca, ec);
  if (ec) return Status(Code::kInvalidArgument, "--ca '" + options.ca + "': " + ec.message());
  out->set_verify_mode(ssl::verify_peer);
  if (!options.cert.empty()) {
    out->use_certificate_chain_file(options.cert, ec);
    if (ec) {
      return Status(Code::kInvalidArgument, "--cert '" + options.cert + "': " + ec.message());
    }
    out->use_private_key_file(options.key, ssl::context::pem, ec);
    if (ec) return Status(Code::kInvalidArgument, "--key '" + options.key + "': " + ec.message());
  }
  return Status::ok();
}

}  // namespace

MllpClient::MllpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MllpClient::~MllpClient() = default;

Result<std::unique_ptr<MllpClient>> MllpClient::connect(const std::string& host, std::uint16_t port,
                                                        std::chrono::milliseconds timeout,
                                                        const MllpTlsOptions* tls) {
  auto impl = std::make_unique<Impl>();
  impl->timeout = timeout;
  if (tls != nullptr) {
    HEARTH_RETURN_IF_ERROR(make_context(*tls, impl->context));
    impl->tls.emplace(impl->io, *impl->context);
  } else {
    impl->plain.emplace(impl->io);
  }
  const std::string where = host + ":" + std::to_string(port);
  boost::system::error_code ec;
  tcp::resolver resolver(impl->io);
  auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return Status(Code::kUnavailable, "cannot resolve " + where + ": " + ec.message());
  boost::system::error_code result = asio::error::would_block;
  asio::async_connect(
      impl->socket(), endpoints,
      [&](const boost::system::error_code& e, const tcp::endpoint&) { result = e; });
  if (!impl->run()) return Status(Code::kUnavailable, "connect to " + where + " timed out");
  if (result) return Status(Code::kUnavailable, "connect to " + where + ": " + result.message());
  impl->socket().set_option(tcp::no_delay(true), ec);
  if (impl->tls) {
    // The certificate must name `host` (a DNS name or an IP address); SNI for a name.
    impl->tls->set_verify_callback(ssl::host_name_verification(host));
    asio::ip::make_address(host, ec);
    if (ec) SSL_set_tlsext_host_name(impl->tls->native_handle(), host.c_str());
    result = asio::error::would_block;
    impl->tls->async_handshake(ssl::stream_base::client,
                               [&](const boost::system::error_code& e) { result = e; });
    if (!impl->run())
      return Status(Code::kUnavailable, "TLS handshake with " + where + " timed out");
    if (result) {
      return Status(Code::kUnavailable,
                    "TLS handshake with " + where + " failed: " + result.message());
    }
  }
  return std::unique_ptr<MllpClient>(new MllpClient(std::move(impl)));
}

Result<std::string> MllpClient::exchange(std::string_view message) {
  HEARTH_RETURN_IF_ERROR(send(message));
  return read_ack();
}

Status MllpClient::send(std::string_view message) {
  Impl& s = *impl_;
  const std::string wire = hl7::mllp_frame(message);
  boost::system::error_code result = asio::error::would_block;
  s.write_async(asio::buffer(wire),
                [&](const boost::system::error_code& e, std::size_t) { result = e; });
  if (!s.run()) return Status(Code::kUnavailable, "send timed out");
  if (result) return Status(Code::kUnavailable, "send failed: " + result.message());
  return Status::ok();
}

Result<std::string> MllpClient::read_ack() {
  Impl& s = *impl_;
  boost::system::error_code result;
  for (;;) {
    if (auto frame = s.deframer.next()) {
      if (!frame->is_ok()) return std::move(*frame).take_status();
      return std::move(frame->value());
    }
    std::size_t got = 0;
    result = asio::error::would_block;
    s.read_some_async([&](const boost::system::error_code& e, std::size_t n) {
      result = e;
      got = n;
    });
    if (!s.run()) return Status(Code::kUnavailable, "timed out waiting for an ACK");
    if (result) {
      return Status(Code::kUnavailable, "connection closed before an ACK: " + result.message());
    }
    s.deframer.feed(std::string_view(s.buffer.data(), got));
  }
}

Result<std::optional<std::string>> MllpClient::read_ack_within(std::chrono::milliseconds wait) {
  Impl& s = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (auto frame = s.deframer.next()) {
      if (!frame->is_ok()) return std::move(*frame).take_status();
      return std::optional<std::string>(std::move(frame->value()));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::optional<std::string>();
    std::size_t got = 0;
    boost::system::error_code result = asio::error::would_block;
    s.read_some_async([&](const boost::system::error_code& e, std::size_t n) {
      result = e;
      got = n;
    });
    s.io.restart();
    s.io.run_for(left);
    if (!s.io.stopped()) {  // nothing yet: cancel the read, keep the connection
      boost::system::error_code ignored;
      s.socket().cancel(ignored);
      s.io.restart();
      s.io.run();
    }
    if (result == asio::error::operation_aborted) return std::optional<std::string>();
    if (result) {
      return Status(Code::kUnavailable, "connection closed before an ACK: " + result.message());
    }
    s.deframer.feed(std::string_view(s.buffer.data(), got));
  }
}

}  // namespace hearth::server
