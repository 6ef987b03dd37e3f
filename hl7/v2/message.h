// One parsed HL7 v2 message (ER7). Zero-copy: the message keeps a view of the caller's bytes
// plus two compact offset tables (segments, fields), allocated once per message; repetitions,
// components and subcomponents are located inside a field on access. Values are returned raw
// (views into the buffer) or decoded (escapes resolved, 8859/1 converted to UTF-8) into a
// caller buffer only when decoding changes something.
//
// Ownership: parse() borrows `text`, which must outlive the Message; parse_owned() keeps the
// string inside. Edits (set, set_raw, add_segment) live in buffers owned by the Message.
// Thread-safety: const methods may run concurrently; edits need exclusive access.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "hl7/v2/charset.h"
#include "hl7/v2/delimiters.h"
#include "hl7/v2/error_code.h"
#include "hl7/v2/path.h"
#include "hl7/v2/segment_scanner.h"

namespace hearth::hl7 {

// A raw value at a path. `present` is false when the message stops before that part (HL7 treats
// that like an empty value, but a caller may want to tell them apart).
struct FieldValue {
  std::string_view raw;
  bool present = false;
};

// True for the versions this parser accepts in MSH-12: 2.1, 2.2, 2.3, 2.3.1, 2.4, 2.5, 2.5.1,
// 2.6, 2.7, 2.7.1, 2.8, 2.8.1, 2.8.2.
bool is_supported_version(std::string_view version);

class BatchReader;

class Message {
 public:
  // Parses exactly one message: an optional UTF-8 BOM and blank lines, then MSH and the segments
  // after it, separated by CR, LF or CRLF. On failure returns kMalformed and, when `error` is
  // given, the table 0357 code and location:
  //   100 segment sequence error: no MSH first, an invalid segment id, a second MSH or a batch
  //       segment (use Batch::parse for several messages)
  //   102 data type error at MSH-1/MSH-2: unusable delimiters
  //   101 required field missing at MSH-9 or MSH-12
  //   203 unsupported version id at MSH-12
  static Result<Message> parse(std::string_view text, ParseError* error = nullptr);
  static Result<Message> parse(const char* text, ParseError* error = nullptr) {
    return parse(std::string_view(text), error);
  }
  // The message borrows its text, so a temporary string would dangle: use parse_owned().
  static Result<Message> parse(std::string&& text, ParseError* error = nullptr) = delete;
  static Result<Message> parse_owned(std::string text, ParseError* error = nullptr);

  Message(Message&&) = default;
  Message& operator=(Message&&) = default;

  const Delimiters& delimiters() const { return delimiters_; }
  Charset charset() const { return charset_; }
  std::string_view version() const;        // MSH-12.1
  std::string_view message_code() const;   // MSH-9.1 ("ADT")
  std::string_view trigger_event() const;  // MSH-9.2 ("A01")
  std::string_view control_id() const;     // MSH-10

  std::size_t segment_count() const { return segments_.size(); }
  std::string_view segment_id(std::size_t index) const;
  // The segment's text without its terminator.
  std::string_view segment_text(std::size_t index) const;
  // The highest field number present in the segment (MSH counts MSH-1).
  int field_count(std::size_t index) const;
  // Field `number` (1-based; MSH-1 is the field separator) of segment `index`.
  FieldValue field(std::size_t index, int number) const;

  // The raw value at `path`. kNotFound when the segment occurrence does not exist; a missing
  // field, repetition, component or subcomponent is an empty value with present = false.
  Result<FieldValue> get(const Path& path) const;
  Result<FieldValue> get(std::string_view path) const;
  // The decoded value at `path`: a view of the raw bytes when nothing needs decoding, else a
  // view of `buffer`, which receives the decoded text.
  Result<std::string_view> get_decoded(const Path& path, std::string& buffer) const;
  Result<std::string> get_text(std::string_view path) const;
  // Decodes any raw value of this message (escapes, character set).
  std::string_view decode(std::string_view raw, std::string& buffer) const;

  // Sets the value at `path` to `text`, escaping delimiters; the segment must exist (see
  // add_segment). MSH-1 and MSH-2 cannot be set (kInvalidArgument), nor can the segment id.
  Status set(const Path& path, std::string_view text);
  Status set(std::string_view path, std::string_view text);
  // Same with an already escaped value, which may hold the separators below its level (a
  // field's components, a component's subcomponents). Line breaks are rejected.
  Status set_raw(const Path& path, std::string_view raw);
  // Appends an empty segment with this id (kInvalidArgument for an invalid or envelope id).
  Status add_segment(std::string_view segment_id);

  bool modified() const { return modified_; }
  // The message as ER7. Unmodified: byte-identical to the parsed text (BOM and original segment
  // terminators kept). Modified: every segment ends with CR and there is no BOM.
  std::string write() const;
  void write_to(std::string& out) const;

 private:
  friend class BatchReader;
  Message() = default;
  static Result<Message> parse_part(std::string_view text, bool in_batch, int first_sequence,
                                    std::size_t* consumed, ParseError* error);
  Status validate_header(ParseError* error) const;
  std::string_view buffer(std::uint32_t index) const;
  std::optional<std::size_t> find_segment(std::string_view id, int occurrence) const;

  std::unique_ptr<std::string> owned_;
  std::string_view prefix_;  // BOM and blank lines before MSH
  std::string_view body_;    // from MSH to the end of the message
  Delimiters delimiters_;
  Charset charset_ = Charset::kAscii;
  std::vector<detail::SegmentRecord> segments_;
  std::vector<detail::FieldSpan> fields_;
  std::vector<std::unique_ptr<std::string>> edits_;
  bool modified_ = false;
};

}  // namespace hearth::hl7
