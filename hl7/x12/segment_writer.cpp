// Segment text from element values (segment_writer.h).
#include "hl7/x12/segment_writer.h"

namespace hearth::hl7::x12 {

void SegmentWriter::clean(std::string_view v, std::string& out) const {
  for (char c : v) {
    const bool delimiter = c == d_.element || c == d_.segment || c == d_.component ||
                           (d_.repetition != '\0' && c == d_.repetition);
    out += delimiter ? ' ' : c;
  }
}

void SegmentWriter::segment(const ElementText* elements, std::size_t size) {
  const bool header = size > 0 && elements[0].text == "ISA";
  std::size_t last = size;
  while (last > 1 && elements[last - 1].text.empty()) --last;
  for (std::size_t i = 0; i < last; ++i) {
    if (i > 0) out_ += d_.element;
    if (header || elements[i].composite) {
      out_ += elements[i].text;
    } else {
      clean(elements[i].text, out_);
    }
  }
  out_ += d_.segment;
  if (d_.segment != '\n') out_ += '\n';
  ++count_;
}

Composite SegmentWriter::composite(std::initializer_list<std::string_view> components) const {
  std::size_t last = components.size();
  while (last > 1 && (components.begin() + last - 1)->empty()) --last;
  Composite out;
  for (std::size_t i = 0; i < last; ++i) {
    if (i > 0) out.text += d_.component;
    clean(*(components.begin() + i), out.text);
  }
  return out;
}

Composite SegmentWriter::position(int element, int component, int repetition) const {
  Composite s{std::to_string(element)};
  if (component > 0 || repetition > 0) s.text += d_.component + std::to_string(component);
  if (repetition > 0) s.text += d_.component + std::to_string(repetition);
  return s;
}

}  // namespace hearth::hl7::x12
