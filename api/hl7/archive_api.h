// The operating API of the inbound HL7 v2 archive, below the /hl7 base, as one plain function
// like RestHandler: a Request value in (path below /hl7, e.g. "messages/12"), a Response out.
// Its routes are a table (api/hl7/route.cpp):
//
//   GET  messages?status=&type=&since=&_count=&before=   list, newest first, paged
//   GET  messages/{id}                                    one message: columns, raw, ack, parsed
//   POST messages/{id}/$replay                            run the stored raw text through
//                                                         Hl7Ingest again (peer "replay:{id}")
//   POST x12 (the server's POST /x12)                    an X12 interchange (application/edi-x12)
//                                                         through Hl7Ingest (peer "http"): 200
//                                                         with its TA1/999 as the body (whatever
//                                                         they say), headers X-Hearth-Ack-Code
//                                                         (A, P, R), X-Hearth-Duplicate,
//                                                         X-Hearth-Resources (versions written)
//                                                         and Content-Location (the archived
//                                                         message); 400 without a readable ISA;
//                                                         503 when the store failed (nothing
//                                                         stored, no acknowledgment)
//
// HEAD is answered as GET. Success bodies are application/json, indented and ending in a
// newline (docs/hl7.md has the shapes). Errors are FHIR OperationOutcome JSON with the code
// table's status: 403 (kForbidden) for a bearer without the administrator claim (Grant::admin,
// checked before anything else when the request carries a grant); 400 (kInvalidArgument) for an
// unknown parameter, a repeated or empty one, a bad status/since/_count/before value, a non-numeric
// id; 404 for an unknown path or id; 405 for another method (with an Allow header); 415 for a
// $replay whose Content-Type is not application/json or application/fhir+json (a cross-site form
// POST cannot send those without a CORS preflight); 503/500 when the store fails (generic text and
// a reference, api/rest/outcome.h).
//
// Links (self, next) are absolute: the request's FHIR base_url with its final "/fhir" replaced
// by "/hl7" (the server root + "/hl7" when it does not end in "/fhir").
//
// Thread-safety: handle() may be called concurrently; the store and the ingest must be
// thread-safe and outlive the Hl7ArchiveApi.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/hl7/ingest.h"
#include "api/hl7/route.h"
#include "api/hl7/view_json.h"
#include "api/request.h"
#include "api/service.h"
#include "storage/message_archive.h"
#include "storage/resource_store.h"

namespace hearth::api {

class Hl7ArchiveApi final : public Service {
 public:
  static constexpr std::int64_t kDefaultCount = 100;
  static constexpr std::int64_t kMaxCount = 1000;

  // `resources` (null: not shown) is where a message's produced resources are read from: its
  // Provenance (message_mapping.h) lists them in GET messages/{id} as `produced`.
  Hl7ArchiveApi(storage::MessageArchive& store, Hl7Ingest& ingest,
                storage::ResourceReader* resources = nullptr);

  // From the route table: every route reads or writes the archive (kRead, or kWrite for
  // $replay); kNone for a request no route serves.
  StoreUse store_use(const Request& request) const override;
  // With the labels hl7-list, hl7-read and hl7-replay.
  RouteFacts route_facts(const Request& request) const override;

  // Never throws for anything a client controls.
  Response handle(const Request& request) const override;

 private:
  // The operations: an error comes back as a Status, which handle() answers as an
  // OperationOutcome.
  Result<Response> execute(const Request& request, const Hl7Route& route) const;
  Result<Response> list(const Request& request) const;
  Result<Response> read(const Request& request, std::int64_t id) const;
  Result<Response> replay(const Request& request, std::int64_t id) const;
  Result<Response> post_x12(const Request& request) const;
  // What an accepted message wrote, from its Provenance (message_mapping.h).
  struct Produced {
    std::string provenance;               // "Provenance/hl7-message-12"
    std::vector<std::string> references;  // its targets, versioned
  };
  std::optional<Produced> produced_by(const storage::ArchivedMessage& m) const;

  storage::MessageArchive& store_;
  Hl7Ingest& ingest_;
  storage::ResourceReader* resources_;
};

}  // namespace hearth::api
