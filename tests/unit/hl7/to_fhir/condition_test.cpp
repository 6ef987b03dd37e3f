// The IG's row conditions compiled and evaluated against a table of values standing in for a
// message; and every condition of the vendored maps compiled, with the count of those that are
// prose printed (and bounded).
#include "hl7/to_fhir/condition.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <string>

#include "hl7/to_fhir/map_tables.h"

namespace hearth::hl7::to_fhir {
namespace {

// Values by reference text: "PID-7" -> "19800101"; repetitions by "PID-11".
class FakeSource : public ValueSource {
 public:
  std::map<std::string, std::string> values;
  std::map<std::string, int> counts;

  static std::string key(const ValueRef& ref) {
    std::string out = ref.owner + (ref.is_segment ? "-" : ".") + std::to_string(ref.field);
    if (ref.component > 0) out += "." + std::to_string(ref.component);
    if (ref.subcomponent > 0) out += "." + std::to_string(ref.subcomponent);
    return out;
  }
  bool valued(const ValueRef& ref) const override { return !text(ref).empty(); }
  std::string text(const ValueRef& ref) const override {
    auto it = values.find(key(ref));
    return it == values.end() ? std::string() : it->second;
  }
  int repetitions(const ValueRef& ref) const override {
    auto it = counts.find(key(ref));
    return it == counts.end() ? (valued(ref) ? 1 : 0) : it->second;
  }
};

ValueRef ref_of(std::string_view text) {
  ValueRef ref;
  REQUIRE(parse_value_ref(text, ref));
  return ref;
}

bool holds(std::string_view condition, const FakeSource& source, std::string_view subject) {
  Result<Condition> compiled = compile_condition(condition, ref_of(subject));
  REQUIRE_MESSAGE(compiled.is_ok(), std::string(condition));
  return compiled->evaluate(source);
}

}  // namespace

TEST_CASE("v2 map conditions: references") {
  ValueRef ref;
  REQUIRE(parse_value_ref("PID-11.9", ref));
  CHECK(ref.owner == "PID");
  CHECK(ref.is_segment);
  CHECK(ref.field == 11);
  CHECK(ref.component == 9);
  REQUIRE(parse_value_ref("XAD.7", ref));
  CHECK_FALSE(ref.is_segment);
  CHECK(ref.field == 7);
  CHECK(ref.component == 0);
  CHECK_FALSE(parse_value_ref("VALUED", ref));
  CHECK_FALSE(parse_value_ref("PID-", ref));
  CHECK_FALSE(parse_value_ref("PID-7x", ref));
}

TEST_CASE("v2 map conditions: valued, equality, lists, lengths, counts") {
  FakeSource s;
  s.values = {{"PID-7", "198001011230"}, {"PID-13.2", ""},  {"XAD.7", "SH"}, {"PV1-2", "I"},
              {"PID-11.9", "Cook"},      {"PID-12", "Cook"}};
  s.counts = {{"PID-11", 2}};
  CHECK(holds("IF PID-7 LENGTH GREATER THAN 8", s, "PID-7"));
  CHECK_FALSE(holds("IF PID-7 LENGTH GREATER THAN 12", s, "PID-7"));
  CHECK(holds("IF PID-13.2 IS NOT VALUED", s, "PID-13"));
  CHECK(holds("IF NOT VALUED", s, "PID-13.2"));
  CHECK_FALSE(holds("IF PID-7 NOT VALUED", s, "PID-7"));
  CHECK(holds("IF XAD.7 IN (\"M\", \"SH\")", s, "XAD.7"));
  CHECK_FALSE(holds("IF XAD.7 IN (\"BA\", \"BI\", \"C\")", s, "XAD.7"));
  CHECK(holds("IF XAD.7 NOT IN (\"BA\",\"BI\")", s, "XAD.7"));
  CHECK(holds("IF PV1-2 EQUALS \"I\"", s, "PV1-2"));
  CHECK(holds("IF PV1-2 = \"I\"", s, "PV1-2"));
  CHECK(holds("IF PV1-2 IS 'I'", s, "PV1-2"));
  CHECK_FALSE(holds("IF PV1-2 NOT EQUALS \"I\"", s, "PV1-2"));
  CHECK(holds("IF NOT EQUAL TO \"O\"", s, "PV1-2"));
  CHECK(holds("IF PID-11 LST.COUNT GREATER THAN 1", s, "PID-12"));
  CHECK_FALSE(holds("IF PID-11 LST.COUNT EQUALS 1", s, "PID-12"));
  CHECK(holds("IF PID-11 COUNT>1", s, "PID-12"));
  CHECK(holds("IF PID-11 LST.count LESS THAN OR EQUALS 2", s, "PID-12"));
  CHECK_FALSE(holds("IF PID-11 LST.count LESS THAN OR EQUALS 1", s, "PID-12"));
  CHECK_FALSE(holds("IF PID-11 LST.COUNT LESS THAN 2", s, "PID-12"));
  CHECK(holds("IF PID-11 LST.COUNT GREATER THAN OR EQUALS 2", s, "PID-12"));
  CHECK_FALSE(holds("IF PID-11.9 IS VALUED NOT EQUAL PID-12", s, "PID-12"));
  CHECK(holds("IF PID-11.9 DOES NOT EXIST AND IF PID-20 DOES NOT EXIST", s, "PID-12") == false);
  CHECK(holds("IF PID-20 DOES NOT EXIST", s, "PID-12"));
}

TEST_CASE("v2 map conditions: AND, OR, NOT, parentheses, shared tests") {
  FakeSource s;
  s.values = {{"PID-33", "20200101"}, {"PV1-2", "P"}, {"PV1-3", ""}};
  CHECK_FALSE(holds("IF PID-33 AND PID-34 VALUED", s, "PID-33"));
  CHECK(holds("IF PID-33 OR PID-34 VALUED", s, "PID-33"));
  CHECK(holds("IF PV1-2 EQUALS \"P\" AND PV1-3 NOT VALUED", s, "PV1-2"));
  CHECK_FALSE(holds("IF PV1-2 EQUALS \"P\" AND IF PV1-3 VALUED", s, "PV1-2"));
  CHECK(holds("IF PV1-3 VALUED OR PV1-2 EQUALS \"P\"", s, "PV1-2"));
  CHECK(holds("IF PID-33 IS VALUED AND (IF PV1-3 IS VALUED OR PV1-2 IS VALUED)", s, "PID-33"));
  CHECK_FALSE(
      holds("IF PID-33 IS VALUED AND (IF PV1-3 IS VALUED OR PID-40 IS VALUED)", s, "PID-33"));
  CHECK(holds("IF (PV1-2 EQUALS \"P\" AND PID-33 IS VALUED", s, "PV1-2"));  // ")" forgiven
  CHECK_FALSE(holds("NOT (PV1-2 EQUALS \"P\")", s, "PV1-2"));
  CHECK(holds("if pv1-3 not valued", s, "PV1-3"));
  CHECK(holds("", s, "PV1-3"));
}

TEST_CASE("v2 map conditions: prose does not compile") {
  const ValueRef subject = ref_of("CX.4");
  CHECK_FALSE(
      compile_condition(
          "IF CX.4 IN http://hl7.org/implement/standards/fhir/identifier-registry.html", subject)
          .is_ok());
  CHECK_FALSE(compile_condition("IF PID-3 AND PID-4 AREA NOT VALUED", subject).is_ok());
  CHECK_FALSE(compile_condition("IF XAD.7 IN (\"A\", \"B", subject).is_ok());
  CHECK_FALSE(compile_condition("IF PID-7 LENGTH GREATER THAN", subject).is_ok());
}

TEST_CASE("v2 map conditions: every condition of the IG's maps (counts)") {
  std::size_t total = 0;
  std::size_t compiled = 0;
  auto run = [&](std::span<const MapTable> maps) {
    for (const MapTable& map : maps) {
      for (const MapRow& row : map.rows) {
        if (row.condition.empty()) continue;
        ++total;
        ValueRef subject;
        parse_value_ref(row.source, subject);
        Result<Condition> condition = compile_condition(row.condition, subject);
        if (condition.is_ok()) {
          ++compiled;
        } else {
          std::printf("  not computed: %.*s %.*s: \"%.*s\" (%s)\n",
                      static_cast<int>(map.name.size()), map.name.data(),
                      static_cast<int>(row.source.size()), row.source.data(),
                      static_cast<int>(row.condition.size()), row.condition.data(),
                      condition.status().message().c_str());
        }
      }
    }
  };
  run(segment_maps());
  run(data_type_maps());
  std::printf("v2-to-fhir conditions: %zu of %zu compiled\n", compiled, total);
  CHECK(total > 300);
  CHECK(compiled * 100 >= total * 95);
}

}  // namespace hearth::hl7::to_fhir
