// The server's configuration as one plain value, filled from command-line flags and the
// HEARTH_* environment variables (a flag given on the command line wins over its variable).
// Parsing and validation live here; cli.cpp only wires subcommands to them.
//
// Thread-safety: a Config is a value; copy it freely.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/rest/rest_limits.h"
#include "core/status.h"
#include "hl7/to_fhir/system_base.h"

namespace CLI {
class App;
}

namespace hearth::server {

inline constexpr std::string_view kDefaultListen = "127.0.0.1:8080";
inline constexpr std::string_view kDefaultStore = "sqlite:./hearth-data/hearth.db";
inline constexpr std::uint64_t kDefaultMaxBody = 16ull * 1024 * 1024;
inline constexpr std::uint64_t kDefaultMaxBufferedBody = 32ull * 1024 * 1024;
inline constexpr std::string_view kDefaultMllpListen = "127.0.0.1:2575";
inline constexpr std::uint64_t kDefaultMllpMaxMessage = 16ull * 1024 * 1024;

// A host and a port as given, e.g. {"127.0.0.1", 8080} or {"::1", 0} (0: an ephemeral port).
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

struct Config {
  std::string listen = std::string(kDefaultListen);  // HOST:PORT; "[v6]:PORT" for IPv6
  std::string store = std::string(kDefaultStore);    // storage::open_store URL
  std::string blob_dir;  // storage::StoreOptions::blob_dir (--blob-dir): "" keeps blobs in rows
  std::string base_url;  // empty: "http://" + Host header + "/fhir"
  // Tenants (docs/tenancy.md): "none" (every request in tenant "") or "url" (every FHIR path
  // is /fhir/[tenant]/..., /hl7/[tenant]/..., /x12/[tenant]; server/tenant_path.h).
  std::string tenancy = "none";
  // --tenancy url: the token claim listing the tenants a bearer may use (--auth jwt; "" = no
  // check), and the tenant MLLP messages land in (required when an MLLP listener is on).
  std::string tenant_claim;
  std::string mllp_tenant;
  // --tenancy url with --mllp-client-ca: the client certificate subject attribute ("O", "OU",
  // "CN", ...) naming the tenant of an MLLP/TLS connection's messages, instead of mllp_tenant.
  std::string mllp_cert_tenant;
  std::uint64_t max_body = kDefaultMaxBody;  // request bodies beyond this get 413
  // Request body bytes all HTTP connections may hold at once, from reading a body to writing
  // its response (server/body_budget.h); a body that does not fit waits, then gets 503.
  std::uint64_t max_buffered_body = kDefaultMaxBufferedBody;
  // Bytes of unfinished MLLP frames beyond the first kMllpFreeFrameBytes of each that all
  // MLLP connections may hold at once; a connection that finds no room stops reading until
  // there is, up to its frame deadline (--mllp-frame-timeout), then is closed.
  std::uint64_t mllp_max_buffered = 64ull * 1024 * 1024;
  // How long such a body waits for room before its 503 (not a flag: tests shorten it).
  std::uint64_t max_buffered_body_wait_ms = 30'000;
  unsigned threads = 0;  // io threads; 0 = number of cores
  // Worker threads for the REST core (blocking store calls); 0 = run the REST core inline on
  // the io threads (no thread hop; only sensible when the store never blocks for long).
  // Unset (-1) = max(32, 2 x cores).
  int workers = -1;
  // MLLP (HL7 v2) listener: HOST:PORT, or "off".
  std::string mllp_listen = std::string(kDefaultMllpListen);
  // HTTPS (FHIR and /hl7 over TLS) and MLLP over TLS listeners: HOST:PORT, or "off". Both use
  // --tls-cert / --tls-key (server/tls_context.h); MLLP/TLS with --mllp-client-ca requires
  // and verifies a client certificate, whose subject is archived with each message.
  std::string tls_listen = "off";
  std::string mllp_tls_listen = "off";
  std::string tls_cert;
  std::string tls_key;
  std::string mllp_client_ca;
  // How HTTP clients authenticate: "none" or "jwt" (bearer tokens, server/auth/).
  std::string auth = "none";
  // --auth jwt: the keys (a JWKS file, or a URL they are fetched from: auth/jwks_source.h), and
  // the issuer and audience every token must name.
  std::string jwks_file;
  std::string jwks_url;
  std::string issuer;
  std::string audience;
  // --auth jwt: the token claim and value that make its bearer an administrator (the /hl7
  // operating API); auth::JwtPolicy says how the claim is read.
  // The audit trail (server/audit_writer.h): "on", "off", or "auto" (on with --auth jwt).
  std::string audit = "auto";
  // --audit-file: the AuditEvents also as JSON lines appended to this file; "" none.
  std::string audit_file;
  std::string admin_claim = "scope";
  std::string admin_value = "hearth/admin";
  // The authorization server's endpoints, published in the CapabilityStatement and
  // [base]/.well-known/smart-configuration (Hearth does not serve them).
  std::string oauth_authorize_url;
  std::string oauth_token_url;
  // Serve on addresses beyond loopback through listeners that do not authenticate their
  // clients (HTTP without --auth jwt, MLLP without mutual TLS); refused without it.
  bool insecure_no_auth = false;
  std::uint64_t mllp_max_message = kDefaultMllpMaxMessage;  // larger frames get AR 207
  // Accepted HL7 v2 messages: MSH-9 as "ORU^R01" (one event) or "ORU" (every event), and
  // MSH-12 versions; empty = all. Others get AR with ERR 200 / 203 (and are archived rejected).
  std::vector<std::string> hl7_accept_types;
  std::vector<std::string> hl7_accept_versions;
  // A control id (MSH-10) the same sender used before for other content: "accept" (a new
  // message, flagged control-id-reused in the archive) or "reject" (AE, ERR 205).
  std::string hl7_duplicate_control_id = "accept";
  // Accepted messages are mapped to FHIR in the transaction that archives them ("map"), or only
  // archived ("off"). A type the V2-to-FHIR IG has no map for: "accept" (archived, noted
  // unmapped) or "reject" (AR, ERR 200).
  std::string hl7_mapping = "map";
  std::string hl7_unmapped = "accept";
  // --hl7-system-base FACILITY=URI, repeatable: identifier systems per sending facility
  // (hl7/to_fhir/system_base.h); finalize() parses them into hl7_system_bases.
  std::vector<std::string> hl7_system_base_flags;
  std::vector<hl7::to_fhir::SystemBase> hl7_system_bases;
  // Host header names served (server/host_check.h): "name" (any port) or "name:port"; "*" any.
  // Empty: loopback names on a loopback bind, any Host otherwise.
  std::vector<std::string> allowed_hosts;
  bool log_query_values = false;  // the access log shows query values (PHI): debugging only
  // Log lines as "text" (hearth: ...) or "json" (one object per line; server/access_log.h).
  std::string log_format = "text";
  // Bounded time: each store call's statements (storage::StoreOptions; 0 = no limit), and an
  // MLLP frame from its first byte to its last (the connection is closed past it).
  std::uint64_t statement_timeout_ms = 10'000;
  // Bulk Data $export (api/rest/bulk_export_jobs.h): where the jobs' files go ("" = next to a
  // SQLite file store, as <dir>/bulk-export; else $TMPDIR/hearth-bulk-export), how many run at
  // once, and how long a finished job's files stay (seconds).
  std::string export_dir;
  std::uint32_t export_max_jobs = 2;
  std::uint64_t export_expiry_s = 3600;
  std::uint64_t mllp_frame_timeout_ms = 60'000;
  // Connections served at once; one more is accepted and closed at once.
  std::uint32_t max_connections = 1024;
  std::uint32_t mllp_max_connections = 256;
  // Search parameters / values / _sort keys, XML nodes and depth, index rows per resource:
  // --search-max-params, --search-max-values, --search-max-sort, --xml-max-nodes,
  // --xml-max-depth, --max-index-rows (api/rest/rest_limits.h; each must be > 0),
  // --conditional-delete-max (1..999: one search page of matches).
  api::RestLimits rest_limits;
};

// Registers the `serve` flags (with their environment variables) on `app`, writing into
// `config`. `config` must outlive parsing.
void add_serve_options(CLI::App& app, Config& config);

// Registers --store/HEARTH_STORE alone (for `migrate` and other store-only subcommands).
void add_store_option(CLI::App& app, Config& config);

// Fills defaults that depend on the machine (threads, workers) and checks the values.
// Errors: kInvalidArgument for an unparsable --listen or --mllp-listen, a base URL that is not
// http(s)://, a zero max body, max buffered body, max message, frame timeout, connection cap or
// REST limit, a TLS listener without --tls-cert/--tls-key (or those without a TLS listener),
// --mllp-client-ca without --mllp-tls-listen, --auth jwt without one of --jwks-file and --jwks-url
// (a URL of the wrong form), --issuer and
// --audience (or those without --auth jwt), an
// --hl7-accept-types entry that is not CODE or CODE^EVENT, an --hl7-accept-versions entry the
// parser does not support, an empty --allowed-hosts entry, --tenant-claim or --mllp-tenant
// without --tenancy url (--tenant-claim also without --auth jwt), --tenancy url with an MLLP
// listener but no --mllp-tenant, or an --mllp-tenant that is not a tenant name.
Status finalize(Config& config);

// Splits "HOST:PORT" / "[IPv6]:PORT". Errors: kInvalidArgument (no port, port > 65535,
// empty host).
Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace hearth::server
