#include "hl7/ack.h"

#include <doctest/doctest.h>

using namespace hearth::hl7;

namespace {
AckOptions options() {
  AckOptions o;
  o.control_id = "ACK9";
  o.timestamp = "20260301120500";
  return o;
}
Message parse(const std::string& text) {
  return Message::parse_owned(text).value();
}
const std::string kOriginal =
    "MSH|^~\\&|SEND|SFAC|RECV|RFAC|20260301120000||ADT^A01^ADT_A01|CTRL1|P|2.5.1\rPID|1\r";
const std::string kEnhanced =
    "MSH|^~\\&|SEND|SFAC|RECV|RFAC|20260301120000||ADT^A01^ADT_A01|CTRL1|P|2.5.1|||AL|NE\r";
}  // namespace

TEST_CASE("ack: original mode AA swaps sender and receiver and echoes the control id") {
  Message m = parse(kOriginal);
  CHECK(ack_mode(m) == AckMode::kOriginal);
  CHECK(ack_code_for(m, AckCode::kAA) == AckCode::kAA);
  std::string ack = build_ack(m, AckCode::kAA, {}, options());
  CHECK(ack ==
        "MSH|^~\\&|RECV|RFAC|SEND|SFAC|20260301120500||ACK^A01^ACK|ACK9|P|2.5.1\r"
        "MSA|AA|CTRL1\r");
  auto parsed = Message::parse(ack);
  REQUIRE(parsed.is_ok());
  CHECK(parsed->get("MSA-2")->raw == "CTRL1");
}

TEST_CASE("ack: AE and AR carry v2.5+ ERR segments (ERR-2, ERR-3, ERR-4, ERR-7)") {
  Message m = parse(kOriginal);
  AckError e{ErrorCode::kDataTypeError, ErrorLocation{"PID", 2, 7, 1, 1, 0}, AckSeverity::kError,
             "bad date|time"};
  AckError w{ErrorCode::kTableValueNotFound, ErrorLocation{"PID", 2, 8, 0, 0, 0},
             AckSeverity::kWarning, "unknown sex"};
  auto ack = Message::parse_owned(build_ack(m, AckCode::kAE, {e, w}, options()));
  REQUIRE(ack.is_ok());
  CHECK(ack->get("MSA-1")->raw == "AE");
  CHECK(ack->get("ERR-2")->raw == "PID^2^7^1^1");
  CHECK(ack->get("ERR-3")->raw == "102^Data type error^HL70357");
  CHECK(ack->get("ERR-4")->raw == "E");
  CHECK(*ack->get_text("ERR-7") == "bad date|time");
  CHECK(ack->get("ERR[2]-3.1")->raw == "103");
  CHECK(ack->get("ERR[2]-4")->raw == "W");
  auto reject = Message::parse_owned(build_ack(m, AckCode::kAR,
                                               {{ErrorCode::kUnsupportedMessageType,
                                                 {"MSH", 1, 9, 0, 0, 0},
                                                 AckSeverity::kError,
                                                 "no ADT here"}},
                                               options()));
  CHECK(reject->get("MSA-1")->raw == "AR");
  CHECK(reject->get("ERR-3.1")->raw == "200");
  CHECK(reject->get("ERR-2")->raw == "MSH^1^9");
}

TEST_CASE("ack: before 2.5 the error goes to ERR-1 (ELD) and MSA-3") {
  Message m = parse("MSH|^~\\&|S|SF|R|RF|2026||ORM^O01|C7|P|2.3\r");
  auto ack = Message::parse_owned(build_ack(
      m, AckCode::kAE,
      {{ErrorCode::kRequiredFieldMissing, {"ORC", 2, 1, 0, 0, 0}, AckSeverity::kError, "no ORC-1"}},
      options()));
  REQUIRE(ack.is_ok());
  CHECK(ack->get("MSH-9")->raw == "ACK^O01");  // no message structure before 2.3.1
  CHECK(ack->get("MSA-3")->raw == "no ORC-1");
  CHECK(ack->get("ERR-1")->raw == "ORC^2^1^101&Required field missing&HL70357");
  CHECK(ack->get("ERR-1.4.1")->raw == "101");
}

