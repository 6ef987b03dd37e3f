// Building ER7 text from values: segments separated by CR, every value escaped. Used by the ACK
// builder and by anyone creating a message from scratch (parse the result with
// Message::parse_owned to read it back).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "hl7/v2/delimiters.h"

namespace hearth::hl7 {

class MessageBuilder {
 public:
  explicit MessageBuilder(const Delimiters& d = {}) : d_(d) {}

  // Starts a segment. For MSH, BHS and FHS the separator and encoding characters (fields 1 and
  // 2) are written at once, so the next field() is field 3.
  MessageBuilder& segment(std::string_view id);
  // Appends the next field with `text` escaped.
  MessageBuilder& field(std::string_view text);
  // Appends the next field as given (already escaped, may hold component separators).
  MessageBuilder& raw_field(std::string_view raw);
  // Appends the next field made of these components, each escaped.
  MessageBuilder& components(std::initializer_list<std::string_view> parts);
  // Appends `count` empty fields.
  MessageBuilder& skip(int count = 1);

  const Delimiters& delimiters() const { return d_; }
  // The text built so far, each segment ended by CR.
  std::string finish();

 private:
  void end_segment();
  Delimiters d_;
  std::string out_;
  bool open_ = false;
};

}  // namespace hearth::hl7
