// Subcommands: wiring Config -> store -> REST core / HL7 ingest -> server; `migrate`,
// `messages` (the archive), `backup` and `restore`, `send` (an MLLP client) and `hl7 parse`.
#include "server/cli/cli.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "api/hl7/archive_api.h"
#include "api/hl7/ingest.h"
#include "api/rest/bulk_export_jobs.h"
#include "api/rest/rest_handler.h"
#include "conformance/conformance_command.h"
#include "core/clock.h"
#include "core/redact.h"
#include "server/access_log.h"
#include "server/audit_writer.h"
#include "server/auth/bearer_auth.h"
#include "server/auth/jwks.h"
#include "server/auth/jwks_fetch.h"
#include "server/auth/jwks_source.h"
#include "server/auth/jwt_validator.h"
#include "server/cli/backup_command.h"
#include "server/cli/hl7_parse_command.h"
#include "server/cli/import_command.h"
#include "server/cli/send_command.h"
#include "server/config.h"
#include "server/http_server.h"
#include "server/malloc_arenas.h"
#include "server/scheduling.h"
#include "server/signals.h"
#include "storage/store.h"
#include "storage/store_url.h"

namespace hearth::server {
namespace {

constexpr const char* kEnvironmentHelp =
    "Environment variables (a flag on the command line wins):\n"
    "  HEARTH_LISTEN     serve --listen HOST:PORT (default 127.0.0.1:8080)\n"
    "  HEARTH_STORE      serve/migrate --store URL (default sqlite:./hearth-data/hearth.db)\n"
    "  HEARTH_BASE_URL   serve --base-url URL\n"
    "  HEARTH_MAX_BODY   serve --max-body BYTES (default 16 MiB)\n"
    "  HEARTH_MAX_BUFFERED_BODY serve --max-buffered-body BYTES (default 32 MiB, all bodies)\n"
    "  HEARTH_MLLP_MAX_BUFFERED serve --mllp-max-buffered BYTES (default 64 MiB, MLLP frames)\n"
    "  HEARTH_THREADS    serve --threads N (default: number of cores)\n"
    "  HEARTH_WORKERS    serve --workers N (default: 32, or 2 x cores when more)\n"
    "  HEARTH_MLLP_LISTEN       serve --mllp-listen HOST:PORT|off (default 127.0.0.1:2575)\n"
    "  HEARTH_MLLP_MAX_MESSAGE  serve --mllp-max-message BYTES (default 16 MiB)\n"
    "  HEARTH_TLS_LISTEN        serve --tls-listen HOST:PORT|off (HTTPS; default off)\n"
    "  HEARTH_MLLP_TLS_LISTEN   serve --mllp-tls-listen HOST:PORT|off (default off)\n"
    "  HEARTH_TLS_CERT, HEARTH_TLS_KEY  serve --tls-cert FILE, --tls-key FILE (PEM)\n"
    "  HEARTH_MLLP_CLIENT_CA    serve --mllp-client-ca FILE (PEM; mutual TLS on MLLP/TLS)\n"
    "  HEARTH_AUTH              serve --auth none|jwt (default none)\n"
    "  HEARTH_JWKS_FILE, HEARTH_JWKS_URL, HEARTH_ISSUER, HEARTH_AUDIENCE  serve\n"
    "                           --jwks-file, --jwks-url, --issuer, --audience (--auth jwt)\n"
    "  HEARTH_OAUTH_AUTHORIZE_URL, HEARTH_OAUTH_TOKEN_URL  serve --oauth-authorize-url,\n"
    "                           --oauth-token-url (published for SMART clients)\n"
    "  HEARTH_INSECURE_NO_AUTH  serve --insecure-no-auth (allow unauthenticated listeners\n"
    "                           beyond loopback)\n"
    "  HEARTH_HL7_ACCEPT_TYPES     serve --hl7-accept-types ORU^R01,ADT,... (default all)\n"
    "  HEARTH_HL7_ACCEPT_VERSIONS  serve --hl7-accept-versions 2.3,2.5.1,... (default all)\n"
    "  HEARTH_HL7_DUPLICATE_CONTROL_ID  serve --hl7-duplicate-control-id accept|reject\n"
    "  HEARTH_HL7_MAPPING          serve --hl7-mapping map|off (default map)\n"
    "  HEARTH_HL7_UNMAPPED         serve --hl7-unmapped accept|reject (default accept)\n"
    "  HEARTH_ALLOWED_HOSTS     serve --allowed-hosts NAME[:PORT],...|* (default: loopback\n"
    "                           names on a loopback bind, any Host otherwise)\n"
    "  HEARTH_LOG_QUERY_VALUES  serve --log-query-values (access log shows query values)\n"
    "  HEARTH_LOG_FORMAT        serve --log-format text|json (default text)\n"
    "  HEARTH_STATEMENT_TIMEOUT    serve --statement-timeout MS|Ns (default 10s; 0 none)\n"
    "  HEARTH_MLLP_FRAME_TIMEOUT   serve --mllp-frame-timeout MS|Ns (default 60s)\n"
    "  HEARTH_MAX_CONNECTIONS      serve --max-connections N (default 1024)\n"
    "  HEARTH_MLLP_MAX_CONNECTIONS serve --mllp-max-connections N (default 256)\n";

// --auth jwt: the keys of --jwks-file, or of --jwks-url fetched now and kept fresh.
Result<std::shared_ptr<auth::JwksSource>> load_jwks(const Config& config, const Clock& clock) {
  if (config.jwks_url.empty()) {
    HEARTH_ASSIGN_OR_RETURN(auth::Jwks keys, auth::Jwks::load_file(config.jwks_file));
    return auth::JwksSource::fixed(std::make_shared<const auth::Jwks>(std::move(keys)));
  }
  HEARTH_ASSIGN_OR_RETURN(auth::JwksUrl url, auth::parse_jwks_url(config.jwks_url));
  return auth::JwksSource::fetched(
      [url] { return auth::fetch_jwks(url); }, clock, auth::JwksRefresh{},
      [](std::string_view line) { log_line(line, LogLevel::kWarning); });
}

// --export-dir, or its default: bulk-export/ beside a SQLite store's file (the data volume a
// single-replica deployment already has), else $TMPDIR/hearth-bulk-export (PostgreSQL; in
// Kubernetes an emptyDir, or a shared volume mounted on every replica).
std::string export_directory(const Config& config) {
  if (!config.export_dir.empty()) return config.export_dir;
  Result<storage::StoreUrl> url = storage::parse_store_url(config.store);
  if (url.is_ok() && url->dialect == storage::Dialect::kSqlite && !url->memory) {
    const std::string::size_type slash = url->path.rfind('/');
    return (slash == std::string::npos ? std::string(".") : url->path.substr(0, slash)) +
           "/bulk-export";
  }
  const char* tmp = std::getenv("TMPDIR");
  return std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/hearth-bulk-export";
}

int serve(Config config) {
  set_log_format(config.log_format == "json" ? LogFormat::kJson : LogFormat::kText);
  Status valid = finalize(config);
  if (!valid.is_ok()) {
    log_line(valid.message());
    return 2;
  }
  // A client or log pipe going away must not kill the server; socket writes already use
  // MSG_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  limit_malloc_arenas();  // before any thread starts

  auto store = storage::open_store(
      config.store, storage::StoreOptions{
                        .statement_timeout = std::chrono::milliseconds(config.statement_timeout_ms),
                        .blob_dir = config.blob_dir});
  if (!store) {
    log_line("cannot open store '" + redact_credentials(config.store) +
             "': " + store.status().message());
    return 1;
  }
  auto clock = make_system_clock();
  auto ids = make_uuid_generator(*clock);
  // The one place the store's traits are read: the server schedules from them.
  const storage::StoreTraits traits = (*store)->traits();
  // --auth jwt: the keys are read (or first fetched) at start; a failure stops the server here.
  std::unique_ptr<auth::JwtValidator> validator;
  std::unique_ptr<auth::BearerAuth> bearer;
  api::SecurityDescription security;
  if (config.auth == "jwt") {
    auto keys = load_jwks(config, *clock);
    if (!keys) {
      log_line(keys.status().message());
      return 1;
    }
    validator =
        std::make_unique<auth::JwtValidator>(std::move(keys).value(),
                                             auth::JwtPolicy{.issuer = config.issuer,
                                                             .audience = config.audience,
                                                             .admin_claim = config.admin_claim,
                                                             .admin_value = config.admin_value,
                                                             .tenant_claim = config.tenant_claim},
                                             *clock);
    bearer = std::make_unique<auth::BearerAuth>(*validator);
    security = api::SecurityDescription{.smart = true,
                                        .issuer = config.issuer,
                                        .authorize_url = config.oauth_authorize_url,
                                        .token_url = config.oauth_token_url};
  }
  api::BulkExportJobs exports(
      **store, *clock, *ids,
      api::BulkExportOptions{.directory = export_directory(config),
                             .max_jobs = config.export_max_jobs,
                             .expiry = std::chrono::seconds(config.export_expiry_s)});
  if (Status opened = exports.open(); !opened.is_ok()) {
    log_line(opened.message() + " (--export-dir)");
    return 1;
  }
  api::RestHandler rest(**store, *clock, *ids, config.rest_limits, security, &exports);
  const hl7::to_fhir::MessageMapper mapper(
      hl7::to_fhir::ConversionOptions{.system_bases = config.hl7_system_bases});
  const api::Hl7MappingContext mapping{
      .store = **store,
      .clock = *clock,
      .ids = *ids,
      .limits = config.rest_limits,
      .mapper = mapper,
      .reject_unmapped = config.hl7_unmapped == "reject",
      .resolve_before_commit = resolve_messages_first(traits.cheap_reads, traits.group_commit,
                                                      std::thread::hardware_concurrency())};
  api::Hl7Ingest ingest(
      **store, *clock, *ids,
      api::Hl7IngestOptions{.message_types = config.hl7_accept_types,
                            .versions = config.hl7_accept_versions,
                            .on_reused_control_id = config.hl7_duplicate_control_id == "reject"
                                                        ? storage::ReusedControlId::kReject
                                                        : storage::ReusedControlId::kAccept,
                            .mapping = config.hl7_mapping == "map" ? &mapping : nullptr});
  api::Hl7ArchiveApi hl7_api(**store, ingest, store->get());
  std::unique_ptr<AuditWriter> audit;
  if (config.audit == "on" || (config.audit == "auto" && config.auth == "jwt")) {
    audit = std::make_unique<AuditWriter>(**store, *ids, config.audit_file);
    if (Status started = audit->start(); !started.is_ok()) {
      log_line(started.message());
      return 1;
    }
  }
  HttpServer server(config,
                    HttpHandlers{.fhir = rest,
                                 .hl7 = &hl7_api,
                                 .cheap_reads = traits.cheap_reads,
                                 .group_commit = traits.group_commit,
                                 .concurrent_searches = traits.concurrent_searches,
                                 .bearer = bearer.get(),
                                 .readiness = [&store] { return (*store)->check_ready(); },
                                 .audit = audit.get()},
                    MllpHandlers{.ingest = &ingest});
  Status listening = server.listen();
  if (!listening.is_ok()) {
    log_line(listening.message());
    return 1;
  }
  // Secure default: nothing beyond loopback without authentication, unless asked for by name.
  if (const auto exposed = server.unauthenticated_public_listeners();
      !exposed.empty() && !config.insecure_no_auth) {
    std::string list;
    for (const std::string& listener : exposed) list += (list.empty() ? "" : ", ") + listener;
    log_line("refusing to serve without authentication beyond loopback: " + list +
             ". Authenticate clients (HTTP: --auth jwt; MLLP: --mllp-tls-listen with "
             "--mllp-client-ca), bind to 127.0.0.1, or pass --insecure-no-auth to accept the "
             "risk");
    return 2;
  }
  for (const std::string& listener : server.unauthenticated_public_listeners()) {
    log_line("warning: " + listener + " serves without authentication (--insecure-no-auth)",
             LogLevel::kWarning);
  }
  ShutdownSignals signals(
      server.io_context(), [&server] { server.shutdown(); }, [&server] { server.stop_now(); });
  ReloadSignal reload(server.io_context(), [&server] {
    Status reloaded = server.reload_tls();
    log_line(reloaded.is_ok() ? std::string("received SIGHUP, TLS certificates reloaded")
                              : "received SIGHUP, TLS certificates NOT reloaded (the old ones "
                                "stay): " +
                                    reloaded.message());
  });
  log_line("store " + std::string((*store)->engine()) +
           (traits.group_commit ? " (group commit)" : "") + ", " + std::to_string(config.threads) +
           " io threads, " + std::to_string(config.workers) + " workers");
  // Before the HTTP line: tools that wait for "listening on" then know both addresses.
  if (!server.mllp_local_address().empty()) {
    log_line("mllp listening on " + server.mllp_local_address());
  }
  if (!server.mllp_tls_local_address().empty()) {
    log_line("mllp tls listening on " + server.mllp_tls_local_address() +
             (config.mllp_client_ca.empty() ? "" : " (client certificates required)"));
  }
  if (!server.tls_base_url().empty()) log_line("tls listening on " + server.tls_base_url());
  log_line("listening on " + server.local_base_url());

  int abandoned = server.run();
  if (abandoned > 0) {
    // A worker may still be blocked in the store; do not wait for it in destructors.
    log_line("stopped");
    std::_Exit(0);
  }
  if (audit) {
    audit->stop();  // every event recorded so far is stored before the store closes
    log_line("audit: " + std::to_string(audit->written()) + " events stored, " +
             std::to_string(audit->dropped()) + " dropped");
  }
  log_line("stopped");
  return 0;
}

struct MessagesOptions {
  std::string status;
  std::string type;
  std::int64_t limit = 100;
};

// `hearth messages`: the archive, newest first, one tab-separated line per message:
// id, received_at (micros), status, sender, control id, type, peer, note.
int list_messages(const Config& config, const MessagesOptions& options) {
  // An operator's listing of a large archive may take its time: no statement limit.
  auto store = storage::open_store(
      config.store, storage::StoreOptions{.statement_timeout = std::chrono::milliseconds(0),
                                          .blob_dir = config.blob_dir});
  if (!store) {
    log_line("cannot open store '" + redact_credentials(config.store) +
             "': " + store.status().message());
    return 1;
  }
  storage::MessageFilter filter;
  if (!options.status.empty()) {
    filter.status = storage::parse_message_status(options.status);
    if (!filter.status) {
      log_line("--status must be accepted, rejected or error");
      return 2;
    }
  }
  filter.message_type = options.type;
  filter.limit = options.limit;
  auto rows = (*store)->list_messages(filter);
  if (!rows) {
    log_line("cannot list messages: " + rows.status().message());
    return 1;
  }
  for (const auto& m : *rows) {
    std::cout << m.id << '\t' << m.received_at_micros << '\t'
              << storage::message_status_text(m.status) << '\t' << m.sender << '\t' << m.control_id
              << '\t' << m.message_type << '\t' << m.peer << '\t' << m.note << '\n';
  }
  std::cout.flush();
  return 0;
}

int migrate(const Config& config) {
  auto version = storage::migrate_store(config.store);
  if (!version) {
    log_line("migration failed for '" + redact_credentials(config.store) +
             "': " + version.status().message());
    return 1;
  }
  std::cout << "schema version " << *version << std::endl;
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"Hearth: a FHIR R4 server with an HL7 v2 and X12 front door", "hearth"};
  app.require_subcommand(1);
  app.footer(kEnvironmentHelp);

