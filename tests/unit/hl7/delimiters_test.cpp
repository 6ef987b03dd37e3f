#include "hl7/delimiters.h"

#include <doctest/doctest.h>

#include "hl7/message.h"

using namespace hearth::hl7;

TEST_CASE("delimiters: standard, custom and truncation character") {
  Delimiters d;
  REQUIRE(parse_delimiters("MSH|^~\\&|A", &d, nullptr));
  CHECK(d.field == '|');
  CHECK(d.truncation == '\0');
  REQUIRE(parse_delimiters("MSH#!@%*#SENDER", &d, nullptr));
  CHECK(d.field == '#');
  CHECK(d.component == '!');
  CHECK(d.repetition == '@');
  CHECK(d.escape == '%');
  CHECK(d.subcomponent == '*');
  REQUIRE(parse_delimiters("MSH|^~\\&#|A", &d, nullptr));
  CHECK(d.truncation == '#');
  CHECK(d.encoding_characters() == "^~\\&#");
}

TEST_CASE("delimiters: illegal choices are data type errors at MSH-1/MSH-2") {
  Delimiters d;
  ParseError e;
  CHECK_FALSE(parse_delimiters("MSH|&&&&|", &d, &e));
  CHECK(e.code == ErrorCode::kDataTypeError);
  CHECK(e.location.field == 2);
  CHECK_FALSE(parse_delimiters("MSH|^~\\\\&|", &d, &e));  // escape twice
  CHECK_FALSE(parse_delimiters("MSH|^~|", &d, &e));       // too short
  CHECK(e.location.field == 2);
  CHECK_FALSE(parse_delimiters("MSHA^~\\&A", &d, &e));  // alphanumeric separator
  CHECK(e.location.field == 1);
  CHECK_FALSE(parse_delimiters("MS", &d, &e));
}

TEST_CASE("delimiters: a message with custom delimiters reads by path") {
  auto m = Message::parse(
      "MSH#!@%*#SENDER#FAC#RECV#FAC#20260301120000##ADT!A01#MSG007#P#2.5\r"
      "PID#1##12345!!!MRN@999##DOE!JOHN*X!A\r");
  REQUIRE(m.is_ok());
  CHECK(m->get("MSH-9.2")->raw == "A01");
  CHECK(m->get("PID-3[2]")->raw == "999");
  CHECK(m->get("PID-3[1].4")->raw == "MRN");
  CHECK(m->get("PID-5.2.2")->raw == "X");
  CHECK(m->get("MSH-1")->raw == "#");
  CHECK(m->get("MSH-2")->raw == "!@%*");
}
