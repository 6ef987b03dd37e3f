// Which Host header values the HTTP server answers, against DNS rebinding: a web page on
// evil.example whose name the attacker re-points at 127.0.0.1 can make a browser send requests
// to a loopback Hearth, but they carry "Host: evil.example". Refusing names we do not serve
// (400) stops that page from reading /fhir or /hl7 and from poisoning Location headers.
//
// Policy (decided once at listen time):
//   - "*" in --allowed-hosts: any Host;
//   - otherwise the --allowed-hosts entries ("name": any port, "name:port": that port) and the
//     --base-url authority are served;
//   - with no --allowed-hosts on a loopback bind, the loopback names localhost, 127.0.0.1 and
//     [::1] (any port) are served as well;
//   - with no --allowed-hosts on a non-loopback bind, any Host: such a server is reached under
//     names Hearth cannot know (its addresses, DNS names, a proxy's), and rebinding against a
//     routable server gains the attacker nothing a direct request would not. Operators who
//     want the check there list their names.
// A request without a Host header (HTTP/1.0) is served: browsers always send one.
//
// Thread-safety: a HostPolicy is an immutable value after make_host_policy().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hearth::server {

struct HostPolicy {
  bool any = true;
  std::vector<std::string> names;  // lower case: "name" (any port) or "name:port"
};

// `base_url` may be empty; `loopback_bind`: the HTTP listener's address is a loopback one.
HostPolicy make_host_policy(const std::vector<std::string>& allowed_hosts,
                            std::string_view base_url, bool loopback_bind);

// True when a request with this Host header value (as sent, e.g. "LocalHost:8080") is served.
bool host_allowed(const HostPolicy& policy, std::string_view host);

}  // namespace hearth::server
