// The X12 segment writer: delimiters inside values become spaces, composites keep the component
// separators that join them, trailing empty elements and components are dropped, the ISA is
// written raw, segments are counted.
#include "hl7/x12/segment_writer.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace hearth::hl7::x12 {
namespace {

TEST_CASE("x12 segment writer: values, composites, trailing empties and counts") {
  SegmentWriter w(Delimiters{'*', '^', ':', '~'});
  w.segment({"ISA", "00", "^", ":"});
  w.reset_count();
  w.segment({"NM1", "85", "2", "A*B:C^D~E", "", ""});
  w.segment({"SV1", w.composite({"HC", "99213", "", ""}), "40"});
  w.segment({"IK4", w.position(3, 1, 0), "", "7"});
  std::vector<ElementText> hi = {"HI"};
  const Composite a = w.composite({"ABK", "J03:00"}), b = w.composite({"ABF", "Z1159"});
  hi.emplace_back(a);
  hi.emplace_back(b);
  w.segment(hi);
  CHECK(w.count() == 4);
  CHECK(w.take() ==
        "ISA*00*^*:~\n"
        "NM1*85*2*A B C D E~\n"
        "SV1*HC:99213*40~\n"
        "IK4*3:1**7~\n"
        "HI*ABK:J03 00*ABF:Z1159~\n");
}

TEST_CASE("x12 segment writer: a line feed terminator gets no second line feed") {
  SegmentWriter w(Delimiters{'|', '\0', '>', '\n'});
  w.segment({"ST", "999", "a\nb|c>d"});
  CHECK(w.take() == "ST|999|a b c d\n");
}

}  // namespace
}  // namespace hearth::hl7::x12
