// A parsed HL7 v2 message as a decoded tree for people: segments in order, each with its
// non-empty fields by number, every field split into repetitions, components and
// subcomponents with escapes decoded (hl7::Message::decode). The operating API
// (GET /hl7/messages/{id}, `parsed`) and `hearth hl7 parse` both show this one view: as JSON
// (write_hl7_view_json) or as an indented text tree (server/hl7_parse_command.cpp).
//
// JSON shape (docs/hl7.md): {"segments":[{"name":"PID","fields":{"3":..., "5":...}}, ...]},
// plus "truncated": true when the view stopped at its limits.
// A field value is a string (one repetition, one component, one subcomponent), an array of
// components (one repetition), or {"repetitions":[...]} (several); inside the component array
// an item is a string or, when it has subcomponents, an array of strings. MSH-1 and MSH-2 are
// the delimiters, kept as strings and never split. Empty fields are left out; empty pieces
// inside a field are kept as "" so positions stay right.
//
// Pure functions, thread-safe. Strings in the JSON are UTF-8: values the message's MSH-18 did
// not convert and that are not valid UTF-8 are read as ISO 8859/1.
#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <string>
#include <string_view>
#include <vector>

#include "hl7/error_code.h"
#include "hl7/message.h"

namespace hearth::api {

// One component: its decoded subcomponents (one when the component has no subcomponent
// separator).
using Hl7Component = std::vector<std::string>;
// One repetition: its components (one when there is no component separator).
using Hl7Repetition = std::vector<Hl7Component>;

struct Hl7FieldView {
  int number = 0;  // 1-based; MSH-1 is the field separator
  std::vector<Hl7Repetition> repetitions;
};

struct Hl7SegmentView {
  std::string name;                  // "PID"
  std::vector<Hl7FieldView> fields;  // non-empty fields, ascending number
};

struct Hl7MessageView {
  std::vector<Hl7SegmentView> segments;
  // True when the tree stopped at a ViewLimits bound: what is there is right, the rest is left
  // out (the JSON then says "truncated": true).
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
Hl7MessageView view_of(const hl7::Message& message, const ViewLimits& limits = {});

// The writer the operating API and the CLI print with: JSON indented by two spaces.
using PrettyJsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Writes the view (shape above) as one JSON object value.
void write_hl7_view(PrettyJsonWriter& w, const Hl7MessageView& view);

// Writes a parse error as {"code":100,"text":"Segment sequence error","location":"PID[2]-3",
// "message":"..."}; "location" is left out when the error has none.
void write_parse_error(PrettyJsonWriter& w, const hl7::ParseError& error);

// Writes `text` as a JSON string, UTF-8 as as_utf8() makes it.
void write_text(PrettyJsonWriter& w, std::string_view text);

// `text` when it is valid UTF-8, else with each byte >= 0x80 read as ISO 8859/1.
std::string as_utf8(std::string_view text);

}  // namespace hearth::api
