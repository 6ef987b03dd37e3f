#include "hl7/batch.h"

#include <doctest/doctest.h>

using namespace hearth::hl7;

namespace {
const std::string kMsh1 = "MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5\rPID|1||1\r";
const std::string kMsh2 = "MSH|^~\\&|A|B|C|D|2026||ADT^A04|2|P|2.5\rPID|1||2\r";
}  // namespace

TEST_CASE("batch: FHS/BHS/BTS/FTS envelope with two batches") {
  std::string text =
      "FHS|^~\\&|F\rBHS|^~\\&|B1\r" + kMsh1 + "BTS|1\rBHS|^~\\&|B2\r" + kMsh2 + "BTS|1\rFTS|2\r";
  auto b = Batch::parse(text);
  REQUIRE(b.is_ok());
  CHECK(b->file_header()->field(3) == "F");
  CHECK(b->file_header()->field(1) == "|");
  CHECK(b->file_trailer()->field(1) == "2");
  REQUIRE(b->groups().size() == 2);
  CHECK(b->groups()[1].header->field(3) == "B2");
  CHECK(b->groups()[1].messages[0].control_id() == "2");
  CHECK(b->message_count() == 2);
  CHECK(b->write() == text);
}

TEST_CASE("batch: messages without an envelope, LF separated, and a single message") {
  std::string lf = kMsh1 + kMsh2;
  for (auto& c : lf) c = c == '\r' ? '\n' : c;
  auto b = Batch::parse(lf);
  REQUIRE(b.is_ok());
  CHECK(b->message_count() == 2);
  CHECK(b->groups().size() == 1);
  CHECK(b->write() == lf);
  auto one = Batch::parse(kMsh1);
  REQUIRE(one.is_ok());
  CHECK(one->message_count() == 1);
}

TEST_CASE("batch: envelope order errors are segment sequence errors with locations") {
  ParseError e;
  CHECK_FALSE(Batch::parse("BHS|^~\\&\rEVN|A04\r", &e).is_ok());
  CHECK(e.code == ErrorCode::kSegmentSequenceError);
  CHECK(e.location.segment_id == "EVN");
  CHECK(e.location.segment_sequence == 2);
  {
    const std::string input = "BHS|^~\\&\r" + kMsh1 + "BHS|^~\\&\r" + kMsh2;
    CHECK_FALSE(Batch::parse(input, &e).is_ok());
  }
  CHECK(e.location.segment_id == "BHS");
  CHECK(e.location.segment_sequence == 4);
  {
    const std::string input = "FHS|^~\\&\r" + kMsh1 + "FHS|^~\\&\r";
    CHECK_FALSE(Batch::parse(input, &e).is_ok());
  }
  CHECK(e.location.segment_id == "FHS");
  {
    const std::string input = kMsh1 + "FTS|1\r" + kMsh2;
    CHECK_FALSE(Batch::parse(input, &e).is_ok());
  }
  CHECK_FALSE(Batch::parse("FHS|^~\\&\rFTS|0\r", &e).is_ok());
  CHECK(e.code == ErrorCode::kSegmentSequenceError);
  {
    const std::string input = "BHS|&&&&\r" + kMsh1;
    CHECK_FALSE(Batch::parse(input, &e).is_ok());
  }
  CHECK(e.code == ErrorCode::kDataTypeError);
  CHECK(e.location.segment_id == "BHS");
}

TEST_CASE("batch: BOM, CRLF and blank lines are kept; an empty BHS/BTS group is allowed") {
  std::string text =
      "\xEF\xBB\xBF"
      "BHS|^~\\&\r\n\r\nBTS|0\r\nBHS|^~\\&\r\n" +
      kMsh1 + "BTS|1\r\n";
  auto b = Batch::parse(text);
  REQUIRE(b.is_ok());
  REQUIRE(b->groups().size() == 2);
  CHECK(b->groups()[0].messages.empty());
  CHECK(b->groups()[0].header->terminator == "\r\n\r\n");
  CHECK(b->message_count() == 1);
  CHECK(b->write() == text);
}
