#include "hl7/v2/message.h"

#include <doctest/doctest.h>

using namespace hearth::hl7;
using hearth::Code;

namespace {
const std::string kAdt =
    "MSH|^~\\&|SEND|SFAC|RECV|RFAC|20260301120000||ADT^A01^ADT_A01|CTRL1|P|2.5.1\r"
    "EVN|A01|20260301120000\r"
    "PID|1||111^^^MRN~222^^^SS&X&Y||DOE^JOHN^Q||19800101|M\r"
    "OBX|1|ST|A||first\r"
    "OBX|2|ST|B||second\r"
    "OBX|3|ST|C||third\r"
    "ZPI|custom|data\r";
}

TEST_CASE("message: line endings CR, LF, CRLF, blank lines and BOM all parse and round-trip") {
  for (std::string sep : {"\r", "\n", "\r\n", "\r\n\r\n"}) {
    std::string text = "MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.4" + sep + "PID|1||42" + sep;
    for (std::string prefix : {"", "\xEF\xBB\xBF", "\n"}) {
      auto m = Message::parse_owned(prefix + text);
      REQUIRE(m.is_ok());
      CHECK(m->segment_count() == 2);
      CHECK(m->get("PID-3")->raw == "42");
      CHECK(m->write() == prefix + text);
    }
  }
  auto no_final = Message::parse("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.4\rPID|1||42");
  REQUIRE(no_final.is_ok());
  CHECK(no_final->get("PID-3")->raw == "42");
}

TEST_CASE("message: header accessors and Z-segments") {
  auto m = Message::parse(kAdt);
  REQUIRE(m.is_ok());
  CHECK(m->version() == "2.5.1");
  CHECK(m->message_code() == "ADT");
  CHECK(m->trigger_event() == "A01");
  CHECK(m->control_id() == "CTRL1");
  CHECK(m->segment_count() == 7);
  CHECK(m->segment_id(6) == "ZPI");
  CHECK(m->get("ZPI-2")->raw == "data");
  CHECK(m->field_count(0) == 12);
}

TEST_CASE("message: path access by segment occurrence, field, repetition, component, sub") {
  auto m = Message::parse(kAdt);
  REQUIRE(m.is_ok());
  CHECK(m->get("PID-3")->raw == "111^^^MRN~222^^^SS&X&Y");
  CHECK(m->get("PID-3[2]")->raw == "222^^^SS&X&Y");
  CHECK(m->get("PID-3[2].1")->raw == "222");
  CHECK(m->get("PID-3.1")->raw == "111");
  CHECK(m->get("PID-3[2].4.3")->raw == "Y");
  CHECK(m->get("PID-5.1.1")->raw == "DOE");
  CHECK(m->get("OBX[3]-5")->raw == "third");
  CHECK(m->get("OBX-5")->raw == "first");
  CHECK(m->get("MSH-9.2")->raw == "A01");
  CHECK(m->get("MSH-1")->raw == "|");
  CHECK(m->get("MSH-2")->raw == "^~\\&");
  CHECK(m->get("MSH-7")->raw == "20260301120000");
}

TEST_CASE("message: missing parts are empty and absent; a missing segment is not found") {
  auto m = Message::parse(kAdt);
  REQUIRE(m.is_ok());
  auto far_field = m->get("PID-30");
  REQUIRE(far_field.is_ok());
  CHECK_FALSE(far_field->present);
  CHECK(far_field->raw.empty());
  CHECK_FALSE(m->get("PID-3[3]")->present);
  CHECK_FALSE(m->get("PID-5.9")->present);
  CHECK_FALSE(m->get("PID-5.1.2")->present);
  CHECK(m->get("PID-2")->present);  // empty but there
  CHECK(m->get("PID-2")->raw.empty());
  CHECK(m->get("OBX[4]-5").status().code() == Code::kNotFound);
  CHECK(m->get("NK1-1").status().code() == Code::kNotFound);
  CHECK(m->get("PID").status().code() == Code::kInvalidArgument);
  CHECK(m->get("PID-0").status().code() == Code::kInvalidArgument);
  CHECK(m->get("PID-3[0]").status().code() == Code::kInvalidArgument);
  CHECK(m->get("pid-3").status().code() == Code::kInvalidArgument);
}

