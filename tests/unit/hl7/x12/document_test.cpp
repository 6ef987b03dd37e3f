// The X12 document: envelopes, control numbers and counts, element access, the byte-identical
// writer and the bounds.
#include "hl7/x12/document.h"

#include <doctest/doctest.h>

#include <string>

#include "x12_samples.h"

using namespace hearth::hl7::x12;

namespace {
bool has_finding(const Document& doc, Level level, std::string_view code) {
  for (const Finding& f : doc.findings()) {
    if (f.level == level && f.code == code) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("x12 document: a valid 837P has one interchange, group and set and no findings") {
  const std::string text = test::interchange(test::claim_837p());
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  CHECK(doc->findings().empty());
  REQUIRE(doc->interchanges().size() == 1);
  const Interchange& ic = doc->interchanges()[0];
  CHECK(ic.control_number == "000000905");
  CHECK(ic.sender == "SUBMITTERS.ID  ");
  REQUIRE(ic.groups.size() == 1);
  CHECK(ic.groups[0].control_number == "1");
  REQUIRE(ic.groups[0].transactions.size() == 1);
  const Transaction& t = ic.groups[0].transactions[0];
  CHECK(t.set_id == "837");
  CHECK(t.convention == "005010X222A1");
  REQUIRE(t.table != nullptr);
  CHECK(t.table->guide == "005010X222A1");
  CHECK(doc->write() == text);
}

TEST_CASE("x12 document: elements, components and repetitions are views into the input") {
  const std::string text = test::interchange(test::claim_837p());
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  std::size_t clm = 0;
  for (std::size_t i = 0; i < doc->segment_count(); ++i) {
    if (doc->segment_id(i) == "CLM") clm = i;
  }
  REQUIRE(clm != 0);
  CHECK(doc->element(clm, 1) == "26463774");
  CHECK(doc->element(clm, 5) == "11:B:1");
  CHECK(doc->component(clm, 5, 2) == "B");
  CHECK(doc->component(clm, 5, 4).empty());
  CHECK(doc->element(clm, 40).empty());
  CHECK(doc->element(clm, 1).data() >= text.data());
  CHECK(doc->element(clm, 1).data() < text.data() + text.size());
  CHECK(doc->loop_of(clm) == "2300");
  // ISA11 '^' separates repetitions from 00501 on.
  std::string repeated = text;
  repeated.replace(repeated.find("HI*ABK:J0300*ABF:Z1159"), 22, "HI*ABK:J0300^ABF:Z1159");
  auto doc2 = Document::parse(repeated);
  REQUIRE(doc2.is_ok());
  for (std::size_t i = 0; i < doc2->segment_count(); ++i) {
    if (doc2->segment_id(i) != "HI") continue;
    CHECK(doc2->component(i, 1, 2, 2) == "Z1159");
    CHECK(doc2->component(i, 1, 1, 1) == "ABK");
  }
}

TEST_CASE("x12 document: line breaks after terminators, several groups and interchanges") {
  std::string body = test::claim_837p("0001") + test::claim_837p("0002");
  std::string one = test::interchange(body, 2);
  std::string crlf;
  for (char c : one) {
    crlf += c;
    if (c == '~') crlf += "\r\n";
  }
  const std::string text = "\xEF\xBB\xBF" + crlf + "\n" + crlf;
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  CHECK(doc->findings().empty());
  CHECK(doc->interchanges().size() == 2);
  CHECK(doc->transaction_count() == 4);
  CHECK(doc->write() == text);
}

TEST_CASE("x12 document: a line feed or a carriage return as segment terminator") {
  const std::string text = test::interchange(test::claim_837p());
  for (const char* terminator : {"\n", "\r\n"}) {
    std::string replaced;
    for (char c : text) {
      if (c == '~') {
        replaced += terminator;
      } else {
        replaced += c;
      }
    }
    auto doc = Document::parse(replaced);
    REQUIRE(doc.is_ok());
    CHECK(doc->findings().empty());
    CHECK(doc->interchanges()[0].delimiters.segment == terminator[0]);
    CHECK(doc->transaction_count() == 1);
    CHECK(doc->write() == replaced);
  }
}

TEST_CASE("x12 document: trailer counts and control numbers are verified") {
  std::string bad_se = test::claim_837p();
  bad_se.replace(bad_se.find("SE*20"), 5, "SE*19");
  const std::string a_text = test::interchange(bad_se);
  auto a = Document::parse(a_text);
  REQUIRE(a.is_ok());
  CHECK(has_finding(*a, Level::kTransaction, ik5::kSegmentCountWrong));

  std::string bad_ctrl = test::claim_837p();
  bad_ctrl.replace(bad_ctrl.find("SE*20*0021"), 10, "SE*20*0022");
  const std::string b_text = test::interchange(bad_ctrl);
  auto b = Document::parse(b_text);
  REQUIRE(b.is_ok());
  CHECK(has_finding(*b, Level::kTransaction, ik5::kControlNumberMismatch));

  const std::string c_text = test::interchange(test::claim_837p(), 3);
  auto c = Document::parse(c_text);
  REQUIRE(c.is_ok());
  CHECK(has_finding(*c, Level::kGroup, ak9::kTransactionCountWrong));

  std::string text = test::interchange(test::claim_837p());
  text.replace(text.find("IEA*1*000000905"), 15, "IEA*2*000000906");
  auto d = Document::parse(text);
  REQUIRE(d.is_ok());
  CHECK(has_finding(*d, Level::kInterchange, ta1::kInvalidGroupCount));
  CHECK(has_finding(*d, Level::kInterchange, ta1::kControlNumberMismatch));

  const std::string e_text =
      test::interchange(test::claim_837p("0001") + test::claim_837p("0001"), 2);
  auto e = Document::parse(e_text);
  REQUIRE(e.is_ok());
  CHECK(has_finding(*e, Level::kTransaction, ik5::kControlNumberNotUnique));
}

TEST_CASE("x12 document: missing trailers are reported at their level") {
  std::string text = test::isa() + "GS*HC*S*R*20061015*1023*7*X*005010X222A1~" + test::claim_837p();
  text.erase(text.rfind("SE*"));
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  CHECK(has_finding(*doc, Level::kTransaction, ik5::kTrailerMissing));
  CHECK(has_finding(*doc, Level::kGroup, ak9::kTrailerMissing));
  CHECK(has_finding(*doc, Level::kInterchange, ta1::kPrematureEnd));
  CHECK(doc->write() == text);
}

TEST_CASE("x12 document: ISA element errors become TA1 notes") {
  std::string text = test::interchange(test::claim_837p());
  text.replace(text.find("030101*1253"), 11, "031301*1253");
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  CHECK(has_finding(*doc, Level::kInterchange, ta1::kInvalidDate));
  std::string narrow = test::interchange(test::claim_837p());
  narrow.erase(narrow.find("SUBMITTERS.ID  ") + 14, 1);
  auto doc2 = Document::parse(narrow);
  REQUIRE(doc2.is_ok());
  CHECK(has_finding(*doc2, Level::kInterchange, ta1::kInvalidSenderId));
  CHECK(doc2->write() == narrow);
}

TEST_CASE("x12 document: unreadable input and broken bounds fail with precise errors") {
  auto none = Document::parse("GS*HC*1~");
  REQUIRE(!none.is_ok());
  CHECK(none.status().code() == hearth::Code::kMalformed);
  CHECK(none.status().message().find("ISA") != std::string::npos);
  auto cut = Document::parse("ISA*00*          *00*");
  REQUIRE(!cut.is_ok());
  CHECK(cut.status().message().find("fewer than 16 elements") != std::string::npos);

  const std::string text = test::interchange(test::claim_837p());
  Limits small;
  small.max_bytes = 100;
  auto big = Document::parse(text, small);
  REQUIRE(!big.is_ok());
  CHECK(big.status().code() == hearth::Code::kPayloadTooLarge);
  Limits few;
  few.max_segments = 10;
  auto many = Document::parse(text, few);
  REQUIRE(!many.is_ok());
  CHECK(many.status().message().find("more than 10 segments") != std::string::npos);
  Limits short_elements;
  short_elements.max_element_length = 20;
  auto longer = Document::parse(text, short_elements);
  REQUIRE(longer.is_ok());
  CHECK(has_finding(*longer, Level::kElement, ik4::kTooLong));
}

TEST_CASE("x12 document: a control character inside an element is an IK4 code 6") {
  std::string text = test::interchange(test::claim_837p());
  text.replace(text.find("234 SEAWAY ST"), 3, "2\n4");
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  REQUIRE(doc->findings().size() == 1);
  const Finding& f = doc->findings()[0];
  CHECK(f.level == Level::kElement);
  CHECK(f.code == ik4::kInvalidCharacter);
  CHECK(f.segment_id == "N3");
  CHECK(f.position == 8);
  CHECK(f.element == 1);
  CHECK(f.bad_value == "<LF>");
  CHECK(doc->write() == text);
}
