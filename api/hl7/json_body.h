// Indented JSON written straight into a response body of exactly its size, for the operating
// API (/hl7) and `hearth hl7 parse --json`. A 4 MiB message of \.sp12\ escapes shows as 16 MB
// of JSON; built in a rapidjson::StringBuffer (growing by half its size each time, up to 1.5x
// the text) and then copied into the body, one GET held about 2.5x its JSON at once. Here the
// JSON is written twice: once only counting its bytes, then into a string reserved to that
// count, so the body is the only copy and is allocated once.
//
// Header-only; thread-safe as long as `emit` is.
#pragma once

#include <rapidjson/prettywriter.h>

#include <cstddef>
#include <string>

namespace hearth::api {

// A RapidJSON output stream that appends to `out`, or, when `out` is null, only counts.
class JsonBodyStream {
 public:
  using Ch = char;
  explicit JsonBodyStream(std::string* out) : out_(out) {}
  void Put(char c) {
    if (out_ != nullptr) {
      out_->push_back(c);
    } else {
      ++count_;
    }
  }
  void Flush() {}
  // The bytes Put so far when counting.
  std::size_t count() const { return count_; }

 private:
  std::string* out_;
  std::size_t count_ = 0;
};

// The writer the operating API and the CLI print with: JSON indented by two spaces
// (pretty_json sets the indent).
using PrettyJsonWriter = rapidjson::PrettyWriter<JsonBodyStream>;

// The JSON `emit(PrettyJsonWriter&)` writes, followed by a newline (operators read these with
// curl), in a string allocated once at its final size. `emit` runs twice and must write the same
// JSON both times: gather whatever it shows (store reads, parsing) before calling this.
template <typename Emit>
std::string pretty_json(Emit&& emit) {
  JsonBodyStream counter(nullptr);
  {
    PrettyJsonWriter w(counter);
    w.SetIndent(' ', 2);
    emit(w);
  }
  std::string out;
  out.reserve(counter.count() + 1);
  JsonBodyStream stream(&out);
  {
    PrettyJsonWriter w(stream);
    w.SetIndent(' ', 2);
    emit(w);
  }
  out.push_back('\n');
  return out;
}

}  // namespace hearth::api
