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
  ready_.emplace_back(std::move(payload_));
  payload_.clear();
  state_ = State::kIdle;
}

void MllpDeframer::discard_partial() {
  discarded_bytes_ += payload_.size() + 1;  // the payload and its VT
  payload_.clear();
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
      case State::kPayload: {
        // Copy the run up to the next control byte in one go.
        std::size_t j = i;
        while (j < bytes.size() && bytes[j] != kMllpEnd && bytes[j] != kMllpStart) ++j;
        std::size_t room = max_message_bytes_ - payload_.size();
        if (j - i > room) {
          ++oversize_frames_;
          discarded_bytes_ += payload_.size() + 1 + (j - i);
          payload_.clear();
          ready_.emplace_back(Status(Code::kPayloadTooLarge,
                                     "MLLP frame exceeds " + std::to_string(max_message_bytes_) +
                                         " bytes; skipped"));
          state_ = State::kSkipping;
          i = j;
          break;
        }
        payload_.append(bytes.substr(i, j - i));
        i = j;
        if (i == bytes.size()) break;
        if (bytes[i] == kMllpStart) {
          discard_partial();  // a new frame starts: the unfinished one is lost
        } else {
          state_ = State::kAfterEnd;
        }
        ++i;
        break;
      }
      case State::kAfterEnd:
        if (c == kMllpCarriageReturn) {
          finish_frame();
          ++i;
        } else {
          // FS not followed by CR: not a frame end; keep FS as data and go on.
          payload_ += kMllpEnd;
          state_ = State::kPayload;
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
  std::optional<Result<std::string>> out(std::move(ready_.front()));
  ready_.pop_front();
  return out;
}

}  // namespace hearth::hl7