  Config config;
  CLI::App* serve_command =
      app.add_subcommand("serve", "Serve the FHIR REST API over HTTP and HL7 v2 over MLLP");
  add_serve_options(*serve_command, config);
  CLI::App* migrate_command =
      app.add_subcommand("migrate", "Apply pending store migrations and print the schema version");
  add_store_option(*migrate_command, config);
  SendOptions send_options;
  CLI::App* send_command = app.add_subcommand(
      "send", "Send HL7 v2 files over MLLP, one message at a time (an X12 file whole)");
  send_command->add_option("--host", send_options.host, "MLLP host")->capture_default_str();
  send_command->add_option("--port", send_options.port, "MLLP port")->capture_default_str();
  send_command->add_option("--timeout", send_options.timeout_seconds, "Seconds to wait per ACK")
      ->capture_default_str();
  send_command
      ->add_option("--conditional-ack-wait", send_options.conditional_ack_seconds,
                   "Seconds to wait for the ACK of a message whose MSH-15 is ER or SU (sent "
                   "only on error / success)")
      ->capture_default_str();
  send_command->add_flag("--tls", send_options.tls, "MLLP over TLS (needs --ca)");
  send_command->add_option("--ca", send_options.ca,
                           "PEM CA certificates that verify the server (with --tls)");
  send_command->add_option("--cert", send_options.cert,
                           "PEM client certificate for mutual TLS (with --tls and --key)");
  send_command->add_option("--key", send_options.key, "PEM private key of --cert");
  send_command->add_option("paths", send_options.paths, "Files or directories")->required();
  ImportOptions import_options;
  std::string import_mapping = "map";
  CLI::App* import_command = app.add_subcommand(
      "import",
      "Ingest HL7 v2 and X12 files into a store as MLLP would (archive, map, acknowledge)");
  add_store_option(*import_command, config);
  import_command
      ->add_option("--mapping", import_mapping, "map: write FHIR resources; off: archive only")
      ->check(CLI::IsMember({"map", "off"}))
      ->capture_default_str();
  import_command->add_option("paths", import_options.paths, "Files or directories")->required();
  MessagesOptions messages_options;
  CLI::App* messages_command =
      app.add_subcommand("messages", "List archived HL7 v2 messages, newest first (tab-separated)");
  add_store_option(*messages_command, config);
  messages_command->add_option("--status", messages_options.status,
                               "Only this status: accepted, rejected or error");
  messages_command->add_option("--type", messages_options.type, "Only this type, e.g. ORU^R01");
  messages_command->add_option("--limit", messages_options.limit, "At most this many")
      ->capture_default_str();
  std::string backup_file;
  CLI::App* backup_command = app.add_subcommand(
      "backup", "Copy a SQLite store, consistently, while servers keep using it");
  add_store_option(*backup_command, config);
  backup_command->add_option("--out", backup_file, "The backup file to create (must not exist)")
      ->required();
  CLI::App* restore_command = app.add_subcommand(
      "restore", "Restore a backup into an empty store (no server running on it)");
  add_store_option(*restore_command, config);
  restore_command->add_option("--in", backup_file, "A file made by hearth backup")->required();
  Hl7ParseOptions hl7_parse_options;
  CLI::App* hl7_command = app.add_subcommand("hl7", "HL7 v2 tools");
  hl7_command->require_subcommand(1);
  CLI::App* hl7_parse_command = hl7_command->add_subcommand(
      "parse", "Print the decoded structure of HL7 v2 messages in a file (exit 1 if malformed)");
  hl7_parse_command->add_option("file", hl7_parse_options.path, "A message or batch file")
      ->required();
  hl7_parse_command->add_flag("--json", hl7_parse_options.json,
                              "Print the JSON view of GET /hl7/messages/{id} (parsed)");
  hl7_parse_command->add_flag("--fhir", hl7_parse_options.fhir,
                              "Print the FHIR transaction Bundle the ingest would write for each "
                              "message (values left out and repairs on stderr); nothing is stored");

