// Flags and environment variables for `hearth serve` and `hearth migrate`, and the checks that
// turn them into a valid Config.
#include "server/config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <map>
#include <thread>

#include "hl7/v2/message.h"
#include "server/auth/jwks_fetch.h"
#include "server/tenant_path.h"
#include "server/tls_context.h"

namespace hearth::server {

void add_store_option(CLI::App& app, Config& config) {
  app.add_option("--store", config.store,
                 "Store URL: sqlite:PATH, sqlite::memory: or postgresql://user:pass@host:port/db")
      ->envname("HEARTH_STORE")
      ->capture_default_str();
  app.add_option("--blob-dir", config.blob_dir,
                 "Directory for Binary contents and large attachment data (docs/storage.md); "
                 "default: in the database. A store written with it must always be opened with it")
      ->envname("HEARTH_BLOB_DIR");
}

namespace {

// The bounds on what one FHIR request may make the server hold (api/rest/rest_limits.h).
void add_limit_options(CLI::App& app, api::RestLimits& limits) {
  app.add_option("--search-max-params", limits.search.max_params,
                 "Search parameters per search (result parameters such as _sort not counted); "
                 "400 beyond")
      ->envname("HEARTH_SEARCH_MAX_PARAMS")
      ->capture_default_str();
  app.add_option("--search-max-values", limits.search.max_values,
                 "Comma-separated values of one search parameter; 400 beyond")
      ->envname("HEARTH_SEARCH_MAX_VALUES")
      ->capture_default_str();
  app.add_option("--search-max-sort", limits.search.max_sort, "_sort keys per search; 400 beyond")
      ->envname("HEARTH_SEARCH_MAX_SORT")
      ->check(CLI::Range(1, 500))  // two ORDER BY terms a key; SQLite allows 2,000 terms
      ->capture_default_str();
  app.add_option("--xml-max-nodes", limits.xml.max_nodes,
                 "Elements + attributes + comments of an XML body; 413 beyond")
      ->envname("HEARTH_XML_MAX_NODES")
      ->capture_default_str();
  app.add_option("--xml-max-depth", limits.xml.max_depth,
                 "Element nesting of an XML body; 400 beyond")
      ->envname("HEARTH_XML_MAX_DEPTH")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--max-index-rows", limits.max_index_rows,
                 "Search index rows one created or updated resource may produce; 422 beyond")
      ->envname("HEARTH_MAX_INDEX_ROWS")
      ->capture_default_str();
  app.add_option("--conditional-delete-max", limits.max_conditional_deletes,
                 "Resources one conditional delete (DELETE [type]?criteria) may delete; 412 "
                 "when more match (1: FHIR's single-match rule)")
      ->envname("HEARTH_CONDITIONAL_DELETE_MAX")
      ->check(CLI::Range(std::size_t{1}, std::size_t{999}))
      ->capture_default_str();
  app.add_flag("--enforce-profiles", limits.enforce_profiles,
               "Refuse (422) a create or update that breaks a profile it claims in meta.profile "
               "(StructureDefinitions stored in Hearth, or shipped in the R4 package)")
      ->envname("HEARTH_ENFORCE_PROFILES");
}

// The tenant flags together (docs/tenancy.md).
Status check_tenancy(const Config& config) {
  const bool url = config.tenancy == "url";
  if (!url && !(config.tenant_claim + config.mllp_tenant + config.mllp_cert_tenant).empty()) {
    return Status(Code::kInvalidArgument,
                  "--tenant-claim, --mllp-tenant and --mllp-cert-tenant go with --tenancy url");
  }
  if (!config.mllp_cert_tenant.empty()) {
    if (config.mllp_client_ca.empty()) {
      return Status(Code::kInvalidArgument,
                    "--mllp-cert-tenant reads verified client certificates: add --mllp-client-ca");
    }
    if (!is_known_attribute(config.mllp_cert_tenant)) {
      return Status(Code::kInvalidArgument,
                    "--mllp-cert-tenant: no certificate attribute is called '" +
                        config.mllp_cert_tenant + "' (e.g. O, OU, CN)");
    }
  }
  if (!config.tenant_claim.empty() && config.auth != "jwt") {
    return Status(Code::kInvalidArgument, "--tenant-claim reads bearer tokens: add --auth jwt");
  }
  // A listener whose messages have no tenant would archive them in tenant "", which no URL names.
  const bool tenantless = config.mllp_listen != "off" ||
                          (config.mllp_tls_listen != "off" && config.mllp_cert_tenant.empty());
  if (url && tenantless && config.mllp_tenant.empty()) {
    return Status(Code::kInvalidArgument,
                  "--tenancy url: MLLP messages need a tenant, --mllp-tenant NAME (on MLLP/TLS "
                  "also --mllp-cert-tenant ATTRIBUTE; or --mllp-listen off and --mllp-tls-listen "
                  "off)");
  }
  if (!config.mllp_tenant.empty()) {
    if (Status name = check_tenant_name(config.mllp_tenant); !name.is_ok()) {
      return Status(Code::kInvalidArgument, "--mllp-tenant: " + name.message());
    }
  }
  return Status::ok();
}

}  // namespace

