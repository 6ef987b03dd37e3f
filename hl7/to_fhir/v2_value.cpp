// Parts through hl7::detail::nth_piece on the raw bytes; text through Message::decode.
#include "hl7/to_fhir/v2_value.h"

#include "hl7/v2/piece.h"

namespace hearth::hl7::to_fhir {

char V2Value::separator() const {
  const Delimiters& d = message_->delimiters();
  return level_ == Level::kField ? d.component : d.subcomponent;
}

V2Value V2Value::part(int n) const {
  if (message_ == nullptr || level_ == Level::kSubcomponent || n < 1) return {};
  const auto piece = detail::nth_piece(raw_, separator(), static_cast<std::size_t>(n - 1));
  if (!piece) return {};
  return V2Value(*message_, *piece,
                 level_ == Level::kField ? Level::kComponent : Level::kSubcomponent);
}

bool V2Value::valued() const {
  if (message_ == nullptr) return false;
  const Delimiters& d = message_->delimiters();
  for (char c : raw_) {
    if (c != d.component && c != d.subcomponent && c != d.repetition) return true;
  }
  return false;
}

std::string V2Value::text() const {
  if (message_ == nullptr) return {};
  // The first part all the way down (part(1).part(1)...) is what comes before the first
  // separator of any level below this one.
  std::string_view first = raw_;
  const Delimiters& d = message_->delimiters();
  if (level_ == Level::kField) {
    const char separators[] = {d.component, d.subcomponent};
    first = first.substr(0, first.find_first_of(std::string_view(separators, 2)));
  } else if (level_ == Level::kComponent) {
    first = first.substr(0, first.find(d.subcomponent));
  }
  std::string buffer;
  const std::string_view decoded = message_->decode(first, buffer);
  if (decoded.data() == buffer.data()) return buffer;
  return std::string(decoded);
}

std::string V2Value::whole_text() const {
  if (message_ == nullptr) return {};
  std::string buffer;
  return std::string(message_->decode(raw_, buffer));
}

std::vector<V2Value> field_repetitions(const Message& message, std::size_t segment, int field) {
  std::vector<V2Value> out;
  const FieldValue value = message.field(segment, field);
  if (value.raw.empty()) return out;
  // MSH-1 and MSH-2 are the delimiters themselves: one value, never split.
  if (message.segment_id(segment) == "MSH" && field <= 2) {
    out.emplace_back(message, value.raw, V2Value::Level::kSubcomponent);
    return out;
  }
  const char sep = message.delimiters().repetition;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = value.raw.find(sep, begin);
    out.emplace_back(message, value.raw.substr(begin, end - begin), V2Value::Level::kField);
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  return out;
}

V2Value first_repetition(const Message& message, std::size_t segment, int field) {
  const FieldValue value = message.field(segment, field);
  if (value.raw.empty()) return {};
  if (message.segment_id(segment) == "MSH" && field <= 2) {
    return V2Value(message, value.raw, V2Value::Level::kSubcomponent);
  }
  const std::size_t end = value.raw.find(message.delimiters().repetition);
  return V2Value(message, value.raw.substr(0, end), V2Value::Level::kField);
}

int valued_repetitions(const Message& message, std::size_t segment, int field) {
  const FieldValue value = message.field(segment, field);
  if (value.raw.empty()) return 0;
  if (message.segment_id(segment) == "MSH" && field <= 2) {
    return V2Value(message, value.raw, V2Value::Level::kSubcomponent).valued() ? 1 : 0;
  }
  const char sep = message.delimiters().repetition;
  int count = 0;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = value.raw.find(sep, begin);
    count += V2Value(message, value.raw.substr(begin, end - begin), V2Value::Level::kField).valued()
                 ? 1
                 : 0;
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  return count;
}

V2Value RowContext::resolve(const ValueRef& ref) const {
  V2Value value;
  if (ref.is_segment && ref.owner != message_.segment_id(segment_) && ref.owner.size() == 2) {
    // "HD-3" in HD[uri]: a data type's component written with a segment's '-' (an IG typo; no
    // segment id has two letters).
    ValueRef component = ref;
    component.is_segment = false;
    return resolve(component);
  }
  if (ref.is_segment) {
    if (ref.owner != message_.segment_id(segment_)) return {};  // another segment: not here
    if (ref.field == current_field_) {
      value = current_repetition_;
    } else {
      value = first_repetition(message_, segment_, ref.field);
    }
    if (ref.component > 0) value = value.part(ref.component);
    if (ref.subcomponent > 0) value = value.part(ref.subcomponent);
    return value;
  }
  // "XAD.7": component 7 of the value the data type map is applied to.
  value = current_value_.part(ref.field);
  if (ref.component > 0) value = value.part(ref.component);
  return value;
}

int RowContext::repetitions(const ValueRef& ref) const {
  if (!ref.is_segment) return resolve(ref).valued() ? 1 : 0;
  if (ref.owner != message_.segment_id(segment_)) return 0;
  return valued_repetitions(message_, segment_, ref.field);
}

}  // namespace hearth::hl7::to_fhir
