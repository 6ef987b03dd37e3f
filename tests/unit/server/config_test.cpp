// Config: --listen parsing, defaults, environment variables, finalize() checks.
#include "server/config.h"

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>

namespace hearth::server {
namespace {

Config parse(std::vector<std::string> args) {
  CLI::App app;
  Config config;
  add_serve_options(app, config);
  std::vector<const char*> argv{"serve"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return config;
}

TEST_CASE("parse_listen_address") {
  auto v4 = parse_listen_address("127.0.0.1:8080");
  REQUIRE(v4.is_ok());
  CHECK(v4->host == "127.0.0.1");
  CHECK(v4->port == 8080);
  auto v6 = parse_listen_address("[::1]:0");
  REQUIRE(v6.is_ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 0);
  auto name = parse_listen_address("localhost:65535");
  REQUIRE(name.is_ok());
  CHECK(name->host == "localhost");
  for (const char* bad : {"8080", "host:", ":80", "host:65536", "host:8x", "host:-1", ""}) {
    CAPTURE(bad);
    auto result = parse_listen_address(bad);
    REQUIRE_FALSE(result.is_ok());
    CHECK(result.status().code() == Code::kInvalidArgument);
  }
}

TEST_CASE("defaults and finalize") {
  Config config = parse({});
  CHECK(config.listen == "127.0.0.1:8080");
  CHECK(config.store == "sqlite:./hearth-data/hearth.db");
  CHECK(config.max_body == 16u * 1024 * 1024);
  CHECK(config.max_buffered_body == 32u * 1024 * 1024);
  REQUIRE(finalize(config).is_ok());
  CHECK(config.threads >= 1);
  CHECK(config.workers == static_cast<int>(std::max(2 * config.threads, 32u)));
}

TEST_CASE("flags") {
  Config config = parse({"--listen", "0.0.0.0:9000", "--store", "sqlite::memory:", "--base-url",
                         "https://example.org/fhir/", "--max-body", "1MiB", "--threads", "3",
                         "--workers", "0", "--max-buffered-body", "8MiB"});
  REQUIRE(finalize(config).is_ok());
  CHECK(config.listen == "0.0.0.0:9000");
  CHECK(config.store == "sqlite::memory:");
  CHECK(config.base_url == "https://example.org/fhir");
  CHECK(config.max_body == 1024 * 1024);
  CHECK(config.max_buffered_body == 8 * 1024 * 1024);
  CHECK(config.threads == 3);
  CHECK(config.workers == 0);
}

TEST_CASE("environment variables, and the command line wins") {
  ::setenv("HEARTH_LISTEN", "127.0.0.1:7000", 1);
  ::setenv("HEARTH_MAX_BODY", "2048", 1);
  ::setenv("HEARTH_WORKERS", "5", 1);
  Config config = parse({"--workers", "7"});
  ::unsetenv("HEARTH_LISTEN");
  ::unsetenv("HEARTH_MAX_BODY");
  ::unsetenv("HEARTH_WORKERS");
  CHECK(config.listen == "127.0.0.1:7000");
  CHECK(config.max_body == 2048);
  CHECK(config.workers == 7);
}

TEST_CASE("finalize rejects bad values") {
  Config bad_listen;
  bad_listen.listen = "nowhere";
  CHECK(finalize(bad_listen).code() == Code::kInvalidArgument);
  Config bad_base;
  bad_base.base_url = "ftp://x";
  CHECK(finalize(bad_base).code() == Code::kInvalidArgument);
  Config zero_body;
  zero_body.max_body = 0;
  CHECK(finalize(zero_body).code() == Code::kInvalidArgument);
  Config zero_budget;
  zero_budget.max_buffered_body = 0;
  CHECK(finalize(zero_budget).code() == Code::kInvalidArgument);
}

}  // namespace
}  // namespace hearth::server

namespace hearth::server {
namespace {

TEST_CASE("MLLP options: defaults, flags, off, and bad values") {
  Config defaults = parse({});
  CHECK(defaults.mllp_listen == "127.0.0.1:2575");
  CHECK(defaults.mllp_max_message == 16ull * 1024 * 1024);
  Config flags = parse({"--mllp-listen", "0.0.0.0:0", "--mllp-max-message", "1MiB", "--mllp-listen",
                        "127.0.0.1:2600"});
  CHECK(flags.mllp_listen == "127.0.0.1:2600");  // the last one wins
  CHECK(flags.mllp_max_message == 1024 * 1024);
  REQUIRE(finalize(flags).is_ok());
  Config off = parse({"--mllp-listen", "off"});
  CHECK(finalize(off).is_ok());
  Config bad = parse({"--mllp-listen", "nowhere"});
  CHECK(finalize(bad).code() == Code::kInvalidArgument);
  Config zero = parse({"--mllp-max-message", "0"});
  CHECK(finalize(zero).code() == Code::kInvalidArgument);
}

TEST_CASE("HL7 accept rules: comma-separated flags and variables, checked by finalize") {
  Config defaults = parse({});
  CHECK(defaults.hl7_accept_types.empty());
  CHECK(defaults.hl7_accept_versions.empty());
  Config flags = parse({"--hl7-accept-types", "ORU^R01,ADT", "--hl7-accept-versions", "2.3,2.5.1"});
  CHECK(flags.hl7_accept_types == std::vector<std::string>{"ORU^R01", "ADT"});
  CHECK(flags.hl7_accept_versions == std::vector<std::string>{"2.3", "2.5.1"});
  CHECK(finalize(flags).is_ok());
  ::setenv("HEARTH_HL7_ACCEPT_TYPES", "SIU^S12,MDM", 1);
  Config env = parse({});
  ::unsetenv("HEARTH_HL7_ACCEPT_TYPES");
  CHECK(env.hl7_accept_types == std::vector<std::string>{"SIU^S12", "MDM"});
  for (const char* bad : {"oru", "ORU^", "ORUR01", "ORU^R01^ORU_R01", ""}) {
    CAPTURE(bad);
    Config c;
    c.hl7_accept_types = {bad};
    CHECK(finalize(c).code() == Code::kInvalidArgument);
  }
  for (const char* bad : {"2.9", "3.0", "2.5.2", "x"}) {
    CAPTURE(bad);
    Config c;
    c.hl7_accept_versions = {bad};
    CHECK(finalize(c).code() == Code::kInvalidArgument);
  }
}

TEST_CASE("bounded time and connection flags: defaults, units, environment, checks") {
  Config defaults = parse({});
  CHECK(defaults.statement_timeout_ms == 10'000);
  CHECK(defaults.mllp_frame_timeout_ms == 60'000);
  CHECK(defaults.max_connections == 1024);
  CHECK(defaults.mllp_max_connections == 256);
  Config set = parse({"--statement-timeout", "2s", "--mllp-frame-timeout", "1min",
                      "--max-connections", "10", "--mllp-max-connections", "3"});
  REQUIRE(finalize(set).is_ok());
  CHECK(set.statement_timeout_ms == 2'000);
  CHECK(set.mllp_frame_timeout_ms == 60'000);
  CHECK(set.max_connections == 10);
  CHECK(set.mllp_max_connections == 3);
  CHECK(parse({"--statement-timeout", "250"}).statement_timeout_ms == 250);  // plain: ms
  CHECK(parse({"--statement-timeout", "0"}).statement_timeout_ms == 0);      // no limit
  ::setenv("HEARTH_STATEMENT_TIMEOUT", "750ms", 1);
  CHECK(parse({}).statement_timeout_ms == 750);
  ::unsetenv("HEARTH_STATEMENT_TIMEOUT");
  Config zero_frame = parse({"--mllp-frame-timeout", "0"});
  CHECK(finalize(zero_frame).code() == Code::kInvalidArgument);
  Config zero_cap = parse({"--max-connections", "0"});
  CHECK(finalize(zero_cap).code() == Code::kInvalidArgument);
  CHECK_THROWS(parse({"--statement-timeout", "5parsecs"}));
}

}  // namespace
}  // namespace hearth::server

namespace hearth::server {
namespace {

TEST_CASE("--allowed-hosts and --log-query-values: flags, variables, defaults") {
  Config defaults = parse({});
  CHECK(defaults.allowed_hosts.empty());
  CHECK_FALSE(defaults.log_query_values);
  Config flags =
      parse({"--allowed-hosts", "fhir.example.org, localhost:8080", "--log-query-values"});
  REQUIRE(finalize(flags).is_ok());
  CHECK(flags.allowed_hosts == std::vector<std::string>{"fhir.example.org", "localhost:8080"});
  CHECK(flags.log_query_values);
  ::setenv("HEARTH_ALLOWED_HOSTS", "*", 1);
  ::setenv("HEARTH_LOG_QUERY_VALUES", "true", 1);
  Config env = parse({});
  ::unsetenv("HEARTH_ALLOWED_HOSTS");
  ::unsetenv("HEARTH_LOG_QUERY_VALUES");
  CHECK(env.allowed_hosts == std::vector<std::string>{"*"});
  CHECK(env.log_query_values);
  Config empty;
  empty.allowed_hosts = {" "};
  CHECK(finalize(empty).code() == Code::kInvalidArgument);
}

}  // namespace
}  // namespace hearth::server

namespace hearth::server {
namespace {

TEST_CASE("TLS and auth flags: defaults, environment, and the pairs finalize insists on") {
  Config defaults = parse({});
  CHECK(defaults.tls_listen == "off");
  CHECK(defaults.mllp_tls_listen == "off");
  CHECK(defaults.auth == "none");
  CHECK_FALSE(defaults.insecure_no_auth);
  REQUIRE(finalize(defaults).is_ok());

  auto refused = [](std::vector<std::string> args, std::string_view needle) {
    Config config = parse(std::move(args));
    Status status = finalize(config);
    CHECK(status.code() == Code::kInvalidArgument);
    CHECK_MESSAGE(status.message().find(needle) != std::string::npos, status.message());
  };
  refused({"--tls-listen", "127.0.0.1:8443"}, "--tls-cert");
  refused({"--mllp-tls-listen", "127.0.0.1:2576", "--tls-cert", "c.pem"}, "--tls-key");
  refused({"--tls-cert", "c.pem", "--tls-key", "k.pem"}, "--tls-listen");
  refused({"--tls-listen", "nowhere", "--tls-cert", "c", "--tls-key", "k"}, "--tls-listen");
  refused({"--mllp-client-ca", "ca.pem"}, "--mllp-tls-listen");
  refused({"--auth", "jwt", "--jwks-file", "j.json", "--issuer", "i"}, "--audience");
  refused({"--auth", "jwt", "--jwks-file", "j.json", "--jwks-url", "https://idp/keys", "--issuer",
           "i", "--audience", "a"},
          "one of --jwks-file FILE and --jwks-url URL");
  refused({"--auth", "jwt", "--jwks-url", "http://idp/keys", "--issuer", "i", "--audience", "a"},
          "http:// is allowed for 127.0.0.1 alone");
  refused({"--jwks-url", "https://idp/keys"}, "--auth jwt");
  Config by_url = parse({"--auth", "jwt", "--jwks-url", "https://idp.example.org/keys", "--issuer",
                         "i", "--audience", "a"});
  CHECK(finalize(by_url).is_ok());
  refused({"--audience", "a"}, "--auth jwt");
  refused({"--oauth-token-url", "https://idp/token"}, "--auth jwt");
  CHECK_THROWS(parse({"--auth", "basic"}));

  Config tls = parse({"--tls-listen", "127.0.0.1:8443", "--mllp-tls-listen", "[::1]:2576",
                      "--tls-cert", "c.pem", "--tls-key", "k.pem", "--mllp-client-ca", "ca.pem"});
  CHECK(finalize(tls).is_ok());
  ::setenv("HEARTH_AUTH", "jwt", 1);
  ::setenv("HEARTH_JWKS_FILE", "j.json", 1);
  ::setenv("HEARTH_ISSUER", "https://idp", 1);
  ::setenv("HEARTH_AUDIENCE", "hearth", 1);
  ::setenv("HEARTH_INSECURE_NO_AUTH", "true", 1);
  Config env = parse({});
  for (const char* name : {"HEARTH_AUTH", "HEARTH_JWKS_FILE", "HEARTH_ISSUER", "HEARTH_AUDIENCE",
                           "HEARTH_INSECURE_NO_AUTH"}) {
    ::unsetenv(name);
  }
  CHECK(env.auth == "jwt");
  CHECK(env.issuer == "https://idp");
  CHECK(env.insecure_no_auth);
  CHECK(finalize(env).is_ok());
}

TEST_CASE("config: the audit trail and the administrator claim") {
  Config defaults = parse({});
  CHECK(defaults.audit == "auto");
  CHECK(defaults.audit_file.empty());
  CHECK(defaults.admin_claim == "scope");
  CHECK(defaults.admin_value == "hearth/admin");
  Config set = parse({"--audit", "on", "--audit-file", "/var/log/audit.jsonl", "--admin-claim",
                      "realm_access.roles", "--admin-value", "hl7-admin"});
  CHECK(finalize(set).is_ok());
  CHECK(set.audit_file == "/var/log/audit.jsonl");
  CHECK(set.admin_claim == "realm_access.roles");
  CHECK_THROWS(parse({"--audit", "sometimes"}));
  Config off = parse({"--audit", "off", "--audit-file", "a.jsonl"});
  Status refused = finalize(off);
  CHECK(refused.code() == Code::kInvalidArgument);
  CHECK(refused.message().find("--audit-file") != std::string::npos);
  ::setenv("HEARTH_AUDIT", "off", 1);
  Config env = parse({});
  ::unsetenv("HEARTH_AUDIT");
  CHECK(env.audit == "off");
}

}  // namespace
}  // namespace hearth::server

namespace hearth::server {

TEST_CASE("--hl7-system-base: repeatable FACILITY=URI, parsed and checked by finalize") {
  Config none = parse({});
  CHECK(finalize(none).is_ok());
  CHECK(none.hl7_system_bases.empty());
  Config two = parse({"--hl7-system-base", "GHH Lab=https://ghh.example.org/id/",
                      "--hl7-system-base", "*=urn:example:default"});
  REQUIRE(finalize(two).is_ok());
  REQUIRE(two.hl7_system_bases.size() == 2);
  CHECK(two.hl7_system_bases[0].facility == "GHH Lab");
  CHECK(two.hl7_system_bases[0].uri == "https://ghh.example.org/id");  // trailing '/' dropped
  CHECK(two.hl7_system_bases[1].facility == "*");
  for (const char* bad : {"GHH", "=https://x.org", "GHH=not a uri", "GHH=", "GHH=relative/path"}) {
    CAPTURE(bad);
    Config c = parse({"--hl7-system-base", bad});
    CHECK(finalize(c).code() == Code::kInvalidArgument);
  }
  Config twice =
      parse({"--hl7-system-base", "A=https://a.org", "--hl7-system-base", "A=https://b.org"});
  CHECK(finalize(twice).code() == Code::kInvalidArgument);
}

}  // namespace hearth::server

namespace hearth::server {
namespace {

TEST_CASE("--tenancy: none by default, url by flag or variable, nothing else") {
  CHECK(parse({}).tenancy == "none");
  CHECK(parse({"--tenancy", "url"}).tenancy == "url");
  ::setenv("HEARTH_TENANCY", "url", 1);
  CHECK(parse({}).tenancy == "url");
  CHECK(parse({"--tenancy", "none"}).tenancy == "none");
  ::unsetenv("HEARTH_TENANCY");
  CHECK_THROWS(parse({"--tenancy", "header"}));
}

TEST_CASE("--tenant-claim and --mllp-tenant: checked together with --tenancy and --auth") {
  auto checked = [](std::vector<std::string> args) {
    Config config = parse(std::move(args));
    return finalize(config);
  };
  CHECK(checked({"--tenancy", "url", "--mllp-tenant", "lab-1"}).is_ok());
  CHECK(checked({"--tenancy", "url", "--mllp-listen", "off"}).is_ok());
  Status no_inbox = checked({"--tenancy", "url"});  // MLLP on by default: where would it go?
  CHECK(no_inbox.code() == Code::kInvalidArgument);
  CHECK(no_inbox.message().find("--mllp-tenant") != std::string::npos);
  CHECK(checked({"--tenancy", "url", "--mllp-tenant", "Patient"}).code() == Code::kInvalidArgument);
  CHECK(checked({"--tenancy", "url", "--mllp-tenant", "a b"}).code() == Code::kInvalidArgument);
  CHECK(checked({"--mllp-tenant", "lab"}).code() == Code::kInvalidArgument);
  CHECK(checked({"--tenant-claim", "tenants"}).code() == Code::kInvalidArgument);
  CHECK(checked({"--tenancy", "url", "--mllp-listen", "off", "--tenant-claim", "tenants"}).code() ==
        Code::kInvalidArgument);  // no --auth jwt
  ::setenv("HEARTH_TENANT_CLAIM", "tenants", 1);
  ::setenv("HEARTH_MLLP_TENANT", "lab", 1);
  Config env = parse({});
  ::unsetenv("HEARTH_TENANT_CLAIM");
  ::unsetenv("HEARTH_MLLP_TENANT");
  CHECK(env.tenant_claim == "tenants");
  CHECK(env.mllp_tenant == "lab");
}

TEST_CASE("--mllp-cert-tenant: a known attribute, with --tenancy url and --mllp-client-ca") {
  auto checked = [](std::vector<std::string> args) {
    Config config = parse(std::move(args));
    return finalize(config);
  };
  const std::vector<std::string> mutual = {
      "--tenancy", "url",   "--mllp-tls-listen", "127.0.0.1:0", "--tls-cert",    "s.pem",
      "--tls-key", "s.key", "--mllp-client-ca",  "ca.pem",      "--mllp-listen", "off"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = mutual;
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  CHECK(checked(with({"--mllp-cert-tenant", "O"})).is_ok());
  CHECK(checked(with({"--mllp-cert-tenant", "organizationalUnitName"})).is_ok());
  // Without it the TLS listener has no tenant either.
  Status no_tenant = checked(mutual);
  CHECK(no_tenant.code() == Code::kInvalidArgument);
  CHECK(no_tenant.message().find("--mllp-cert-tenant") != std::string::npos);
  Status unknown = checked(with({"--mllp-cert-tenant", "Tenant"}));
  CHECK(unknown.code() == Code::kInvalidArgument);
  CHECK(unknown.message().find("'Tenant'") != std::string::npos);
  // The plain listener still needs --mllp-tenant.
  std::vector<std::string> plain_on = with({"--mllp-cert-tenant", "O"});
  plain_on.erase(plain_on.end() - 4, plain_on.end() - 2);  // drop "--mllp-listen off"
  CHECK(checked(plain_on).code() == Code::kInvalidArgument);
  plain_on.insert(plain_on.end(), {"--mllp-tenant", "walk-in"});
  CHECK(checked(plain_on).is_ok());
  // No verified certificate, nothing to read the tenant from.
  std::vector<std::string> no_ca = with({"--mllp-cert-tenant", "O"});
  no_ca.erase(no_ca.begin() + 8, no_ca.begin() + 10);
  Status unverified = checked(no_ca);
  CHECK(unverified.code() == Code::kInvalidArgument);
  CHECK(unverified.message().find("--mllp-client-ca") != std::string::npos);
  CHECK(checked({"--mllp-cert-tenant", "O", "--mllp-listen", "off"}).code() ==
        Code::kInvalidArgument);  // no --tenancy url
}

}  // namespace
}  // namespace hearth::server
