// URL parsing and header lookup shared by every transport.
#include "conformance/http_transport.h"

#include <algorithm>
#include <cctype>

namespace hearth::conformance {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

const std::string* find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return &value;
  }
  return nullptr;
}

Result<Url> parse_url(std::string_view url) {
  Url out;
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    out.scheme = "http";
    out.port = "80";
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    out.scheme = "https";
    out.port = "443";
    rest = url.substr(8);
  } else {
    return Status(Code::kInvalidArgument,
                  "not an http:// or https:// URL: '" + std::string(url) + "'");
  }
  std::size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!out.target.empty() && out.target[0] == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return Status(Code::kInvalidArgument,
                  "user info in URLs is not supported: '" + std::string(url) + "'");
  }
  std::size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Status(Code::kInvalidArgument, "bad IPv6 host in '" + std::string(url) + "'");
    }
    out.host = std::string(authority.substr(1, close - 1));
    colon = authority.find(':', close);
  } else {
    out.host = std::string(authority.substr(0, colon));
  }
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Status(Code::kInvalidArgument, "bad port in '" + std::string(url) + "'");
    }
    out.port = std::string(port);
  }
  if (out.host.empty()) {
    return Status(Code::kInvalidArgument, "no host in '" + std::string(url) + "'");
  }
  return out;
}

}  // namespace hearth::conformance