void add_serve_options(CLI::App& app, Config& config) {
  app.add_option("--listen", config.listen, "Address to listen on, HOST:PORT (port 0: ephemeral)")
      ->envname("HEARTH_LISTEN")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->capture_default_str();
  add_store_option(app, config);
  app.add_option("--base-url", config.base_url,
                 "Public base URL for links (default: http://<Host header>/fhir)")
      ->envname("HEARTH_BASE_URL");
  app.add_option("--tenancy", config.tenancy,
                 "Tenants: none (one tenant), or url (every path names its tenant first: "
                 "/fhir/[tenant]/..., /hl7/[tenant]/..., /x12/[tenant])")
      ->envname("HEARTH_TENANCY")
      ->check(CLI::IsMember({"none", "url"}))
      ->capture_default_str();
  app.add_option("--tenant-claim", config.tenant_claim,
                 "With --tenancy url and --auth jwt: the token claim listing the tenants its "
                 "bearer may use (an array, or a space-separated string; a dotted name walks "
                 "objects); other tenants are 403")
      ->envname("HEARTH_TENANT_CLAIM");
  app.add_option("--mllp-tenant", config.mllp_tenant,
                 "With --tenancy url: the tenant HL7 v2 messages received over MLLP (both "
                 "listeners) land in")
      ->envname("HEARTH_MLLP_TENANT");
  app.add_option("--mllp-cert-tenant", config.mllp_cert_tenant,
                 "With --tenancy url and --mllp-client-ca: the subject attribute of the client "
                 "certificate (e.g. O, OU, CN) naming the tenant of an MLLP/TLS connection's "
                 "messages (instead of --mllp-tenant); a certificate without exactly one is "
                 "refused")
      ->envname("HEARTH_MLLP_CERT_TENANT");
  app.add_option("--max-body", config.max_body,
                 "Largest request body accepted, in bytes (suffixes: KiB, MiB, ...); 413 beyond")
      ->envname("HEARTH_MAX_BODY")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--max-buffered-body", config.max_buffered_body,
                 "Request body bytes all HTTP connections may hold at once (suffixes: KiB, MiB, "
                 "...); a body that does not fit waits for room, up to 30 s, then gets 503")
      ->envname("HEARTH_MAX_BUFFERED_BODY")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--mllp-max-buffered", config.mllp_max_buffered,
                 "Bytes of unfinished MLLP frames (past each frame's first 1 MiB) all MLLP "
                 "connections may hold at once (suffixes: KiB, MiB, ...); a sender that finds no "
                 "room is not read until there is, within --mllp-frame-timeout")
      ->envname("HEARTH_MLLP_MAX_BUFFERED")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--threads", config.threads, "I/O threads (default: number of cores)")
      ->envname("HEARTH_THREADS");
  app.add_option("--workers", config.workers,
                 "Worker threads for store calls (default: 32, or 2 x cores when more; 0: run "
                 "inline on I/O threads)")
      ->envname("HEARTH_WORKERS")
      ->check(CLI::Range(0, 4096));
  app.add_option("--mllp-listen", config.mllp_listen,
                 "MLLP (HL7 v2) address, HOST:PORT (port 0: ephemeral), or 'off'")
      ->envname("HEARTH_MLLP_LISTEN")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->capture_default_str();
  app.add_option("--tls-listen", config.tls_listen,
                 "HTTPS address, HOST:PORT (port 0: ephemeral), or 'off'; needs --tls-cert and "
                 "--tls-key. The plain --listen stays open")
      ->envname("HEARTH_TLS_LISTEN")
      ->capture_default_str();
  app.add_option("--mllp-tls-listen", config.mllp_tls_listen,
                 "MLLP over TLS address, HOST:PORT (port 0: ephemeral), or 'off'; needs "
                 "--tls-cert and --tls-key")
      ->envname("HEARTH_MLLP_TLS_LISTEN")
      ->capture_default_str();
  app.add_option("--tls-cert", config.tls_cert,
                 "PEM certificate chain (leaf first) of the TLS listeners; re-read on SIGHUP")
      ->envname("HEARTH_TLS_CERT");
  app.add_option("--tls-key", config.tls_key,
                 "PEM private key of --tls-cert (unencrypted); re-read on SIGHUP")
      ->envname("HEARTH_TLS_KEY");
  app.add_option("--mllp-client-ca", config.mllp_client_ca,
                 "PEM CA certificates: MLLP/TLS clients must present a certificate they issued "
                 "(mutual TLS); its subject is archived as the message's sender identity")
      ->envname("HEARTH_MLLP_CLIENT_CA");
  app.add_option("--auth", config.auth,
                 "How HTTP clients authenticate: none, or jwt (bearer JWTs, RS256/ES256, checked "
                 "against --jwks-file, --issuer and --audience)")
      ->envname("HEARTH_AUTH")
      ->check(CLI::IsMember({"none", "jwt"}))
      ->capture_default_str();
  app.add_option("--jwks-file", config.jwks_file,
                 "JSON Web Key Set of the keys that sign bearer tokens (--auth jwt)")
      ->envname("HEARTH_JWKS_FILE");
  app.add_option("--jwks-url", config.jwks_url,
                 "URL of the JSON Web Key Set (--auth jwt): https://, or http://127.0.0.1 only; "
                 "fetched at start, again for an unknown kid (at most every 10 s) and hourly")
      ->envname("HEARTH_JWKS_URL");
  app.add_option("--issuer", config.issuer, "The \"iss\" every bearer token must carry")
      ->envname("HEARTH_ISSUER");
  app.add_option("--audience", config.audience,
                 "The \"aud\" every bearer token must carry (this server's identifier)")
      ->envname("HEARTH_AUDIENCE");
  app.add_option("--audit", config.audit,
                 "Record every access as a FHIR AuditEvent in the store: on, off, or auto (on "
                 "with --auth jwt)")
      ->envname("HEARTH_AUDIT")
      ->check(CLI::IsMember({"auto", "on", "off"}))
      ->capture_default_str();
  app.add_option("--audit-file", config.audit_file,
                 "Also append every AuditEvent as one JSON line to this file (for a SIEM)")
      ->envname("HEARTH_AUDIT_FILE");
  app.add_option("--admin-claim", config.admin_claim,
                 "The token claim that marks an administrator, who may use the /hl7 operating "
                 "API (a dotted name walks objects: realm_access.roles)")
      ->envname("HEARTH_ADMIN_CLAIM")
      ->capture_default_str();
  app.add_option("--admin-value", config.admin_value,
                 "The value --admin-claim must hold (a word of \"scope\", or the string or an "
                 "array element of another claim)")
      ->envname("HEARTH_ADMIN_VALUE")
      ->capture_default_str();
  app.add_option("--oauth-authorize-url", config.oauth_authorize_url,
                 "The authorization server's authorize endpoint, published for SMART clients")
      ->envname("HEARTH_OAUTH_AUTHORIZE_URL");
  app.add_option("--oauth-token-url", config.oauth_token_url,
                 "The authorization server's token endpoint, published for SMART clients")
      ->envname("HEARTH_OAUTH_TOKEN_URL");
  app.add_flag("--insecure-no-auth", config.insecure_no_auth,
               "Allow listeners on addresses beyond loopback that do not authenticate clients "
               "(HTTP with --auth none, MLLP without --mllp-client-ca)")
      ->envname("HEARTH_INSECURE_NO_AUTH");
  app.add_option("--mllp-max-message", config.mllp_max_message,
                 "Largest HL7 v2 message accepted over MLLP, in bytes (suffixes: KiB, MiB, ...)")
      ->envname("HEARTH_MLLP_MAX_MESSAGE")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--hl7-accept-types", config.hl7_accept_types,
                 "Accepted HL7 v2 message types, comma-separated: ORU^R01 (one event) or ADT "
                 "(all its events); default all. Others get AR (ERR 200)")
      ->envname("HEARTH_HL7_ACCEPT_TYPES")
      ->delimiter(',');
  app.add_option("--hl7-accept-versions", config.hl7_accept_versions,
                 "Accepted HL7 v2 versions (MSH-12), comma-separated, e.g. 2.3,2.5.1; default "
                 "all from 2.1 to 2.8.2. Others get AR (ERR 203)")
      ->envname("HEARTH_HL7_ACCEPT_VERSIONS")
      ->delimiter(',');
  app.add_option("--hl7-duplicate-control-id", config.hl7_duplicate_control_id,
                 "A control id (MSH-10) reused by a sender for a different message: 'accept' "
                 "it as a new message, flagged control-id-reused in the archive, or 'reject' "
                 "it with AE (ERR 205)")
      ->envname("HEARTH_HL7_DUPLICATE_CONTROL_ID")
      ->check(CLI::IsMember({"accept", "reject"}))
      ->capture_default_str();
  app.add_option("--hl7-mapping", config.hl7_mapping,
                 "Accepted HL7 v2 messages are mapped to FHIR resources in the transaction that "
                 "archives them ('map'), or only archived ('off')")
      ->envname("HEARTH_HL7_MAPPING")
      ->check(CLI::IsMember({"map", "off"}))
      ->capture_default_str();
  app.add_option("--hl7-unmapped", config.hl7_unmapped,
                 "A message type the V2-to-FHIR IG has no map for: 'accept' it (archived, "
                 "noted unmapped) or 'reject' it with AR (ERR 200)")
      ->envname("HEARTH_HL7_UNMAPPED")
      ->check(CLI::IsMember({"accept", "reject"}))
      ->capture_default_str();
  app.add_option("--hl7-system-base", config.hl7_system_base_flags,
                 "FACILITY=URI, repeatable: identifiers of HL7 v2 messages from that sending "
                 "facility (MSH-4.1 or MSH-4.2; * for any other) whose assigning authority is a "
                 "local namespace get the system URI/<namespace>, and those without one URI "
                 "(patients, visits, orders, reports, appointments, accounts found again by it)")
      ->take_all();
  app.add_option("--allowed-hosts", config.allowed_hosts,
                 "Host header values served, comma-separated: NAME (any port), NAME:PORT or * "
                 "(any); others get 400. Default: loopback names on a loopback bind, else any")
      ->envname("HEARTH_ALLOWED_HOSTS")
      ->delimiter(',');
  app.add_flag("--log-query-values", config.log_query_values,
               "Write query parameter values (PHI) to the access log, for debugging")
      ->envname("HEARTH_LOG_QUERY_VALUES");
  app.add_option("--log-format", config.log_format,
                 "Log lines as text ('hearth: GET /fhir/Patient 200 1ms id=...') or json (one "
                 "object per line: time, level, event, request_id, route, status, latency_us, "
                 "peer)")
      ->envname("HEARTH_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  const std::map<std::string, std::uint64_t> millis{{"ms", 1}, {"s", 1000}, {"min", 60'000}};
  app.add_option("--statement-timeout", config.statement_timeout_ms,
                 "Time limit of each store call (ms; suffixes ms, s, min; 0: none); past it 503 "
                 "or an HL7 negative ACK, and a write is rolled back whole")
      ->envname("HEARTH_STATEMENT_TIMEOUT")
      ->transform(CLI::AsNumberWithUnit(millis))
      ->capture_default_str();
  app.add_option("--export-dir", config.export_dir,
                 "Directory of the Bulk Data $export files (default: bulk-export/ beside a SQLite "
                 "store's file, else $TMPDIR/hearth-bulk-export); share it between replicas to "
                 "let any replica answer a job's status")
      ->envname("HEARTH_EXPORT_DIR");
  app.add_option("--export-max-jobs", config.export_max_jobs,
                 "Bulk Data exports running at once in this process; a kick-off beyond is 503 "
                 "with Retry-After")
      ->envname("HEARTH_EXPORT_MAX_JOBS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--export-expiry", config.export_expiry_s,
                 "How long a finished export's files are kept (s; suffixes s, min, h)")
      ->envname("HEARTH_EXPORT_EXPIRY")
      ->transform(CLI::AsNumberWithUnit(
          std::map<std::string, std::uint64_t>{{"s", 1}, {"min", 60}, {"h", 3600}}))
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{30} * 24 * 3600))
      ->capture_default_str();
  app.add_option("--mllp-frame-timeout", config.mllp_frame_timeout_ms,
                 "An MLLP frame must complete within this from its first byte (ms; suffixes ms, "
                 "s, min), else the connection is closed and the partial frame dropped")
      ->envname("HEARTH_MLLP_FRAME_TIMEOUT")
      ->transform(CLI::AsNumberWithUnit(millis))
      ->capture_default_str();
  app.add_option("--max-connections", config.max_connections,
                 "HTTP connections served at once; more are accepted and closed at once")
      ->envname("HEARTH_MAX_CONNECTIONS")
      ->capture_default_str();
  app.add_option("--mllp-max-connections", config.mllp_max_connections,
                 "MLLP connections served at once; more are accepted and closed at once")
      ->envname("HEARTH_MLLP_MAX_CONNECTIONS")
      ->capture_default_str();
  add_limit_options(app, config.rest_limits);
}

