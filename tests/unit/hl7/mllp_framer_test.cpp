#include "hl7/mllp_framer.h"

#include <doctest/doctest.h>

#include <vector>

using namespace hearth::hl7;

namespace {
std::vector<std::string> drain(MllpDeframer& d, int* errors = nullptr) {
  std::vector<std::string> out;
  while (auto frame = d.next()) {
    if (frame->is_ok()) {
      out.push_back(frame->value());
    } else if (errors != nullptr) {
      CHECK(frame->status().code() == hearth::Code::kPayloadTooLarge);
      ++*errors;
    }
  }
  return out;
}
}  // namespace

TEST_CASE("mllp: frame() wraps VT ... FS CR") {
  CHECK(mllp_frame("MSH|x") == std::string("\x0bMSH|x\x1c\r"));
}

TEST_CASE("mllp: fed one byte at a time") {
  std::string stream = mllp_frame("MSH|a\rPID|1\r") + mllp_frame("MSH|b\r");
  MllpDeframer d;
  std::vector<std::string> got;
  for (char c : stream) {
    d.feed(std::string_view(&c, 1));
    for (auto& m : drain(d)) got.push_back(m);
  }
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "MSH|a\rPID|1\r");
  CHECK(got[1] == "MSH|b\r");
  CHECK(d.discarded_bytes() == 0);
  CHECK_FALSE(d.in_frame());
}

TEST_CASE("mllp: several frames in one chunk, garbage between and around them") {
  std::string stream =
      "noise" + mllp_frame("one") + "\r\n" + mllp_frame("two") + mllp_frame("three") + "tail";
  MllpDeframer d;
  d.feed(stream);
  auto got = drain(d);
  REQUIRE(got.size() == 3);
  CHECK(got[2] == "three");
  CHECK(d.discarded_bytes() == 5 + 2 + 4);
  CHECK(d.frames() == 3);
}

TEST_CASE("mllp: resynchronises on a new VT inside an unfinished frame; FS without CR is data") {
  MllpDeframer d;
  d.feed(std::string("\x0bpartial") + mllp_frame("whole"));
  auto got = drain(d);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "whole");
  CHECK(d.discarded_bytes() == 8);
  d.feed(
      std::string("\x0b"
                  "a\x1c"
                  "b\x1c\r"));
  got = drain(d);
  REQUIRE(got.size() == 1);
  CHECK(got[0] ==
        "a\x1c"
        "b");
}

TEST_CASE("mllp: an oversize frame is reported once and skipped to the next frame") {
  MllpDeframer d(10);
  std::string stream = mllp_frame("0123456789ABCDEF") + mllp_frame("ok");
  int errors = 0;
  std::vector<std::string> got;
  for (std::size_t i = 0; i < stream.size(); i += 3) {
    d.feed(std::string_view(stream).substr(i, 3));
    for (auto& m : drain(d, &errors)) got.push_back(m);
  }
  CHECK(errors == 1);
  CHECK(d.oversize_frames() == 1);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "ok");
  MllpDeframer exact(2);
  exact.feed(mllp_frame("ok"));
  CHECK(drain(exact).size() == 1);
}

TEST_CASE("mllp: an oversize frame's head is kept for the reject, up to 4 KiB") {
  MllpDeframer d(10);
  d.feed(
      "\x0b"
      "MSH|^~\\&|A|B");  // 14 bytes: over the limit at once
  auto first = d.next();
  REQUIRE(first.has_value());
  CHECK(first->status().code() == hearth::Code::kPayloadTooLarge);
  CHECK(d.oversize_head() == "MSH|^~\\&|A|B");
  d.feed(std::string("rest\x1c\r") + mllp_frame("ok"));
  auto second = d.next();
  REQUIRE(second.has_value());
  REQUIRE(second->is_ok());
  CHECK(d.oversize_head().empty());

  MllpDeframer big(5000);
  std::string huge(6000, 'x');
  big.feed("\x0b" + huge.substr(0, 3000));
  CHECK_FALSE(big.next().has_value());
  big.feed(huge.substr(3000));
  REQUIRE(big.next().has_value());
  CHECK(big.oversize_head() == huge.substr(0, MllpDeframer::kOversizeHeadBytes));
}

TEST_CASE("mllp: a limit-sized payload followed by FS without CR becomes oversize") {
  MllpDeframer d(3);
  int errors = 0;
  d.feed(std::string("\x0b"
                     "abc\x1c"
                     "x\x1c\r") +
         mllp_frame("ok"));
  auto got = drain(d, &errors);
  CHECK(errors == 1);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "ok");
}
