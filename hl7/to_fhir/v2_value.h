// A value inside a parsed v2 message as the maps walk it: one repetition of a field, one of its
// components, or one subcomponent; its parts are found on access (no copy), its text decoded
// (escapes, character set) only when read. And the ValueSource that row conditions read:
// "PID-13.2" in the segment being mapped (the repetition being mapped when it is that field),
// "XAD.7" in the value a data type map is applied to.
//
// Ownership: borrows the Message, which must outlive every value. Thread-safety: as Message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "hl7/to_fhir/condition.h"
#include "hl7/v2/message.h"

namespace hearth::hl7::to_fhir {

class V2Value {
 public:
  enum class Level { kField, kComponent, kSubcomponent };
  V2Value() = default;
  V2Value(const Message& message, std::string_view raw, Level level)
      : message_(&message), raw_(raw), level_(level) {}

  // Part `n` (1-based): a component of a field, a subcomponent of a component; an empty value
  // when there is no such part (a subcomponent has none).
  V2Value part(int n) const;
  // True when anything but separators is in it ("^^" is not valued; "\"\"", the v2 null, is).
  bool valued() const;
  // The decoded text of its first part all the way down: a field "I^Inpatient" reads "I".
  std::string text() const;
  // The decoded text of the whole value, separators included.
  std::string whole_text() const;
  std::string_view raw() const { return raw_; }
  Level level() const { return level_; }

 private:
  char separator() const;
  const Message* message_ = nullptr;
  std::string_view raw_;
  Level level_ = Level::kSubcomponent;
};

// The repetitions of field `field` of segment `segment` (none when it is empty).
std::vector<V2Value> field_repetitions(const Message& message, std::size_t segment, int field);
// The first of them (an empty value when there is none), and how many of them are valued: as
// field_repetitions gives them, without the vector (conditions ask these for every row).
V2Value first_repetition(const Message& message, std::size_t segment, int field);
int valued_repetitions(const Message& message, std::size_t segment, int field);

// What a row's condition reads, in the place the row is applied.
class RowContext : public ValueSource {
 public:
  RowContext(const Message& message, std::size_t segment) : message_(message), segment_(segment) {}
  // The field repetition being mapped (segment rows), or the value a data type map is applied
  // to (data type rows).
  void set_current_field(int field, const V2Value& repetition) {
    current_field_ = field;
    current_repetition_ = repetition;
  }
  void set_current_value(const V2Value& value) { current_value_ = value; }

  bool valued(const ValueRef& ref) const override { return resolve(ref).valued(); }
  std::string text(const ValueRef& ref) const override { return resolve(ref).text(); }
  int repetitions(const ValueRef& ref) const override;

 private:
  V2Value resolve(const ValueRef& ref) const;
  const Message& message_;
  std::size_t segment_;
  int current_field_ = 0;
  V2Value current_repetition_;
  V2Value current_value_;
};

}  // namespace hearth::hl7::to_fhir
