// Building the decoded tree: split each field's raw bytes at the message's own separators first,
// then decode every piece, so an escaped delimiter (\S\) ends up as text inside its piece.
#include "api/hl7_message_view.h"

#include <algorithm>

#include "hl7/charset.h"

namespace hearth::api {
namespace {

// The pieces of `text` between `separator`s, one at a time (a field of millions of separators
// must not become a vector first).
class Pieces {
 public:
  Pieces(std::string_view text, char separator) : rest_(text), separator_(separator) {}
  bool next(std::string_view& piece) {
    if (done_) return false;
    const std::size_t at = rest_.find(separator_);
    piece = rest_.substr(0, at);
    if (at == std::string_view::npos) {
      done_ = true;
    } else {
      rest_.remove_prefix(at + 1);
    }
    return true;
  }

 private:
  std::string_view rest_;
  char separator_;
  bool done_ = false;
};

// What a view may still take; every decoded piece is charged to it.
struct Budget {
  std::size_t bytes, pieces;
  bool exhausted = false;
  bool charge(std::size_t size) {
    if (pieces == 0 || size > bytes) {
      exhausted = true;
      return false;
    }
    --pieces;
    bytes -= size;
    return true;
  }
};

Hl7Component component_of(const hl7::Message& message, std::string_view raw, Budget& budget) {
  Hl7Component out;
  std::string buffer;
  Pieces pieces(raw, message.delimiters().subcomponent);
  for (std::string_view piece; pieces.next(piece);) {
    std::string text = as_utf8(message.decode(piece, buffer));
    if (!budget.charge(text.size())) break;
    out.push_back(std::move(text));
  }
  return out;
}

Hl7FieldView field_of(const hl7::Message& message, int number, std::string_view raw,
                      bool delimiter_field, Budget& budget) {
  Hl7FieldView field;
  field.number = number;
  if (delimiter_field) {  // MSH-1, MSH-2: the delimiters themselves
    if (budget.charge(raw.size())) {
      field.repetitions.push_back(Hl7Repetition{Hl7Component{std::string(raw)}});
    }
    return field;
  }
  const hl7::Delimiters& d = message.delimiters();
  Pieces repetitions(raw, d.repetition);
  for (std::string_view repetition; repetitions.next(repetition);) {
    Hl7Repetition components;
    Pieces parts(repetition, d.component);
    for (std::string_view component; parts.next(component);) {
      if (budget.exhausted) break;
      components.push_back(component_of(message, component, budget));
    }
    field.repetitions.push_back(std::move(components));
    if (budget.exhausted) break;
  }
  return field;
}

void write_component(PrettyJsonWriter& w, const Hl7Component& component) {
  if (component.size() == 1) {
    write_text(w, component.front());
    return;
  }
  w.StartArray();
  for (const std::string& sub : component) write_text(w, sub);
  w.EndArray();
}

void write_repetition(PrettyJsonWriter& w, const Hl7Repetition& repetition) {
  if (repetition.size() == 1) {
    write_component(w, repetition.front());
    return;
  }
  w.StartArray();
  for (const Hl7Component& component : repetition) write_component(w, component);
  w.EndArray();
}

}  // namespace

std::string as_utf8(std::string_view text) {
  return hl7::to_utf8(text, hl7::Charset::kOther);
}

Hl7MessageView view_of(const hl7::Message& message, const ViewLimits& limits) {
  Hl7MessageView view;
  Budget budget{limits.max_decoded_bytes, limits.max_pieces};
  view.segments.reserve(std::min<std::size_t>(message.segment_count(), limits.max_pieces));
  for (std::size_t s = 0; s < message.segment_count() && !budget.exhausted; ++s) {
    Hl7SegmentView segment;
    segment.name = std::string(message.segment_id(s));
    const bool header = segment.name == "MSH";
    const int count = message.field_count(s);
    for (int n = 1; n <= count && !budget.exhausted; ++n) {
      hl7::FieldValue value = message.field(s, n);
      if (value.raw.empty()) continue;
      segment.fields.push_back(field_of(message, n, value.raw, header && n <= 2, budget));
    }
    view.segments.push_back(std::move(segment));
  }
  view.truncated = budget.exhausted;
  return view;
}

void write_text(PrettyJsonWriter& w, std::string_view text) {
  const std::string utf8 = as_utf8(text);
  w.String(utf8.data(), static_cast<rapidjson::SizeType>(utf8.size()));
}

void write_hl7_view(PrettyJsonWriter& w, const Hl7MessageView& view) {
  w.StartObject();
  w.Key("segments");
  w.StartArray();
  for (const Hl7SegmentView& segment : view.segments) {
    w.StartObject();
    w.Key("name");
    write_text(w, segment.name);
    w.Key("fields");
    w.StartObject();
    for (const Hl7FieldView& field : segment.fields) {
      const std::string key = std::to_string(field.number);
      w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
      // A field's components on one line: ["SMITH", "JANE"], not one line per item.
      w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
      if (field.repetitions.size() == 1) {
        write_repetition(w, field.repetitions.front());
      } else {
        w.StartObject();
        w.Key("repetitions");
        w.StartArray();
        for (const Hl7Repetition& repetition : field.repetitions) write_repetition(w, repetition);
        w.EndArray();
        w.EndObject();
      }
      w.SetFormatOptions(rapidjson::kFormatDefault);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  if (view.truncated) {
    w.Key("truncated");
    w.Bool(true);
  }
  w.EndObject();
}

void write_parse_error(PrettyJsonWriter& w, const hl7::ParseError& error) {
  w.StartObject();
  w.Key("code");
  w.Int(static_cast<int>(error.code));
  w.Key("text");
  write_text(w, hl7::error_code_text(error.code));
  const std::string location = hl7::format_location(error.location);
  if (!location.empty()) {
    w.Key("location");
    write_text(w, location);
  }
  w.Key("message");
  write_text(w, error.message);
  w.EndObject();
}

}  // namespace hearth::api
