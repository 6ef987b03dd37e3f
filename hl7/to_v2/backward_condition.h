// A map row's condition read backwards. Forwards, "IF OBX-2 EQUALS "NM"" says when OBX-5 goes to
// valueQuantity; backwards, a row that writes OBX-5 from valueQuantity implies OBX-2 = "NM". This
// reads the IG's "Computable ANTLR" text as a conjunction of tests on v2 places, each of which
// backwards is a fact to check or to make true:
//   X EQUALS "a" / X IS "a" / X = "a" / X IN ("a", "b")   X takes the first value unless it holds
//                                                          one of them (else the row is out)
//   X NOT EQUALS "a" / X NOT IN (...)                      X must not hold one of them
//   X NOT VALUED / X IS NOT VALUED / IF NOT VALUED         X stays empty (about the row's own
//                                                          place: the row is a default, out)
//   X VALUED / X IS VALUED                                 taken as met
// Anything else (OR, parentheses, LENGTH, COUNT, a web page) does not compile: the row is not read
// backwards. Keywords in any case; "IF" may start every test ("IF HD.1 NOT VALUED AND IF ...").
//
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/to_fhir/condition.h"

namespace hearth::hl7::to_v2 {

struct BackwardTest {
  enum class Kind { kIn, kNotIn, kNotValued, kValued };
  Kind kind = Kind::kValued;
  to_fhir::ValueRef ref;  // owner empty: the row's own place
  std::vector<std::string> values;
};

// The tests of `text` ("" -> none), or nullopt when it is not a conjunction of the tests above.
std::optional<std::vector<BackwardTest>> compile_backward(std::string_view text);

}  // namespace hearth::hl7::to_v2
