// One X12 file: one or more interchanges (ISA..IEA), each with functional groups (GS..GE) of
// transaction sets (ST..SE). Zero-copy: the document keeps a view of the caller's bytes and
// compact offset tables (segments, elements); components and repetitions are located inside an
// element on access. Parsing never stops at the first problem: envelope errors (control numbers,
// counts, missing trailers, ISA widths), segment syntax and, for the transaction sets that have a
// loop table (loop_table.h), loop structure are collected as findings (finding.h), from which
// ack.h builds the TA1 and 999. Only input that has no readable ISA at all, or breaks a bound of
// Limits, fails the parse.
//
// Ownership: parse() borrows `text`, which must outlive the Document.
// Thread-safety: a parsed Document is immutable; const methods may run concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "hl7/x12/delimiters.h"
#include "hl7/x12/finding.h"
#include "hl7/x12/loop_table.h"

namespace hearth::hl7::x12 {

// Every input is bounded; breaking a bound fails the parse with kPayloadTooLarge and a message
// naming the bound (size, segments), or is a finding (an element too long, too many elements).
struct Limits {
  std::size_t max_bytes = std::size_t{512} << 20;  // the whole file (offsets are 32-bit)
  std::size_t max_segments = 8'000'000;            // all interchanges together
  std::size_t max_interchanges = 100'000;
  std::size_t max_element_length = 4096;  // bytes of one element (IK4 code 5 beyond)
  std::size_t max_elements = 256;         // elements of one segment (IK4 code 3 beyond)
  bool check_structure = true;            // run the loop tables (false: envelopes only)
};

// 16 bytes: the content's end is the last element's end, and the interchange a segment belongs
// to is found from the interchanges' segment ranges.
struct SegmentRecord {
  std::uint32_t begin = 0;           // first byte of the segment id
  std::uint32_t terminator_end = 0;  // after the terminator and any line breaks that follow
  std::uint32_t first_element = 0;   // index of element 0 (the id) in the element-end table
  std::uint32_t element_count = 0;   // entries in the element table, the id included
};

// One loop occurrence found by the structure check. `parent` indexes the same vector (kNone for
// the transaction set itself, node 0).
struct LoopNode {
  const LoopDef* def = nullptr;
  std::uint32_t parent = kNone;
  std::uint32_t first_segment = 0;  // document segment indices, inclusive
  std::uint32_t last_segment = 0;
};

struct Transaction {
  std::uint32_t header = 0;          // ST
  std::uint32_t trailer = kNone;     // SE (kNone when missing)
  std::string_view set_id;           // ST01 ("837")
  std::string_view control_number;   // ST02
  std::string_view convention;       // ST03, or GS08 when ST03 is empty
  const LoopTable* table = nullptr;  // nullptr: no loop table for this set and guide
  std::vector<LoopNode> loops;       // empty unless the structure was checked
};

struct Group {
  std::uint32_t header = 0;         // GS
  std::uint32_t trailer = kNone;    // GE
  std::string_view functional_id;   // GS01 ("HC")
  std::string_view sender;          // GS02
  std::string_view receiver;        // GS03
  std::string_view control_number;  // GS06
  std::string_view version;         // GS08
  std::vector<Transaction> transactions;
};

struct Interchange {
  std::uint32_t header = 0;       // ISA
  std::uint32_t trailer = kNone;  // IEA
  std::uint32_t end_segment = 0;  // one past the interchange's last segment
  Delimiters delimiters;
  std::string_view sender_qualifier, sender, receiver_qualifier, receiver;  // ISA05..ISA08
  std::string_view date, time, version, control_number;  // ISA09, ISA10, ISA12, ISA13
  bool ack_requested = false;                            // ISA14 = 1
  std::string_view usage;                                // ISA15 (P, T, I)
  std::vector<Group> groups;
  std::vector<std::uint32_t> ta1_segments;  // TA1 segments the interchange carries
};

class Document {
 public:
  // Parses `text` (an optional UTF-8 BOM and line breaks, then ISA...). Fails with kMalformed
  // when no ISA opens the text or an ISA cannot be read (too short, unusable delimiters), and
  // with kPayloadTooLarge past a bound of `limits`; everything else is a finding.
  static Result<Document> parse(std::string_view text, const Limits& limits = {});
  static Result<Document> parse(const char* text, const Limits& limits = {}) {
    return parse(std::string_view(text), limits);
  }
  // The document borrows its text, so a temporary string would dangle.
  static Result<Document> parse(std::string&& text, const Limits& limits = {}) = delete;

  Document(Document&&) = default;
  Document& operator=(Document&&) = default;

  std::string_view text() const { return text_; }
  const std::vector<Interchange>& interchanges() const { return interchanges_; }
  const std::vector<Finding>& findings() const { return findings_; }
  std::size_t transaction_count() const;

  std::size_t segment_count() const { return segments_.size(); }
  const SegmentRecord& segment(std::size_t index) const { return segments_[index]; }
  std::string_view segment_id(std::size_t index) const;
  // The segment's text without its terminator.
  std::string_view segment_text(std::size_t index) const;
  // Elements after the id (NM1*41*2 has 2).
  int element_count(std::size_t index) const;
  // Element `number` (1-based) of segment `index`, raw (components and repetitions inside); ""
  // past the last element.
  std::string_view element(std::size_t index, int number) const;
  // Component `component` (1-based) of repetition `repetition` (1-based) of an element.
  std::string_view component(std::size_t index, int number, int component,
                             int repetition = 1) const;
  const Delimiters& delimiters_of(std::size_t index) const;
  // The loop id ("2010AA") the structure check placed segment `index` in; "" when unchecked.
  std::string_view loop_of(std::size_t index) const;

  // The document as bytes, rebuilt from the segment and element tables: byte-identical to the
  // parsed text (BOM, line breaks and trailing bytes kept).
  std::string write() const;

 private:
  friend class DocumentParser;
  Document() = default;

  std::string_view text_;
  std::string_view prefix_;  // BOM and line breaks before the first ISA
  std::string_view suffix_;  // bytes after the last segment
  std::vector<SegmentRecord> segments_;
  // Where each element ends (the offset of the separator or terminator after it), 4 bytes per
  // element: element k of a segment begins at the segment's begin (k = 0) or one byte after the
  // end of element k - 1 (separators are one byte). Half the table of begin/end pairs: its pages
  // are most of what a parse touches.
  std::vector<std::uint32_t> element_ends_;
  std::uint32_t element_begin(const SegmentRecord& rec, std::uint32_t k) const {
    return k == 0 ? rec.begin : element_ends_[rec.first_element + k - 1] + 1;
  }
  // The end of the segment's content, before its terminator.
  std::uint32_t content_end(const SegmentRecord& rec) const {
    return element_ends_[rec.first_element + rec.element_count - 1];
  }
  std::vector<Interchange> interchanges_;
  std::vector<Finding> findings_;
  // Per segment: the loop the structure check placed it in (empty when nothing was checked).
  std::vector<const LoopDef*> segment_loops_;
};

}  // namespace hearth::hl7::x12