namespace {

// "ORU" or "ORU^R01": a 3-character message code, optionally ^ and a 3-character event.
bool is_message_type(std::string_view text) {
  auto code = [](std::string_view part) {
    return part.size() == 3 && std::all_of(part.begin(), part.end(), [](char c) {
             return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
           });
  };
  if (text.size() == 3) return code(text);
  return text.size() == 7 && text[3] == '^' && code(text.substr(0, 3)) && code(text.substr(4));
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Status(Code::kInvalidArgument,
                  "listen address needs HOST:PORT: '" + std::string(text) + "'");
  }
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (host.empty() || port_text.empty() || ec != std::errc() ||
      end != port_text.data() + port_text.size() || port > 65535) {
    return Status(Code::kInvalidArgument, "bad listen address '" + std::string(text) +
                                              "' (expected HOST:PORT, port 0-65535)");
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

Status finalize(Config& config) {
  auto address = parse_listen_address(config.listen);
  if (!address) return address.status();
  if (config.mllp_listen != "off") {
    auto mllp = parse_listen_address(config.mllp_listen);
    if (!mllp) {
      return Status(Code::kInvalidArgument, "--mllp-listen: " + mllp.status().message());
    }
  }
  for (auto [flag, value] : {std::pair{"--tls-listen", &config.tls_listen},
                             std::pair{"--mllp-tls-listen", &config.mllp_tls_listen}}) {
    if (*value == "off") continue;
    auto parsed = parse_listen_address(*value);
    if (!parsed) return Status(Code::kInvalidArgument, flag + (": " + parsed.status().message()));
  }
  const bool tls_listener = config.tls_listen != "off" || config.mllp_tls_listen != "off";
  if (tls_listener && (config.tls_cert.empty() || config.tls_key.empty())) {
    return Status(Code::kInvalidArgument,
                  "--tls-listen and --mllp-tls-listen need --tls-cert FILE and --tls-key FILE");
  }
  if (!tls_listener && (!config.tls_cert.empty() || !config.tls_key.empty())) {
    return Status(Code::kInvalidArgument,
                  "--tls-cert and --tls-key serve a TLS listener: add --tls-listen HOST:PORT "
                  "(HTTPS) or --mllp-tls-listen HOST:PORT");
  }
  if (!config.mllp_client_ca.empty() && config.mllp_tls_listen == "off") {
    return Status(Code::kInvalidArgument, "--mllp-client-ca needs --mllp-tls-listen HOST:PORT");
  }
  if (config.auth == "jwt") {
    if (config.jwks_file.empty() == config.jwks_url.empty() || config.issuer.empty() ||
        config.audience.empty()) {
      return Status(Code::kInvalidArgument,
                    "--auth jwt needs one of --jwks-file FILE and --jwks-url URL, --issuer ISS and "
                    "--audience AUD");
    }
    if (!config.jwks_url.empty()) {
      HEARTH_RETURN_IF_ERROR(auth::parse_jwks_url(config.jwks_url).status());
    }
  } else if (!(config.jwks_file + config.jwks_url + config.issuer + config.audience +
               config.oauth_authorize_url + config.oauth_token_url)
                  .empty()) {
    return Status(Code::kInvalidArgument,
                  "--jwks-file, --jwks-url, --issuer, --audience and --oauth-*-url go with "
                  "--auth jwt");
  }
  HEARTH_RETURN_IF_ERROR(check_tenancy(config));
  if (!config.audit_file.empty() && config.audit == "off") {
    return Status(Code::kInvalidArgument, "--audit-file needs the audit trail (--audit on)");
  }
  if (config.mllp_max_message == 0) {
    return Status(Code::kInvalidArgument, "--mllp-max-message must be > 0");
  }
  if (!config.base_url.empty()) {
    if (config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0) {
      return Status(Code::kInvalidArgument,
                    "--base-url must start with http:// or https://: '" + config.base_url + "'");
    }
    while (config.base_url.ends_with('/')) config.base_url.pop_back();
  }
  if (config.max_body == 0) return Status(Code::kInvalidArgument, "--max-body must be > 0");
  if (config.mllp_max_buffered == 0) {
    return Status(Code::kInvalidArgument, "--mllp-max-buffered must be > 0");
  }
  if (config.max_buffered_body == 0) {
    return Status(Code::kInvalidArgument, "--max-buffered-body must be > 0");
  }
  if (config.mllp_frame_timeout_ms == 0) {
    return Status(Code::kInvalidArgument, "--mllp-frame-timeout must be > 0");
  }
  if (config.max_connections == 0 || config.mllp_max_connections == 0) {
    return Status(Code::kInvalidArgument,
                  "--max-connections and --mllp-max-connections must be > 0");
  }
  const api::RestLimits& limits = config.rest_limits;
  if (limits.search.max_params == 0 || limits.search.max_values == 0 ||
      limits.search.max_sort == 0 || limits.xml.max_nodes == 0 || limits.max_index_rows == 0) {
    return Status(Code::kInvalidArgument,
                  "--search-max-params, --search-max-values, --search-max-sort, --xml-max-nodes "
                  "and --max-index-rows must be > 0");
  }
  config.hl7_system_bases.clear();
  for (const std::string& flag : config.hl7_system_base_flags) {
    Result<hl7::to_fhir::SystemBase> base = hl7::to_fhir::parse_system_base(flag);
    if (!base) {
      return Status(Code::kInvalidArgument,
                    "--hl7-system-base '" + flag + "': " + base.status().message());
    }
    for (const auto& other : config.hl7_system_bases) {
      if (other.facility == base->facility) {
        return Status(Code::kInvalidArgument,
                      "--hl7-system-base: two bases for facility '" + base->facility + "'");
      }
    }
    config.hl7_system_bases.push_back(std::move(*base));
  }
  for (const std::string& type : config.hl7_accept_types) {
    if (!is_message_type(type)) {
      return Status(Code::kInvalidArgument,
                    "--hl7-accept-types: '" + type + "' is not a message type like ORU or ORU^R01");
    }
  }
  for (const std::string& version : config.hl7_accept_versions) {
    if (!hl7::is_supported_version(version)) {
      return Status(Code::kInvalidArgument,
                    "--hl7-accept-versions: '" + version +
                        "' is not an HL7 v2 version Hearth reads (2.1 to 2.8.2)");
    }
  }
  for (std::string& host : config.allowed_hosts) {
    while (!host.empty() && host.back() == ' ') host.pop_back();
    while (!host.empty() && host.front() == ' ') host.erase(0, 1);
    if (host.empty()) return Status(Code::kInvalidArgument, "--allowed-hosts: empty entry");
  }
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (config.threads == 0) config.threads = cores;
  // Store calls block their worker; SQLite writes wait for a group commit, whose batch holds
  // every writer waiting then. Too few workers caps the batch, and with the search index a
  // commit costs most of a write: 32 lets a batch hold a busy client's requests.
  if (config.workers < 0) config.workers = static_cast<int>(std::max(2 * cores, 32u));
  return Status::ok();
}

}  // namespace hearth::server
