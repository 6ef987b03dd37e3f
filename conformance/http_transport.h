// The conformance runner's view of HTTP: one request value in, one response value (or an error)
// out. The engine only talks to this interface, so tests drive it with a scripted fake and the
// CLI with the Beast client (beast_transport.h).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace hearth::conformance {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string url;     // absolute: http://host:port/path?query
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// The first header called `name` (case-insensitive), or nullptr.
const std::string* find_header(const Headers& headers, std::string_view name);

// An absolute http(s) URL split into its parts; `target` is the path plus query ("/" at least).
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;
  std::string port;  // "80"/"443" when the URL has none
  std::string target;
};

// Errors: kInvalidArgument for anything but http:// or https:// with a host.
Result<Url> parse_url(std::string_view url);

// Thread-safety: an implementation may be used by one thread at a time.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Sends `request` and returns the response, whatever its status. Errors (never exceptions):
  // kUnavailable when the server cannot be reached, times out, closes the connection or answers
  // with something that is not HTTP; kInvalidArgument for a bad URL; kNotImplemented for a
  // scheme the transport does not speak. The message names the URL and the cause.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace hearth::conformance
