// The conditions of the V2-to-FHIR IG's map rows ("Computable ANTLR" column), compiled once and
// evaluated against a message: "IF PID-7 LENGTH GREATER THAN 8", "IF PID-13.2 IS NOT VALUED",
// "IF XAD.7 IN ("M", "SH")", "IF PV1-2 EQUALS "P" AND PV1-3 NOT VALUED", "IF PID-11 LST.COUNT
// GREATER THAN 1", with AND / OR / NOT and parentheses, keywords in any case.
//
// A condition without a subject ("IF NOT VALUED") is about the row's own field. A value
// compared with EQUALS / IN matches exactly (v2 codes are case-sensitive). The few conditions
// the IG words as prose or points at a document ("IN http://...identifier-registry.html") do
// not compile: compile_condition says why, and the engine lists those rows as not computed.
//
// Thread-safety: a compiled Condition is immutable; evaluate() may run concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::hl7::to_fhir {

// A place a condition reads: "PID-11.9" (segment field, component) or "XAD.7" (a data type's
// component, read in the value the data type map is applied to).
struct ValueRef {
  std::string owner;  // "PID", "XAD"
  int field = 0;      // PID-11 -> 11; XAD.7 -> 7 (the component of the current value)
  int component = 0;  // PID-11.9 -> 9; XAD.7.1 -> 1; 0 = the whole
  int subcomponent = 0;
  bool is_segment = false;  // written with '-' (a segment field) rather than '.'
};

// Parses "PID-11.9", "XAD.7", "CWE.1"; false when `text` is not such a reference.
bool parse_value_ref(std::string_view text, ValueRef& out);

// What a condition asks of the message, in the context the row is applied in (the current
// repetition of the row's field, the current value of a data type map).
class ValueSource {
 public:
  virtual ~ValueSource() = default;
  // True when anything but separators is at `ref`.
  virtual bool valued(const ValueRef& ref) const = 0;
  // The decoded text at `ref`; for a ref that names a whole field or component, the text of its
  // first part (a coded field compares by its identifier: PV1-2 "I^Inpatient" reads "I").
  virtual std::string text(const ValueRef& ref) const = 0;
  // How many repetitions the field at `ref` has (0 when it is not valued).
  virtual int repetitions(const ValueRef& ref) const = 0;
};

class Condition {
 public:
  struct Node;
  explicit Condition(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  bool evaluate(const ValueSource& source) const;

 private:
  std::shared_ptr<const Node> root_;
};

// Compiles `text` for a row whose own field is `subject`. kInvalidArgument naming the place it
// stopped when the text is not a condition this grammar computes. An empty text is "always".
Result<Condition> compile_condition(std::string_view text, const ValueRef& subject);

}  // namespace hearth::hl7::to_fhir
