// Building the decoded tree: split each field's raw bytes at the message's own separators first,
// then decode every piece, so an escaped delimiter (\S\) ends up as text inside its piece.
#include "hl7/v2/message_view.h"

#include <algorithm>
#include <string_view>

#include "hl7/v2/charset.h"

namespace hearth::hl7 {
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

ViewComponent component_of(const Message& message, std::string_view raw, Budget& budget) {
  ViewComponent out;
  std::string buffer;
  Pieces pieces(raw, message.delimiters().subcomponent);
  for (std::string_view piece; pieces.next(piece);) {
    std::string text = to_utf8(message.decode(piece, buffer), Charset::kOther);
    if (!budget.charge(text.size())) break;
    out.push_back(std::move(text));
  }
  return out;
}

FieldView field_of(const Message& message, int number, std::string_view raw, bool delimiter_field,
                   Budget& budget) {
  FieldView field;
  field.number = number;
  if (delimiter_field) {  // MSH-1, MSH-2: the delimiters themselves
    if (budget.charge(raw.size())) {
      field.repetitions.push_back(ViewRepetition{ViewComponent{std::string(raw)}});
    }
    return field;
  }
  const Delimiters& d = message.delimiters();
  Pieces repetitions(raw, d.repetition);
  for (std::string_view repetition; repetitions.next(repetition);) {
    ViewRepetition components;
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

}  // namespace

MessageView view_of(const Message& message, const ViewLimits& limits) {
  MessageView view;
  Budget budget{limits.max_decoded_bytes, limits.max_pieces};
  view.segments.reserve(std::min<std::size_t>(message.segment_count(), limits.max_pieces));
  for (std::size_t s = 0; s < message.segment_count() && !budget.exhausted; ++s) {
    SegmentView segment;
    segment.name = std::string(message.segment_id(s));
    const bool header = segment.name == "MSH";
    const int count = message.field_count(s);
    for (int n = 1; n <= count && !budget.exhausted; ++n) {
      FieldValue value = message.field(s, n);
      if (value.raw.empty()) continue;
      segment.fields.push_back(field_of(message, n, value.raw, header && n <= 2, budget));
    }
    view.segments.push_back(std::move(segment));
  }
  view.truncated = budget.exhausted;
  return view;
}

}  // namespace hearth::hl7
