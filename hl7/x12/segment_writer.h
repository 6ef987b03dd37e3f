// Writing X12 segments: elements joined by the interchange's delimiters, a segment terminator
// (and a line feed after it, unless the terminator is one) after each, the segments counted for
// SE01. Shared by the acknowledgments (ack.h) and the outbound 837P (to_fhir/x12_claim_writer.h).
//
// Values are written as given, except that a delimiter byte inside a value becomes a space (X12
// has no escape): inside a plain element every delimiter, inside a composite's component every
// delimiter too, while the component separators that join a composite (composite()) stay. The
// ISA is written raw (its ISA11 and ISA16 are the delimiters themselves). Trailing empty
// elements and components are dropped.
//
// Thread-safety: one writer per thread.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/x12/delimiters.h"

namespace hearth::hl7::x12 {

// Components already joined by composite(): written as they are.
struct Composite {
  std::string text;
};

// One element to write: plain text, or a composite. A view: what it refers to must outlive the
// segment() call.
struct ElementText {
  ElementText(std::string_view t) : text(t) {}
  ElementText(const std::string& t) : text(t) {}
  ElementText(const char* t) : text(t) {}
  ElementText(const Composite& c) : text(c.text), composite(true) {}
  std::string_view text;
  bool composite = false;
};

class SegmentWriter {
 public:
  explicit SegmentWriter(const Delimiters& d) : d_(d) {}

  void segment(std::initializer_list<ElementText> elements) {
    segment(elements.begin(), elements.size());
  }
  void segment(const std::vector<ElementText>& elements) {
    segment(elements.data(), elements.size());
  }

  // Components joined by the component separator, trailing empty ones dropped ("HC:99213").
  Composite composite(std::initializer_list<std::string_view> components) const;

  // The IK401 composite: element[:component[:repetition]].
  Composite position(int element, int component, int repetition) const;

  const Delimiters& delimiters() const { return d_; }
  void reset_count() { count_ = 0; }
  std::size_t count() const { return count_; }  // segments since the last reset
  std::string take() { return std::move(out_); }

 private:
  void segment(const ElementText* elements, std::size_t size);
  // `v` with every delimiter byte made a space, appended to `out`.
  void clean(std::string_view v, std::string& out) const;

  Delimiters d_;
  std::string out_;
  std::size_t count_ = 0;
};

}  // namespace hearth::hl7::x12
