// The IG's row conditions read backwards, and the segment values they act on.
#include "hl7/to_v2/backward_condition.h"

#include <doctest/doctest.h>

#include "hl7/to_v2/segment_values.h"

namespace hearth::hl7::to_v2 {
namespace {

using Kind = BackwardTest::Kind;

TEST_CASE("conditions that read backwards: value tests, VALUED tests, conjunctions") {
  auto none = compile_backward("");
  REQUIRE(none);
  CHECK(none->empty());

  auto nm = compile_backward("IF OBX-2 EQUALS \"NM\"");
  REQUIRE(nm);
  REQUIRE(nm->size() == 1);
  CHECK((*nm)[0].kind == Kind::kIn);
  CHECK((*nm)[0].ref.owner == "OBX");
  CHECK((*nm)[0].ref.field == 2);
  CHECK((*nm)[0].values == std::vector<std::string>{"NM"});

  auto list = compile_backward("IF OBX-2 IN (\"ST\", \"FT\", \"TX\")");
  REQUIRE(list);
  CHECK((*list)[0].values == std::vector<std::string>{"ST", "FT", "TX"});

  auto both = compile_backward("If CWE.1 IS VALUED AND CWE.3 IS NOT VALUED");
  REQUIRE(both);
  REQUIRE(both->size() == 2);
  CHECK((*both)[0].kind == Kind::kValued);
  CHECK((*both)[1].kind == Kind::kNotValued);
  CHECK((*both)[1].ref.field == 3);

  auto not_in = compile_backward("IF XTN.3 NOT IN (\"Internet\", \"X.400\") AND XTN.7 NOT VALUED");
  REQUIRE(not_in);
  CHECK((*not_in)[0].kind == Kind::kNotIn);
  CHECK((*not_in)[1].kind == Kind::kNotValued);

  auto own = compile_backward("IF NOT VALUED");
  REQUIRE(own);
  CHECK((*own)[0].kind == Kind::kNotValued);
  CHECK((*own)[0].ref.owner.empty());

  auto repeated_if = compile_backward("IF HD.1 NOT VALUED AND IF HD-3 = \"ISO\"");
  REQUIRE(repeated_if);
  CHECK((*repeated_if)[1].values == std::vector<std::string>{"ISO"});
  CHECK((*compile_backward("IF PV1-2.1 NOT EQUALS \"P\""))[0].kind == Kind::kNotIn);
}

TEST_CASE("conditions that do not read backwards are refused") {
  CHECK_FALSE(compile_backward("IF PID-7 LENGTH GREATER THAN 8"));
  CHECK_FALSE(compile_backward("IF OBX-5 LST.count LESS THAN OR EQUALS 1 OR OBX-2 IS \"NA\""));
  CHECK_FALSE(compile_backward("IF (OBX-2 EQUALS \"SN\"  AND OBX-5.1  EQUALS \"<>\""));
  CHECK_FALSE(
      compile_backward("IF CX.4 IN http://hl7.org/implement/standards/fhir/identifier-registry"));
  CHECK_FALSE(compile_backward("IF OBX-2 EQUALS NM"));
}

TEST_CASE("segment values: first write wins, locks, bounds, escaped ER7") {
  SegmentValues s("OBX");
  CHECK(s.set(Position{5, 1, 1, 1}, "a|b^c"));
  CHECK_FALSE(s.set(Position{5, 1, 1, 1}, "other"));  // the first value stays
  CHECK(s.text(Position{5, 1, 1, 1}) == "a|b^c");
  s.lock(Position{6, 1, 0, 0});
  CHECK_FALSE(s.set(Position{6, 1, 2, 1}, "x"));  // a whole field locked
  CHECK(s.set(Position{3, 1, 1, 1}, "code"));
  CHECK(s.set(Position{3, 1, 3, 1}, "LN"));
  CHECK(s.set(Position{3, 2, 1, 1}, "second"));
  CHECK(s.set(Position{4, 1, 2, 3}, "deep"));
  CHECK(s.valued(Position{3, 1, 0, 0}));
  CHECK_FALSE(s.valued(Position{7, 1, 0, 0}));
  CHECK(s.repetitions(3) == 2);
  CHECK_FALSE(s.set(Position{SegmentValues::kMaxField + 1, 1, 1, 1}, "x"));
  CHECK_FALSE(s.set(Position{2, SegmentValues::kMaxRepetition + 1, 1, 1}, "x"));
  CHECK_FALSE(s.set(Position{2, 1, 1, 1}, ""));
  CHECK(s.to_er7(Delimiters{}) == "OBX|||code^^LN~second|^&&deep|a\\F\\b\\S\\c");
}

}  // namespace
}  // namespace hearth::hl7::to_v2
