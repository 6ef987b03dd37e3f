// Configured identifier systems per sending facility (`hearth serve --hl7-system-base
// FACILITY=URI`, as FHIR-Converter's system base): a sender's local namespaces become URIs, so
// identity (a Patient by PID-3, an Encounter by PV1-19, an order by its placer or filler number,
// a report by OBR-3, an appointment by SCH-2, an account by PID-18) is keyed by a system that
// names the sender's namespace rather than a bare code two senders may share.
//
// For a message whose sending facility (MSH-4: its namespace id HD.1 or universal id HD.2) has a
// base, an identity identifier (message_mapper.cpp, kIdentity) whose system is a local namespace
// (an assigning authority's namespace id: no ':') gets `<base>/<namespace>`; one without a system
// gets `<base>` itself; one whose system is a URI (urn:oid:..., http...) stays. "*" is the base
// of every facility without one of its own.
//
// Values, no I/O; parse_system_base() checks one flag value. Thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "hl7/v2/message.h"

namespace hearth::hl7::to_fhir {

struct SystemBase {
  std::string facility;  // MSH-4.1 or MSH-4.2 as sent, or "*"
  std::string uri;       // "https://hospital.example.org/id" (no trailing '/')
};

// "FACILITY=URI" -> SystemBase. kInvalidArgument when there is no '=', the facility is empty or
// longer than 227 characters (HD's length), or the URI is not an absolute URI (scheme ':' and no
// white space) of at most 1,024 characters. A trailing '/' of the URI is dropped.
Result<SystemBase> parse_system_base(std::string_view text);

// The base for `message`'s sending facility: MSH-4.1, then MSH-4.2, then "*"; "" when none.
std::string_view system_base_for(const Message& message, std::span<const SystemBase> bases);

// `system` (an identifier's, "" when it has none) under `base` as described above; `system`
// unchanged when `base` is empty or `system` is a URI.
std::string system_under_base(std::string_view base, std::string_view system);

}  // namespace hearth::hl7::to_fhir
