// The tenant a request names under `--tenancy url` (docs/tenancy.md): the first path segment
// below the endpoint's base, /fhir/[tenant]/..., /hl7/[tenant]/... and /x12/[tenant]. A tenant
// name is a FHIR id ([A-Za-z0-9-.]{1,64}, so it needs no percent-decoding) that is not a word
// of a FHIR base: a resource type, "metadata", ".well-known", or anything starting with '$' or
// '_' ('/fhir/Patient/1' is a path written for `--tenancy none`, refused rather than read as
// tenant "Patient").
//
// Pure functions, no I/O; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::server {

// Takes the tenant segment off the front of `rest`, the raw path below the base ("" or starting
// with '/', still percent-encoded), into `tenant`; `rest` keeps what follows it (the path below
// the tenant's base). `base` ("/fhir", "/hl7", "/x12") only words the messages.
// Errors: kNotFound when `rest` names no tenant (empty, or its first segment is a word of a FHIR
// base); kMalformed when its first segment is not a tenant name.
Status take_tenant(std::string_view base, std::string_view& rest, std::string& tenant);

// The rule alone, for a tenant named in configuration (--mllp-tenant). Errors: kMalformed for a
// name that is not a tenant name, kNotFound for a word of a FHIR base.
Status check_tenant_name(std::string_view name);

}  // namespace hearth::server