TEST_CASE("ack: enhanced mode CA/CE/CR follows MSH-15") {
  Message m = parse(kEnhanced);
  CHECK(ack_mode(m) == AckMode::kEnhanced);
  CHECK(ack_code_for(m, AckCode::kAA) == AckCode::kCA);
  CHECK(ack_code_for(m, AckCode::kAE) == AckCode::kCE);
  CHECK(ack_code_for(m, AckCode::kAR) == AckCode::kCR);
  auto ack = Message::parse_owned(build_ack(m, AckCode::kCA, {}, options()));
  CHECK(ack->get("MSA-1")->raw == "CA");
  auto ce = Message::parse_owned(build_ack(
      m, AckCode::kCE,
      {{ErrorCode::kApplicationInternalError, {}, AckSeverity::kError, "store down"}}, options()));
  CHECK(ce->get("MSA-1")->raw == "CE");
  CHECK(ce->get("ERR-3.1")->raw == "207");
  Message never = parse("MSH|^~\\&|S|F|R|F|2026||ADT^A01|1|P|2.5|||NE|AL\r");
  CHECK_FALSE(ack_code_for(never, AckCode::kAA).has_value());
  Message errors_only = parse("MSH|^~\\&|S|F|R|F|2026||ADT^A01|1|P|2.5|||ER|AL\r");
  CHECK_FALSE(ack_code_for(errors_only, AckCode::kAA).has_value());
  CHECK(ack_code_for(errors_only, AckCode::kAR) == AckCode::kCR);
  Message success_only = parse("MSH|^~\\&|S|F|R|F|2026||ADT^A01|1|P|2.5|||SU|AL\r");
  CHECK(ack_code_for(success_only, AckCode::kAA) == AckCode::kCA);
  CHECK_FALSE(ack_code_for(success_only, AckCode::kAE).has_value());
}

TEST_CASE("ack: a malformed message gets a reject ACK from what is readable") {
  std::string raw = "MSH|^~\\&|S|SF|R|RF|2026||ADT^A01|C5|P|1.0\rPID|1\r";
  ParseError error;
  REQUIRE_FALSE(Message::parse(raw, &error).is_ok());
  auto ack = Message::parse_owned(build_reject_ack(raw, error, options()));
  REQUIRE(ack.is_ok());
  CHECK(ack->get("MSH-3")->raw == "R");
  CHECK(ack->version() == "2.5.1");  // 1.0 is not a version: the default is used
  CHECK(ack->get("MSA-1")->raw == "AR");
  CHECK(ack->get("MSA-2")->raw == "C5");
  CHECK(ack->get("ERR-2")->raw == "MSH^1^12");
  CHECK(ack->get("ERR-3.1")->raw == "203");

  std::string garbage = "\x01\x02 not hl7 at all";
  REQUIRE_FALSE(Message::parse(garbage, &error).is_ok());
  auto fallback = Message::parse_owned(build_reject_ack(garbage, error, options()));
  REQUIRE(fallback.is_ok());
  CHECK(fallback->get("MSH-9")->raw == "ACK");
  CHECK(fallback->get("MSA-2")->raw.empty());
  CHECK(fallback->get("ERR-3.1")->raw == "100");

  std::string enhanced = "MSH|^~\\&|S|SF|R|RF|2026||ADT^A01|C6|P|2.5|||AL|AL\rP\r";
  REQUIRE_FALSE(Message::parse(enhanced, &error).is_ok());
  auto cr = Message::parse_owned(build_reject_ack(enhanced, error, options()));
  CHECK(cr->get("MSA-1")->raw == "CR");
  CHECK(cr->get("ERR-2")->raw == "P^2");
}

TEST_CASE("ack: custom delimiters are kept") {
  Message m = parse("MSH#!@%*#S#F#R#F#2026##ADT!A04#9#P#2.5\r");
  std::string ack = build_ack(m, AckCode::kAA, {}, options());
  CHECK(ack.rfind("MSH#!@%*#R#F#S#F#20260301120500##ACK!A04!ACK#ACK9#P#2.5\r", 0) == 0);
}
