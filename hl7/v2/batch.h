// A file or batch of messages: FHS? (BHS? MSH... BTS?)* FTS?, or simply several messages one
// after the other with no envelope. A single message is a batch of one, so Batch::parse reads
// anything Message::parse reads. Envelope segments are kept as raw views so the whole input
// writes back byte-identical.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/v2/message.h"

namespace hearth::hl7 {

// An FHS, BHS, BTS or FTS segment and the line breaks after it.
struct EnvelopeSegment {
  std::string_view text;
  std::string_view terminator;
  Delimiters delimiters;

  std::string_view id() const { return text.substr(0, 3); }
  // Field `number` (FHS-1/BHS-1 is the field separator); empty when absent.
  std::string_view field(int number) const;
};

// One BHS ... BTS group; header/trailer are empty for messages outside any BHS.
struct BatchGroup {
  std::optional<EnvelopeSegment> header;
  std::vector<Message> messages;
  std::optional<EnvelopeSegment> trailer;
};

class BatchReader;

class Batch {
 public:
  // Parses `text` (borrowed: it must outlive the Batch). Fails with kMalformed and, in `error`,
  // table 0357 code 100 (segment sequence error) for: no MSH at all, a segment other than an
  // envelope one before the first MSH, a second FHS, a BHS while a batch is open, anything after
  // FTS; and with the codes of Message::parse for a malformed message.
  static Result<Batch> parse(std::string_view text, ParseError* error = nullptr);
  static Result<Batch> parse(const char* text, ParseError* error = nullptr) {
    return parse(std::string_view(text), error);
  }
  // The batch borrows its text, so a temporary string would dangle.
  static Result<Batch> parse(std::string&& text, ParseError* error = nullptr) = delete;

  const std::optional<EnvelopeSegment>& file_header() const { return file_header_; }
  const std::optional<EnvelopeSegment>& file_trailer() const { return file_trailer_; }
  const std::vector<BatchGroup>& groups() const { return groups_; }
  std::vector<BatchGroup>& groups() { return groups_; }
  std::size_t message_count() const;

  // The batch as ER7: byte-identical to the input while no message was modified.
  std::string write() const;

 private:
  friend class BatchReader;
  std::string_view prefix_;
  std::optional<EnvelopeSegment> file_header_;
  std::vector<BatchGroup> groups_;
  std::optional<EnvelopeSegment> file_trailer_;
};

}  // namespace hearth::hl7