  conformance::CommandOptions conformance_options;
  CLI::App* conformance_command = conformance::add_conformance_command(app, conformance_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (serve_command->parsed()) return serve(config);
  if (migrate_command->parsed()) return migrate(config);
  if (messages_command->parsed()) return list_messages(config, messages_options);
  if (backup_command->parsed())
    return run_backup(config.store, config.blob_dir, backup_file, std::cout, std::cerr);
  if (restore_command->parsed()) {
    return run_restore(config.store, config.blob_dir, backup_file, std::cout, std::cerr);
  }
  if (import_command->parsed()) {
    import_options.store = config.store;
    import_options.blob_dir = config.blob_dir;
    import_options.map = import_mapping == "map";
    return run_import(import_options, std::cout, std::cerr);
  }
  if (send_command->parsed()) {
    if (send_options.tls && send_options.ca.empty()) {
      std::cerr << "hearth send: --tls needs --ca FILE (the CA that issued the server's "
                   "certificate)\n";
      return 2;
    }
    if (!send_options.tls && !(send_options.ca + send_options.cert + send_options.key).empty()) {
      std::cerr << "hearth send: --ca, --cert and --key go with --tls\n";
      return 2;
    }
    if (send_options.cert.empty() != send_options.key.empty()) {
      std::cerr << "hearth send: --cert and --key go together\n";
      return 2;
    }
    return run_send(send_options, std::cout, std::cerr);
  }
  if (hl7_parse_command->parsed()) return run_hl7_parse(hl7_parse_options, std::cout, std::cerr);
  if (conformance_command->parsed()) {
    return conformance::run_conformance_command(conformance_options, std::cout, std::cerr);
  }
  return 2;
}

}  // namespace hearth::server
