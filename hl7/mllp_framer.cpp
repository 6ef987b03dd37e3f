// The deframer is a five-state machine; payload runs are appended with one memchr-bounded copy
// per chunk rather than byte by byte.
#include "hl7/mllp_framer.h"

#include <cstring>

namespace hearth::hl7 {

std::string mllp_frame(std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 3);
  out += kMllpStart;
  out.append(payload);
  out += kMllpEnd;
  out += kMllpCarriageReturn;
  return out;
}

void MllpDeframer::finish_frame() {
  ++frames_;
  ready_.push_back(Ready{std::move(payload_), {}});
  payload_.clear();
  state_ = State::kIdle;
}

void MllpDeframer::report_oversize(std::string_view dropped) {
  ++oversize_frames_;
  discarded_bytes_ += payload_.size() + 1 + dropped.size();
  std::string head = payload_.substr(0, kOversizeHeadBytes);
  head.append(dropped.substr(0, kOversizeHeadBytes - head.size()));
  payload_.clear();
  ready_.push_back(
      Ready{Status(Code::kPayloadTooLarge,
                   "MLLP frame exceeds " + std::to_string(max_message_bytes_) + " bytes; skipped"),
            std::move(head)});
  state_ = State::kSkipping;
}

void MllpDeframer::discard_partial() {
  discarded_bytes_ += payload_.size() + 1;  // the payload and its VT
  payload_.clear();
}

std::size_t MllpDeframer::consume_payload(std::string_view bytes, std::size_t i) {
  // Copy the run up to the next control byte in one go.
  std::size_t j = i;
  while (j < bytes.size() && bytes[j] != kMllpEnd && bytes[j] != kMllpStart) ++j;
  if (j - i > max_message_bytes_ - payload_.size()) {
    report_oversize(bytes.substr(i, j - i));
    return j;
  }
  payload_.append(bytes.substr(i, j - i));
  if (j == bytes.size()) return j;
  if (bytes[j] == kMllpStart) {
    discard_partial();  // a new frame starts: the unfinished one is lost
  } else {
    state_ = State::kAfterEnd;
  }
  return j + 1;
}

void MllpDeframer::feed(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const char c = bytes[i];
    switch (state_) {
      case State::kIdle:
        if (c == kMllpStart) {
          state_ = State::kPayload;
        } else {
          ++discarded_bytes_;
        }
        ++i;
        break;
      case State::kPayload: i = consume_payload(bytes, i); break;
      case State::kAfterEnd:
        if (c == kMllpCarriageReturn) {
          finish_frame();
          ++i;
        } else {
          // FS not followed by CR: not a frame end; keep FS as data and go on.
          if (payload_.size() >= max_message_bytes_) {
            report_oversize(std::string_view(&kMllpEnd, 1));
          } else {
            payload_ += kMllpEnd;
            state_ = State::kPayload;
          }
        }
        break;
      case State::kSkipping:
        ++discarded_bytes_;
        if (c == kMllpEnd) state_ = State::kSkippingAfterEnd;
        if (c == kMllpStart) {
          --discarded_bytes_;
          state_ = State::kPayload;
        }
        ++i;
        break;
      case State::kSkippingAfterEnd:
        if (c == kMllpCarriageReturn) {
          ++discarded_bytes_;
          state_ = State::kIdle;
          ++i;
        } else {
          state_ = State::kSkipping;
        }
        break;
    }
  }
}

std::optional<Result<std::string>> MllpDeframer::next() {
  if (ready_.empty()) return std::nullopt;
  std::optional<Result<std::string>> out(std::move(ready_.front().frame));
  last_head_ = std::move(ready_.front().head);
  ready_.pop_front();
  return out;
}

}  // namespace hearth::hl7
