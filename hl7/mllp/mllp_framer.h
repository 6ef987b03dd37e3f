// MLLP (HL7 v2 transport, release 2) framing without I/O: a message travels as
// <VT 0x0B> payload <FS 0x1C><CR 0x0D>. The deframer takes arbitrary chunks as they arrive and
// yields complete payloads; bytes outside a frame are discarded and counted, a new VT inside an
// unfinished frame restarts framing (the partial frame is discarded), and a payload over the
// size limit is reported once and skipped up to the next frame.
// Thread-safety: one deframer per connection; not shared.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::hl7 {

inline constexpr char kMllpStart = 0x0B;
inline constexpr char kMllpEnd = 0x1C;
inline constexpr char kMllpCarriageReturn = 0x0D;

// `payload` wrapped in an MLLP frame.
std::string mllp_frame(std::string_view payload);

class MllpDeframer {
 public:
  explicit MllpDeframer(std::size_t max_message_bytes = 16 * 1024 * 1024)
      : max_message_bytes_(max_message_bytes) {}

  // Consumes `bytes`; completed frames become available through next().
  void feed(std::string_view bytes);

  // The next completed frame: the payload, or kPayloadTooLarge for a frame that exceeded the
  // limit (reported as soon as it does, before its end arrives); nullopt when nothing is ready.
  std::optional<Result<std::string>> next();

  // After next() returned kPayloadTooLarge: the start of that frame (at most kOversizeHeadBytes),
  // enough to read its MSH and reject it by name. Empty after a good frame.
  const std::string& oversize_head() const { return last_head_; }
  static constexpr std::size_t kOversizeHeadBytes = 4096;

  std::size_t discarded_bytes() const { return discarded_bytes_; }
  std::size_t oversize_frames() const { return oversize_frames_; }
  std::size_t frames() const { return frames_; }
  // True while inside a frame (bytes buffered waiting for FS CR).
  bool in_frame() const { return state_ != State::kIdle; }
  // Bytes of the frame in progress held so far (0 between frames and while skipping one).
  std::size_t partial_bytes() const { return payload_.size(); }

 private:
  enum class State { kIdle, kPayload, kAfterEnd, kSkipping, kSkippingAfterEnd };
  // Handles bytes from `i` in kPayload; returns the index of the first byte not consumed.
  std::size_t consume_payload(std::string_view bytes, std::size_t i);
  void finish_frame();
  // Drops the frame in progress (plus the run `dropped` of it not yet buffered), queues the
  // error with the frame's head.
  void report_oversize(std::string_view dropped);
  void discard_partial();

  std::size_t max_message_bytes_;
  State state_ = State::kIdle;
  std::string payload_;
  struct Ready {
    Result<std::string> frame;
    std::string head;  // oversize frames only
  };
  std::deque<Ready> ready_;
  std::string last_head_;
  std::size_t discarded_bytes_ = 0;
  std::size_t oversize_frames_ = 0;
  std::size_t frames_ = 0;
};

}  // namespace hearth::hl7
