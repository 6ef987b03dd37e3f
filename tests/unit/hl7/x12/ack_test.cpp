// TA1 and 999 from findings: accepted, rejected per transaction set, partially accepted groups,
// interchange rejections; the 999 written is itself a valid interchange.
#include "hl7/x12/ack.h"

#include <doctest/doctest.h>

#include <string>

#include "x12_samples.h"

using namespace hearth::hl7::x12;

namespace {
AckEnvelope envelope() {
  AckEnvelope e;
  e.control_number = "77";
  e.group_control_number = "5";
  e.date = "20260301";
  e.time = "1200";
  return e;
}
}  // namespace

TEST_CASE("x12 ack: an accepted 837P gets a 999 with IK5 A and AK9 A, and a TA1 when asked") {
  const std::string text = test::interchange(test::claim_837p(), 1, '1');
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  const InterchangeAck ack = acknowledge(*doc, 0);
  REQUIRE(ack.ta1.has_value());
  CHECK(ack.ta1->code == 'A');
  CHECK(ack.ta1->note == "000");
  CHECK(ack.ta1->control_number == "000000905");
  REQUIRE(ack.groups.size() == 1);
  CHECK(ack.groups[0].code == 'A');
  CHECK(ack.groups[0].accepted == 1);
  REQUIRE(ack.groups[0].transactions.size() == 1);
  CHECK(ack.groups[0].transactions[0].code == 'A');
  const std::string out = write_acknowledgment(*doc, 0, ack, envelope());
  CHECK(out.find("TA1*000000905*030101*1253*A*000~") != std::string::npos);
  CHECK(out.find("GS*FA*RECEIVER*SENDER*20260301*1200*5*X*005010X231A1~") != std::string::npos);
  CHECK(out.find("AK1*HC*1*005010X222A1~") != std::string::npos);
  CHECK(out.find("AK2*837*0021*005010X222A1~") != std::string::npos);
  CHECK(out.find("IK5*A~") != std::string::npos);
  CHECK(out.find("AK9*A*1*1*1~") != std::string::npos);
  CHECK(out.find("*ZZ*RECEIVERS.ID   *ZZ*SUBMITTERS.ID  *260301*1200*^*00501*000000077*0*T*:~") !=
        std::string::npos);
  // The acknowledgment is itself a well-formed interchange (envelopes, counts).
  auto reparsed = Document::parse(out);
  REQUIRE(reparsed.is_ok());
  CHECK(reparsed->findings().empty());
  CHECK(reparsed->transaction_count() == 1);
}

TEST_CASE("x12 ack: one rejected set of two makes a partially accepted group") {
  std::string bad = test::claim_837p("0002");
  bad.replace(bad.find("N4*MIAMI*FL*33111~"), 18, "");
  bad.replace(bad.find("SE*20"), 5, "SE*19");
  const std::string text = test::interchange(test::claim_837p("0001") + bad, 2);
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  const InterchangeAck ack = acknowledge(*doc, 0);
  CHECK(!ack.ta1.has_value());
  REQUIRE(ack.groups.size() == 1);
  const GroupAck& g = ack.groups[0];
  CHECK(g.code == 'P');
  CHECK(g.received == 2);
  CHECK(g.accepted == 1);
  CHECK(g.transactions[0].code == 'A');
  CHECK(g.transactions[1].code == 'R');
  CHECK(g.transactions[1].errors == std::vector<std::string>{"5"});
  REQUIRE(g.transactions[1].segments.size() == 1);
  CHECK(g.transactions[1].segments[0].segment_id == "N4");
  const std::string out = write_acknowledgment(*doc, 0, ack, envelope());
  CHECK(out.find("IK3*N4*9*2010AA*3~") != std::string::npos);
  CHECK(out.find("IK5*R*5~") != std::string::npos);
  CHECK(out.find("AK9*P*2*2*1~") != std::string::npos);
}

TEST_CASE("x12 ack: element errors become IK3 8 with IK4s; set errors list their codes") {
  std::string claim = test::claim_837p();
  claim.replace(claim.find("234 SEAWAY ST"), 3, "2\n4");
  claim.replace(claim.find("SE*20"), 5, "SE*21");
  const std::string text = test::interchange(claim);
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  const InterchangeAck ack = acknowledge(*doc, 0);
  const TransactionAck& t = ack.groups[0].transactions[0];
  CHECK(t.code == 'R');
  CHECK(t.errors == std::vector<std::string>{"4", "5"});
  REQUIRE(t.segments.size() == 1);
  CHECK(t.segments[0].code == "8");
  REQUIRE(t.segments[0].elements.size() == 1);
  CHECK(t.segments[0].elements[0].code == "6");
  const std::string out = write_acknowledgment(*doc, 0, ack, envelope());
  CHECK(out.find("IK3*N3*8*2010AA*8~\nIK4*1**6*<LF>~") != std::string::npos);
  CHECK(out.find("AK9*R*1*1*0~") != std::string::npos);
}

TEST_CASE("x12 ack: an envelope error rejects the interchange with a TA1 and no 999") {
  std::string text = test::interchange(test::claim_837p());
  text.erase(text.find("IEA*"));
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  const InterchangeAck ack = acknowledge(*doc, 0);
  REQUIRE(ack.ta1.has_value());
  CHECK(ack.ta1->code == 'R');
  CHECK(ack.ta1->note == "023");
  CHECK(ack.rejected);
  CHECK(ack.groups.empty());
  const std::string out = write_acknowledgment(*doc, 0, ack, envelope());
  CHECK(out.find("TA1*000000905*030101*1253*R*023~") != std::string::npos);
  CHECK(out.find("GS*") == std::string::npos);
  CHECK(out.find("IEA*0*000000077~") != std::string::npos);
}

TEST_CASE("acknowledgment_verdict reads a received TA1/999: A, P, R, or nothing") {
  auto verdict = [](const std::string& body) {
    const std::string text = test::isa() + body + "IEA*1*000000905~";
    auto doc = Document::parse(text);
    REQUIRE(doc.is_ok());
    return acknowledgment_verdict(*doc);
  };
  auto group = [](std::string_view ak9) {
    return "GS*FA*R*S*20260301*1200*1*X*005010X231A1~ST*999*0001*005010X231A1~"
           "AK1*HC*7*005010X222A1~" +
           std::string(ak9) + "~SE*3*0001~GE*1*1~";
  };
  CHECK(verdict(group("AK9*A*1*1*1")) == 'A');
  CHECK(verdict(group("AK9*A*1*1*1") + group("AK9*R*1*1*0")) == 'P');
  CHECK(verdict(group("AK9*P*2*2*1")) == 'P');
  CHECK(verdict(group("AK9*R*1*1*0")) == 'R');
  CHECK(verdict("TA1*000000101*260301*1200*R*001~") == 'R');
  CHECK(verdict("TA1*000000101*260301*1200*A*000~" + group("AK9*A*1*1*1")) == 'A');
  CHECK(verdict("TA1*000000101*260301*1200*A*000~") == 'A');
  CHECK(verdict("GS*FA*R*S*20260301*1200*1*X*005010X231A1~GE*0*1~") == '\0');
}