TEST_CASE("message: versions 2.1 to 2.8.2 accepted; malformed headers give located errors") {
  for (const char* v : {"2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1",
                        "2.8", "2.8.1", "2.8.2"}) {
    auto m = Message::parse_owned(std::string("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|") + v + "\r");
    CHECK_MESSAGE(m.is_ok(), v);
  }
  ParseError e;
  CHECK_FALSE(Message::parse("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|3.0\r", &e).is_ok());
  CHECK(e.code == ErrorCode::kUnsupportedVersionId);
  CHECK(e.location.field == 12);
  CHECK_FALSE(Message::parse("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P\r", &e).is_ok());
  CHECK(e.code == ErrorCode::kRequiredFieldMissing);
  CHECK(e.location.field == 12);
  CHECK_FALSE(Message::parse("MSH|^~\\&|A|B|C|D|2026|||1|P|2.5\r", &e).is_ok());
  CHECK(e.code == ErrorCode::kRequiredFieldMissing);
  CHECK(e.location.field == 9);
  CHECK_FALSE(Message::parse("PID|1\r", &e).is_ok());
  CHECK(e.code == ErrorCode::kSegmentSequenceError);
  CHECK(e.location.segment_id == "PID");
  CHECK_FALSE(Message::parse("", &e).is_ok());
  CHECK(e.code == ErrorCode::kSegmentSequenceError);
  CHECK_FALSE(Message::parse("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5\rPI\r", &e).is_ok());
  CHECK(e.code == ErrorCode::kSegmentSequenceError);
  CHECK(e.location.segment_id == "PI");
  CHECK(e.location.segment_sequence == 2);
  CHECK_FALSE(Message::parse("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5\rMSH|^~\\&|A\r", &e).is_ok());
  CHECK(e.location.segment_sequence == 2);
  auto status = Message::parse("MSH|&&&&|A\r", &e).status();
  CHECK(status.code() == Code::kMalformed);
  CHECK(status.issues()[0].expression == "MSH[1]-2");
}

TEST_CASE("message: edits are escaped and written with CR terminators") {
  std::string text = "MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5\nPID|1||42^^^MRN||DOE^JOHN\n";
  auto m = Message::parse(text);
  REQUIRE(m.is_ok());
  CHECK(m->write() == text);
  CHECK(m->set("PID-5.2", "JO|HN").is_ok());
  CHECK(m->set("PID-3[2].4", "SS").is_ok());
  CHECK(m->set("PID-11.3.2", "X&Y").is_ok());
  CHECK(m->set("MSH-10", "NEW").is_ok());
  CHECK(m->set("MSH-2", "x").code() == Code::kInvalidArgument);
  CHECK(m->set("NK1-1", "x").code() == Code::kNotFound);
  REQUIRE(m->add_segment("ZZZ").is_ok());
  CHECK(m->set("ZZZ-2", "a^b").is_ok());
  CHECK(m->add_segment("MSH").code() == Code::kInvalidArgument);
  CHECK(m->modified());
  CHECK(m->write() ==
        "MSH|^~\\&|A|B|C|D|2026||ADT^A01|NEW|P|2.5\r"
        "PID|1||42^^^MRN~^^^SS||DOE^JO\\F\\HN||||||^^&X\\T\\Y\r"
        "ZZZ||a\\S\\b\r");
  CHECK(*m->get_text("PID-5.2") == "JO|HN");
  CHECK(*m->get_text("PID-11.3.2") == "X&Y");
  CHECK(m->control_id() == "NEW");
  auto reparsed = Message::parse_owned(m->write());
  REQUIRE(reparsed.is_ok());
  CHECK(*reparsed->get_text("ZZZ-2") == "a^b");
}

TEST_CASE("message: parse_owned keeps the text alive") {
  auto m = Message::parse_owned(std::string(kAdt));
  REQUIRE(m.is_ok());
  Message moved = std::move(*m);
  CHECK(moved.get("PID-5.2")->raw == "JOHN");
}

TEST_CASE("message: v2.7+ truncation character in MSH-2 and \\P\\ on read and write") {
  std::string text = "MSH|^~\\&#|A|B|C|D|2026||ORU^R01^ORU_R01|1|P|2.8.2\rOBX|1|ST|X||long\\P\\#\r";
  auto m = Message::parse(text);
  REQUIRE(m.is_ok());
  CHECK(m->delimiters().truncation == '#');
  CHECK(m->get("MSH-2")->raw == "^~\\&#");
  CHECK(*m->get_text("OBX-5") == "long##");
  CHECK(m->write() == text);
  CHECK(m->set("OBX-5", "a#b").is_ok());
  CHECK(m->get("OBX-5")->raw == "a\\P\\b");
}
