// Trailing empty fields are written as given: callers decide how many fields a segment has.
#include "hl7/v2/writer.h"

#include "hl7/v2/escape.h"

namespace hearth::hl7 {

void MessageBuilder::end_segment() {
  if (open_) out_ += '\r';
  open_ = false;
}

MessageBuilder& MessageBuilder::segment(std::string_view id) {
  end_segment();
  out_.append(id);
  if (id == "MSH" || id == "BHS" || id == "FHS") {
    out_ += d_.field;
    out_ += d_.encoding_characters();
  }
  open_ = true;
  return *this;
}

MessageBuilder& MessageBuilder::field(std::string_view text) {
  out_ += d_.field;
  encode_value(text, d_, out_);
  return *this;
}

MessageBuilder& MessageBuilder::raw_field(std::string_view raw) {
  out_ += d_.field;
  out_.append(raw);
  return *this;
}

MessageBuilder& MessageBuilder::components(std::initializer_list<std::string_view> parts) {
  out_ += d_.field;
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) out_ += d_.component;
    first = false;
    encode_value(part, d_, out_);
  }
  return *this;
}

MessageBuilder& MessageBuilder::skip(int count) {
  out_.append(static_cast<std::size_t>(count), d_.field);
  return *this;
}

std::string MessageBuilder::finish() {
  end_segment();
  return std::move(out_);
}

}  // namespace hearth::hl7
