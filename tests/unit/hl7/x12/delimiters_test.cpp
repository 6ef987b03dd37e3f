// ISA reading: any legal delimiters, fixed-width checks, unusable headers.
#include "hl7/x12/delimiters.h"

#include <doctest/doctest.h>

#include <string>

#include "x12_samples.h"

using namespace hearth::hl7::x12;

TEST_CASE("x12 ISA: the standard delimiters and the 5010 repetition separator") {
  IsaLayout layout;
  const std::string text = test::isa() + "GS*HC~";
  REQUIRE(read_isa(text, &layout) == IsaProblem::kNone);
  CHECK(layout.delimiters.element == '*');
  CHECK(layout.delimiters.repetition == '^');
  CHECK(layout.delimiters.component == ':');
  CHECK(layout.delimiters.segment == '~');
  CHECK(layout.length == 106);
  CHECK(layout.first_misfit_element == 0);
  CHECK(layout.elements[13] == "000000905");
}

TEST_CASE("x12 ISA: unusual delimiters, a line feed as terminator, 4010 without repetition") {
  std::string text = test::isa();
  for (char& c : text) {
    if (c == '*') c = '|';
    if (c == ':') c = '>';
  }
  text.back() = '\n';
  IsaLayout layout;
  REQUIRE(read_isa(text, &layout) == IsaProblem::kNone);
  CHECK(layout.delimiters.element == '|');
  CHECK(layout.delimiters.component == '>');
  CHECK(layout.delimiters.segment == '\n');
  std::string v4010 = test::isa();
  v4010.replace(v4010.find("*^*00501"), 8, "*U*00401");
  REQUIRE(read_isa(v4010, &layout) == IsaProblem::kNone);
  CHECK(layout.delimiters.repetition == '\0');
}

TEST_CASE("x12 ISA: a wrong width is located; unusable headers are refused") {
  IsaLayout layout;
  std::string narrow = test::isa();
  narrow.erase(narrow.find("          "), 1);  // ISA02 nine characters
  REQUIRE(read_isa(narrow, &layout) == IsaProblem::kNone);
  CHECK(layout.first_misfit_element == 2);
  CHECK(read_isa("GS*HC~", &layout) == IsaProblem::kNotIsa);
  CHECK(read_isa("ISAA00", &layout) == IsaProblem::kBadElementSeparator);
  CHECK(read_isa("ISA*00*   *00*", &layout) == IsaProblem::kTruncated);
  std::string same = test::isa();
  same[104] = '*';  // component separator equal to the element separator
  CHECK(read_isa(same, &layout) == IsaProblem::kBadComponentSeparator);
  std::string term = test::isa();
  term[105] = ':';  // terminator equal to the component separator
  CHECK(read_isa(term, &layout) == IsaProblem::kBadSegmentTerminator);
}
