// The document an MDM message carries, as its DocumentReference's content: hand-written where the
// IG's OBX[DocumentReference] rows for OBX-5 are narrative or not R4 paths (`content[4].data`,
// `content[2].data`, `content[3].url`: DocumentReference.content holds an `attachment`), each
// place below naming its row. The rows say:
//   OBX-2 = TX  -> content[4].data, contentType "application/text"; "each repeat yields a line
//                  feed within .content[4].data"
//   OBX-2 = FT  -> content[2].data, contentType "text/hl7v2"; likewise
//   OBX-2 = RP  -> content[3].url; "each repeat yields a new .content instance"
//   OBX-2 = ED  -> content[1].attachment through ED[Attachment] (table-driven, map_engine.h)
// Hearth: the TX lines of every OBX of the message, in order, are one attachment (the body of a
// transcribed document, sent one line per OBX or per repetition); the FT texts likewise, kept as
// sent (escapes such as \.br\ included, which is what text/hl7v2 means); data base64 of the
// UTF-8 text; each RP repetition an attachment with its url (RP.1). ST lines (not in the IG's
// rows; senders use them as TX) are TX lines.
//
// Pure function, no I/O, thread-safe.
#pragma once

#include "hl7/to_fhir/resource_builder.h"
#include "hl7/v2/message.h"

namespace hearth::hl7::to_fhir {

// Adds the content of `message`'s OBX segments to `document` (a DocumentReference's root).
// Returns how many content items it added.
int add_document_content(const Message& message, Node& document);

}  // namespace hearth::hl7::to_fhir
