// `hearth conformance capability`: a smoke TestScript generated from a server's
// CapabilityStatement (https://hl7.org/fhir/R4/capabilitystatement.html), one test per claimed
// interaction per resource type, with the assertions of https://hl7.org/fhir/R4/http.html:
//
//   create            201, Location naming [type]/[id]/_history/[vid]; ETag, Last-Modified (SHOULD:
//                     warnings)
//   read              (seeded) 200, the resource type, ETag (SHOULD)
//   vread             (seeded) 200 at [type]/[id]/_history/[vid], the resource type, meta.versionId
//   update            (seeded) 200, ETag (SHOULD)
//   delete            (seeded) 200/202/204, then a read answers 404 or 410
//   history-instance  (seeded) 200, a Bundle of type history
//   history-type      200, a Bundle of type history
//   search-type       200, a Bundle of type searchset (only when claimed)
//   searchParam       (one test per type) each claimed parameter with a valid value of its
//                     type under Prefer: handling=strict: 200 and a Bundle
//   history-system    200, a Bundle of type history (when rest.interaction claims it)
//   capabilities      200, a CapabilityStatement (always)
//
// "Seeded" tests first make an instance: POST of the type's minimal resource
// (minimal_resource.h) when create is claimed, else PUT to a new id when update and updateCreate
// are. What cannot be probed is listed in `skipped` with the reason (and in the script's
// description): a type whose minimal resource cannot be made, an interaction the generator has
// no probe for (patch, search-system, transaction, batch), a composite or special search
// parameter, an instance probe with no way to seed.
//
// Pure functions over values; fetch_capability_statement does one request through the transport.
#pragma once

#include <string>
#include <vector>

#include "conformance/http_transport.h"
#include "core/status.h"
#include "fhir/json.h"

namespace hearth::conformance {

struct SmokeSuite {
  fhir::JsonDocument script;  // the TestScript
  int resource_types = 0;     // types with at least one probe
  int tests = 0;
  std::vector<std::string> skipped;  // "Patient patch: no probe for this interaction"
};

// Errors: kInvalidArgument when `capability_statement` is not a CapabilityStatement or has no
// rest entry of mode "server".
Result<SmokeSuite> smoke_suite(const fhir::JsonValue& capability_statement);

// GET [base]/metadata as JSON (with a bearer `token` when not empty). Errors: the transport's;
// kUnavailable for a status other than 200; kMalformed when the body is not JSON.
Result<fhir::JsonDocument> fetch_capability_statement(HttpTransport& transport,
                                                      const std::string& base_url,
                                                      const std::string& token);

}  // namespace hearth::conformance
