// The loop check on 837P transaction sets: loops recognised, and each structural error reported
// with its IK3 code, position and loop.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hl7/x12/document.h"
#include "x12_samples.h"

using namespace hearth::hl7::x12;

namespace {

std::string with(std::string claim, std::string_view from, std::string_view to) {
  claim.replace(claim.find(from), from.size(), to);
  return claim;
}

std::vector<Finding> segment_findings(const Document& doc) {
  std::vector<Finding> out;
  for (const Finding& f : doc.findings()) {
    if (f.level == Level::kSegment || f.level == Level::kElement) out.push_back(f);
  }
  return out;
}

}  // namespace

TEST_CASE("x12 structure: the 837P's loops are recognised and nested by the table") {
  const std::string text = test::interchange(test::claim_837p());
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  CHECK(doc->findings().empty());
  const Transaction& t = doc->interchanges()[0].groups[0].transactions[0];
  std::vector<std::string> ids;
  for (const LoopNode& n : t.loops) ids.emplace_back(n.def->id);
  CHECK(ids == std::vector<std::string>{"", "1000A", "1000B", "2000A", "2010AA", "2000B", "2010BA",
                                        "2010BB", "2300", "2400"});
  // 2400 sits in 2300, in 2000B, in 2000A.
  const LoopNode& line = t.loops.back();
  CHECK(t.loops[line.parent].def->id == "2300");
  CHECK(t.loops[t.loops[line.parent].parent].def->id == "2000B");
  CHECK(doc->segment_id(line.first_segment) == "LX");
  CHECK(doc->segment_id(line.last_segment) == "DTP");
  CHECK(doc->loop_of(line.first_segment + 1) == "2400");
}

TEST_CASE("x12 structure: a required segment missing is IK304 3 at the last segment before") {
  // Drop N4 from 2010AA: noticed when 2010AA closes, after REF (position 10 once N4 is gone).
  const std::string text = test::interchange(with(test::claim_837p(), "N4*MIAMI*FL*33111~", ""));
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  auto found = segment_findings(*doc);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == ik3::kRequiredMissing);
  CHECK(found[0].segment_id == "N4");
  CHECK(found[0].loop_id == "2010AA");
  CHECK(found[0].position == 9);
}

TEST_CASE("x12 structure: a required loop missing names the loop and its trigger") {
  const std::string claim =
      with(test::claim_837p(), "NM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666~", "");
  const std::string text = test::interchange(claim);
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  auto found = segment_findings(*doc);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == ik3::kRequiredMissing);
  CHECK(found[0].segment_id == "NM1");
  CHECK(found[0].loop_id == "2010BB");
}

TEST_CASE("x12 structure: out of sequence, unexpected, unknown and unrecognised segments") {
  // N3 after N4 in 2010AA.
  const std::string swapped =
      test::interchange(with(test::claim_837p(), "N3*234 SEAWAY ST~N4*MIAMI*FL*33111~",
                             "N4*MIAMI*FL*33111~N3*234 SEAWAY ST~"));
  auto a = Document::parse(swapped);
  REQUIRE(a.is_ok());
  auto fa = segment_findings(*a);
  REQUIRE(fa.size() == 1);
  CHECK(fa[0].code == ik3::kOutOfSequence);
  CHECK(fa[0].segment_id == "N3");
  CHECK(fa[0].position == 9);

  // SV2 belongs to the 837I: unknown to the 837P table (6); CR1 known but not in 2010AA... (2).
  const std::string sv2 = test::interchange(with(test::claim_837p(), "SV1*", "SV2*"));
  auto b = Document::parse(sv2);
  REQUIRE(b.is_ok());
  auto fb = segment_findings(*b);
  REQUIRE(fb.size() >= 1);
  CHECK(fb[0].code == ik3::kNotInTransactionSet);
  CHECK(fb[0].position == 18);

  const std::string cr1 = test::interchange(with(test::claim_837p(), "BHT*", "CR1*"));
  auto c = Document::parse(cr1);
  REQUIRE(c.is_ok());
  auto fc = segment_findings(*c);
  REQUIRE(fc.size() >= 1);
  CHECK(fc[0].code == ik3::kUnexpected);
  CHECK(fc[0].segment_id == "CR1");

  const std::string bad_id = test::interchange(with(test::claim_837p(), "PER*IC", "pER*IC"));
  auto d = Document::parse(bad_id);
  REQUIRE(d.is_ok());
  auto fd = segment_findings(*d);
  REQUIRE(fd.size() >= 1);
  CHECK(fd[0].code == ik3::kUnrecognizedId);
  CHECK(fd[0].position == 4);
}

TEST_CASE("x12 structure: maximum use of a segment and of a loop") {
  const std::string per2 = "PER*IC*JERRY*TE*3055552222~";
  const std::string three_per =
      test::interchange(with(test::claim_837p(), per2, per2 + per2 + per2));
  auto a = Document::parse(three_per);
  REQUIRE(a.is_ok());
  auto fa = segment_findings(*a);
  REQUIRE(fa.size() == 1);
  CHECK(fa[0].code == ik3::kSegmentOverMaximum);
  CHECK(fa[0].position == 6);

  const std::string nm1 = "NM1*85*2*BEN KILDARE SERVICE*****XX*9876543210~";
  const std::string twice =
      test::interchange(with(test::claim_837p(), "HL*2*1*22*0~", nm1 + "HL*2*1*22*0~"));
  auto b = Document::parse(twice);
  REQUIRE(b.is_ok());
  auto fb = segment_findings(*b);
  REQUIRE(fb.size() >= 1);  // then the second 2010AA lacks its N3 and N4
  CHECK(fb[0].code == ik3::kLoopOverMaximum);
  CHECK(fb[0].loop_id == "2010AA");
  CHECK(fb[0].position == 11);
}

TEST_CASE("x12 structure: a trigger with a qualifier no loop accepts is IK3 8 + IK4 7") {
  const std::string text =
      test::interchange(with(test::claim_837p(), "NM1*85*2*BEN", "NM1*117*2*BEN"));
  auto doc = Document::parse(text);
  REQUIRE(doc.is_ok());
  auto found = segment_findings(*doc);
  REQUIRE(found.size() >= 2);
  CHECK(found[0].level == Level::kSegment);
  CHECK(found[0].code == ik3::kElementErrors);
  CHECK(found[0].position == 7);
  CHECK(found[1].level == Level::kElement);
  CHECK(found[1].code == ik4::kInvalidCode);
  CHECK(found[1].element == 1);
  CHECK(found[1].bad_value == "117");
}

TEST_CASE("x12 structure: Limits::check_structure off leaves envelopes only") {
  const std::string text = test::interchange(with(test::claim_837p(), "BHT*", "CR1*"));
  Limits limits;
  limits.check_structure = false;
  auto doc = Document::parse(text, limits);
  REQUIRE(doc.is_ok());
  CHECK(doc->findings().empty());
  CHECK(doc->interchanges()[0].groups[0].transactions[0].loops.empty());
}
