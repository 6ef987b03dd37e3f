// Beast client: asynchronous operations on a private io_context so the tcp_stream deadline
// applies to each step (synchronous Beast calls ignore it). Every failure becomes a Status that
// names the URL and the step, so an unreachable or non-HTTP endpoint reads as one clean line.
#include "conformance/beast_transport.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <string>

namespace hearth::conformance {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class BeastTransport : public HttpTransport {
 public:
  explicit BeastTransport(TransportOptions options) : options_(options) {}

  Result<HttpResponse> send(const HttpRequest& request) override {
    auto url = parse_url(request.url);
    if (!url) return url.status();
    if (url->scheme != "http") {
      return Status(Code::kNotImplemented,
                    "https:// is not supported by the conformance runner yet: " + request.url);
    }
    try {
      return exchange(request, *url);
    } catch (const std::exception& e) {  // allocation or Beast invariants; never crash the run
      return Status(Code::kUnavailable, request.url + ": " + e.what());
    }
  }

 private:
  Result<HttpResponse> exchange(const HttpRequest& request, const Url& url) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    tcp::resolver resolver(io);
    asio::steady_timer resolve_timer(io);
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::verb verb = http::string_to_verb(request.method);
    if (verb == http::verb::unknown) {
      req.method_string(request.method);
    } else {
      req.method(verb);
    }
    req.target(url.target);
    req.version(11);
    bool default_port = (url.port == "80");
    req.set(http::field::host, default_port ? url.host : url.host + ":" + url.port);
    req.set(http::field::user_agent, "hearth-conformance");
    req.set(http::field::connection, "close");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.body() = request.body;
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      req.prepare_payload();
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(options_.max_body);
    parser.header_limit(64 * 1024);

    std::string where = url.host + ":" + url.port;
    std::optional<std::string> failure;
    auto fail = [&](std::string step, beast::error_code ec) {
      std::string cause =
          ec == beast::error::timeout || ec == asio::error::operation_aborted
              ? "timed out after " + std::to_string(options_.timeout.count()) + " ms"
              : ec.message();
      failure = step + " " + where + " (" + request.method + " " + request.url + "): " + cause;
    };

    resolve_timer.expires_after(options_.timeout);
    resolve_timer.async_wait([&](beast::error_code ec) {
      if (!ec) resolver.cancel();
    });
    resolver.async_resolve(
        url.host, url.port, [&](beast::error_code ec, tcp::resolver::results_type endpoints) {
          resolve_timer.cancel();
          if (ec) return fail("cannot resolve", ec);
          stream.expires_after(options_.timeout);
          stream.async_connect(endpoints, [&](beast::error_code ec2, const tcp::endpoint&) {
            if (ec2) return fail("cannot connect to", ec2);
            http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
              if (ec3) return fail("cannot send the request to", ec3);
              http::async_read(stream, buffer, parser, [&](beast::error_code ec4, std::size_t) {
                if (ec4 == http::error::end_of_stream || ec4 == asio::error::eof) {
                  return fail("no HTTP response from", ec4);
                }
                if (ec4 == http::error::bad_version || ec4 == http::error::bad_status ||
                    ec4 == http::error::bad_field || ec4 == http::error::bad_line_ending ||
                    ec4 == http::error::bad_value || ec4 == http::error::bad_chunk) {
                  failure = "not an HTTP server at " + where + " (" + request.method + " " +
                            request.url + "): " + ec4.message();
                  return;
                }
                if (ec4) return fail("cannot read the response from", ec4);
                beast::error_code ignored;
                stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
              });
            });
          });
        });
    io.run();
    if (failure) return Status(Code::kUnavailable, *failure);
    HttpResponse out;
    const auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = res.body();
    return out;
  }

  TransportOptions options_;
};

}  // namespace

std::unique_ptr<HttpTransport> make_beast_transport(TransportOptions options) {
  return std::make_unique<BeastTransport>(options);
}

}  // namespace hearth::conformance
