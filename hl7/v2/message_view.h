// A parsed HL7 v2 message as a decoded tree for people: segments in order, each with its
// non-empty fields by number, every field split into repetitions, components and
// subcomponents with escapes decoded (Message::decode) and text in UTF-8. The operating API
// (GET /hl7/messages/{id}, `parsed`) and `hearth hl7 parse` both show this one view, as JSON
// (api/hl7/view_json.h) or as an indented text tree (server/cli/hl7_parse_command.cpp).
// MSH-1 and MSH-2 are the delimiters, kept as they are and never split. Empty fields are left
// out; empty pieces inside a field are kept as "" so positions stay right.
//
// Pure functions, thread-safe. Values the message's MSH-18 did not convert and that are not
// valid UTF-8 are read as ISO 8859/1.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hl7/v2/message.h"

namespace hearth::hl7 {

// One component: its decoded subcomponents (one when the component has no subcomponent
// separator).
using ViewComponent = std::vector<std::string>;
// One repetition: its components (one when there is no component separator).
using ViewRepetition = std::vector<ViewComponent>;

struct FieldView {
  int number = 0;  // 1-based; MSH-1 is the field separator
  std::vector<ViewRepetition> repetitions;
};

struct SegmentView {
  std::string name;               // "PID"
  std::vector<FieldView> fields;  // non-empty fields, ascending number
};

struct MessageView {
  std::vector<SegmentView> segments;
  // True when the tree stopped at a ViewLimits bound: what is there is right, the rest is left
  // out.
  bool truncated = false;
};

// Bounds on one view, so a hostile message (16 MiB of separators, or of \.sp\ escapes that
// expand) costs a bounded amount of memory: the decoded bytes and the pieces (subcomponents)
// kept.
struct ViewLimits {
  std::size_t max_decoded_bytes = 8u << 20;
  std::size_t max_pieces = 200'000;
};

// The decoded tree of `message`, within `limits`.
MessageView view_of(const Message& message, const ViewLimits& limits = {});

}  // namespace hearth::hl7
