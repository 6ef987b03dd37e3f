// Host matching: case-insensitive names, an entry without a port matching every port.
#include "server/host_check.h"

#include <algorithm>
#include <cctype>

namespace hearth::server {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "name:port" -> "name"; "[::1]:8080" -> "[::1]"; "[::1]" and "name" unchanged.
std::string_view without_port(std::string_view host) {
  const std::size_t colon = host.rfind(':');
  if (colon == std::string_view::npos) return host;
  if (host.front() == '[' && host.find(']') > colon) return host;  // "[::1]" has colons too
  return host.substr(0, colon);
}

// "https://Name:8443/fhir" -> "name:8443".
std::string authority_of(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const std::size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  return lower(rest);
}

}  // namespace

HostPolicy make_host_policy(const std::vector<std::string>& allowed_hosts,
                            std::string_view base_url, bool loopback_bind) {
  HostPolicy policy;
  if (std::find(allowed_hosts.begin(), allowed_hosts.end(), "*") != allowed_hosts.end()) {
    return policy;
  }
  if (allowed_hosts.empty() && !loopback_bind) return policy;
  policy.any = false;
  for (const std::string& host : allowed_hosts) policy.names.push_back(lower(host));
  if (!base_url.empty()) {
    std::string authority = authority_of(base_url);
    if (!authority.empty()) policy.names.push_back(std::move(authority));
  }
  if (allowed_hosts.empty()) {
    for (const char* name : {"localhost", "127.0.0.1", "[::1]"}) policy.names.emplace_back(name);
  }
  return policy;
}

bool host_allowed(const HostPolicy& policy, std::string_view host) {
  if (policy.any || host.empty()) return true;
  const std::string wanted = lower(host);
  const std::string_view name = without_port(wanted);
  return std::any_of(policy.names.begin(), policy.names.end(),
                     [&](const std::string& entry) { return entry == wanted || entry == name; });
}

}  // namespace hearth::server
