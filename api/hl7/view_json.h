// The decoded view of an HL7 v2 message (hl7/v2/message_view.h) and parse errors as JSON, for
// the operating API (GET /hl7/messages/{id}) and `hearth hl7 parse --json`.
//
// JSON shape (docs/hl7.md): {"segments":[{"name":"PID","fields":{"3":..., "5":...}}, ...]},
// plus "truncated": true when the view stopped at its limits. A field value is a string (one
// repetition, one component, one subcomponent), an array of components (one repetition), or
// {"repetitions":[...]} (several); inside the component array an item is a string or, when it
// has subcomponents, an array of strings.
//
// Pure functions, thread-safe. Strings in the JSON are UTF-8.
#pragma once

#include <string>
#include <string_view>

#include "api/hl7/json_body.h"
#include "hl7/v2/error_code.h"
#include "hl7/v2/message_view.h"

namespace hearth::api {

// Writes the view (shape above) as one JSON object value.
void write_hl7_view(PrettyJsonWriter& w, const hl7::MessageView& view);

// Writes a parse error as {"code":100,"text":"Segment sequence error","location":"PID[2]-3",
// "message":"..."}; "location" is left out when the error has none.
void write_parse_error(PrettyJsonWriter& w, const hl7::ParseError& error);

// Writes `text` as a JSON string, UTF-8 as as_utf8() makes it (copied only when it is not valid
// UTF-8 already).
void write_text(PrettyJsonWriter& w, std::string_view text);

// `text` when it is valid UTF-8, else with each byte >= 0x80 read as ISO 8859/1.
std::string as_utf8(std::string_view text);

}  // namespace hearth::api
