// One access to Hearth as a FHIR AuditEvent (https://hl7.org/fhir/R4/auditevent.html), built
// as JSON from plain values: who (the token's subject and client, or the certificate subject of
// an MLLP peer), what (a resource reference, or the query as entity.query), when, from where and
// the outcome. The server records one per access (server/audit_writer.h); this file only builds
// the resource, so what an AuditEvent says is testable without a server. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::api {

struct AuditRecord {
  std::int64_t recorded_micros = 0;
  // The interaction's label (api/service.h kInteractionLabels: "read", "search-type",
  // "hl7-replay", ...) or "hl7-message" for a message received over MLLP.
  std::string interaction;
  int status = 0;         // the HTTP status answered; for an MLLP message 200 (AA) or 400
  std::string subject;    // the token's "sub" or the MLLP peer's certificate subject; "" none
  std::string client_id;  // the token's client_id / azp; "" none
  std::string address;    // the peer's address ("127.0.0.1:5123")
  std::string reference;  // "Observation/1" when the access names one resource; "" else
  std::string query;      // the request's query string (without '?'), "" when none
  // entity.description: "request <X-Request-Id>" (to join the access log), or for a message
  // "message <archive id> <type> ACK <code>".
  std::string description;
  // The tenant accessed (api::Request::tenant), "" for --tenancy none: the event is stored in
  // it (server/audit_writer.h) and names it as source.site.
  std::string tenant;
};

// The AuditEvent JSON of `record` with id `id`: type rest (or hl7v2 for a message), subtype
// the interaction, action C/R/U/D/E from it, outcome 0 (2xx/3xx), 4 (4xx) or 8 (5xx), one
// requestor agent (who.identifier = subject, altId = client id, network address), the source
// "hearth" (site: the tenant, when there is one), and one entity: what = the reference, query = the
// query in base64 (as the specification stores it), description as given.
std::string audit_event_json(const AuditRecord& record, std::string_view id);

// The same resource as the document parse_json would make of audit_event_json's text, built
// without the text (the audit writer stores it). Errors: kMalformed when a value is not valid
// UTF-8 or holds U+0000 (a token's subject, say), as parse_json would refuse that text.
Result<fhir::JsonDocument> audit_event_document(const AuditRecord& record, std::string_view id);

// The AuditEvent.action code of an interaction label (C, R, U, D or E).
std::string_view audit_action(std::string_view interaction);

}  // namespace hearth::api
