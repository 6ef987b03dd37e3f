// Document access and the writer; the parse itself (envelopes and findings) is in envelope.cpp.
#include "hl7/x12/document.h"

#include <algorithm>
#include <iterator>

namespace hearth::hl7::x12 {

std::size_t Document::transaction_count() const {
  std::size_t n = 0;
  for (const auto& interchange : interchanges_) {
    for (const auto& group : interchange.groups) n += group.transactions.size();
  }
  return n;
}

std::string_view Document::segment_id(std::size_t index) const {
  const SegmentRecord& rec = segments_[index];
  return text_.substr(rec.begin, element_ends_[rec.first_element] - rec.begin);
}

std::string_view Document::segment_text(std::size_t index) const {
  const SegmentRecord& rec = segments_[index];
  return text_.substr(rec.begin, content_end(rec) - rec.begin);
}

int Document::element_count(std::size_t index) const {
  return static_cast<int>(segments_[index].element_count) - 1;
}

std::string_view Document::element(std::size_t index, int number) const {
  const SegmentRecord& rec = segments_[index];
  if (number < 1 || static_cast<std::uint32_t>(number) >= rec.element_count) return {};
  const auto k = static_cast<std::uint32_t>(number);
  const std::uint32_t begin = element_begin(rec, k);
  return text_.substr(begin, element_ends_[rec.first_element + k] - begin);
}

namespace {
// The `n`-th (1-based) piece of `text` split at `sep`; "" past the end.
std::string_view piece(std::string_view text, char sep, int n) {
  std::size_t start = 0;
  for (int i = 1; i < n; ++i) {
    const std::size_t next = text.find(sep, start);
    if (next == std::string_view::npos) return {};
    start = next + 1;
  }
  const std::size_t end = text.find(sep, start);
  return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}
}  // namespace

std::string_view Document::component(std::size_t index, int number, int component,
                                     int repetition) const {
  const Delimiters& d = delimiters_of(index);
  std::string_view value = element(index, number);
  if (d.repetition != '\0') {
    value = piece(value, d.repetition, repetition);
  } else if (repetition != 1) {
    return {};
  }
  return piece(value, d.component, component);
}

const Delimiters& Document::delimiters_of(std::size_t index) const {
  // The last interchange whose header is at or before the segment (segments are in order).
  auto after = std::upper_bound(interchanges_.begin(), interchanges_.end(), index,
                                [](std::size_t i, const Interchange& ic) { return i < ic.header; });
  return after == interchanges_.begin() ? interchanges_.front().delimiters
                                        : std::prev(after)->delimiters;
}

std::string_view Document::loop_of(std::size_t index) const {
  if (index >= segment_loops_.size() || segment_loops_[index] == nullptr) return {};
  return segment_loops_[index]->id;
}

std::string Document::write() const {
  std::string out;
  out.reserve(text_.size());
  out.append(prefix_);
  for (std::size_t index = 0; index < segments_.size(); ++index) {
    const SegmentRecord& rec = segments_[index];
    const char sep = delimiters_of(index).element;
    for (std::uint32_t e = 0; e < rec.element_count; ++e) {
      if (e > 0) out += sep;
      const std::uint32_t begin = element_begin(rec, e);
      out.append(text_.substr(begin, element_ends_[rec.first_element + e] - begin));
    }
    const std::uint32_t end = content_end(rec);
    out.append(text_.substr(end, rec.terminator_end - end));
  }
  out.append(suffix_);
  return out;
}

std::string format_location(const Finding& finding) {
  std::string out = finding.segment_id.empty() ? "?" : finding.segment_id;
  if (finding.position > 0) out += "[" + std::to_string(finding.position) + "]";
  if (finding.element > 0) {
    out += "-" + std::to_string(finding.element);
    if (finding.component > 0) out += "." + std::to_string(finding.component);
  }
  return out;
}

}  // namespace hearth::hl7::x12
