// One coroutine on a private io_context: the tcp_stream's deadline covers every step, so a
// stalled identity provider costs at most the timeout.
#include "server/auth/jwks_fetch.h"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

#include "conformance/http_transport.h"

namespace hearth::server::auth {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

Status invalid(std::string_view url, std::string_view why) {
  return Status(Code::kInvalidArgument,
                "--jwks-url '" + std::string(url) + "': " + std::string(why));
}

struct Exchange {
  const JwksUrl& url;
  std::chrono::milliseconds timeout;
  std::optional<Result<std::string>> result;

  void fail(std::string_view step, const beast::error_code& ec) {
    const std::string cause = ec == beast::error::timeout
                                  ? "timed out after " + std::to_string(timeout.count()) + " ms"
                                  : ec.message();
    result =
        Status(Code::kUnavailable, "JWKS " + url.text + ": " + std::string(step) + ": " + cause);
  }

  template <typename Stream>
  asio::awaitable<void> request(Stream& stream, beast::tcp_stream& tcp_layer) {
    beast::error_code ec;
    http::request<http::empty_body> req(http::verb::get, url.target, 11);
    const bool default_port = url.port == (url.tls ? "443" : "80");
    req.set(http::field::host, default_port ? url.host : url.host + ":" + url.port);
    req.set(http::field::user_agent, "hearth");
    req.set(http::field::accept, "application/json, application/jwk-set+json");
    req.set(http::field::connection, "close");
    co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("cannot send the request", ec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxJwksBytes);
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::body_limit) {
      result = Status(Code::kUnavailable, "JWKS " + url.text + ": larger than " +
                                              std::to_string(kMaxJwksBytes) + " bytes");
      co_return;
    }
    if (ec) co_return fail("cannot read the response", ec);
    if (parser.get().result_int() != 200) {
      result = Status(Code::kUnavailable, "JWKS " + url.text + ": HTTP status " +
                                              std::to_string(parser.get().result_int()));
      co_return;
    }
    result = std::move(parser.get().body());
    tcp_layer.socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  asio::awaitable<void> run(ssl::context* context) {
    auto executor = co_await asio::this_coro::executor;
    beast::error_code ec;
    tcp::resolver resolver(executor);
    // The resolver has no deadline of its own; the loopback and literal addresses of tests
    // resolve at once, and a name lookup is bounded by the system resolver's timeout.
    auto endpoints = co_await resolver.async_resolve(url.host, url.port,
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("cannot resolve the host", ec);
    if (context == nullptr) {
      beast::tcp_stream stream(executor);
      stream.expires_after(timeout);
      co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return fail("cannot connect", ec);
      co_await request(stream, stream);
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(executor, *context);
    beast::get_lowest_layer(stream).expires_after(timeout);
    co_await beast::get_lowest_layer(stream).async_connect(
        endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("cannot connect", ec);
    stream.set_verify_callback(ssl::host_name_verification(url.host));
    boost::system::error_code not_ip;
    asio::ip::make_address(url.host, not_ip);
    if (not_ip) SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
    co_await stream.async_handshake(ssl::stream_base::client,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("TLS handshake (certificate checked against the system CAs)", ec);
    co_await request(stream, beast::get_lowest_layer(stream));
  }
};

}  // namespace

Result<JwksUrl> parse_jwks_url(std::string_view text) {
  auto url = conformance::parse_url(text);
  if (!url) return invalid(text, "not an http(s) URL with a host");
  JwksUrl out{.tls = url->scheme == "https",
              .host = url->host,
              .port = url->port,
              .target = url->target,
              .text = std::string(text)};
  if (!out.tls && out.host != "127.0.0.1") {
    return invalid(text,
                   "keys are fetched over https:// only (http:// is allowed for 127.0.0.1 alone, "
                   "for tests and a local sidecar)");
  }
  return out;
}

Result<std::string> fetch_jwks(const JwksUrl& url, std::chrono::milliseconds timeout) {
  try {
    std::optional<ssl::context> context;
    if (url.tls) {
      context.emplace(ssl::context::tls_client);
      SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
      context->set_default_verify_paths();
      context->set_verify_mode(ssl::verify_peer);
    }
    asio::io_context io;
    Exchange exchange{url, timeout, std::nullopt};
    asio::co_spawn(io, exchange.run(context ? &*context : nullptr), asio::detached);
    io.run();
    if (!exchange.result) return Status(Code::kUnavailable, "JWKS " + url.text + ": no answer");
    return std::move(*exchange.result);
  } catch (const std::exception& e) {  // allocation or Asio invariants; never crash the caller
    return Status(Code::kUnavailable, "JWKS " + url.text + ": " + e.what());
  }
}

}  // namespace hearth::server::auth
