// Indented JSON written straight into a response body of exactly its size, for the operating
// API (/hl7) and `hearth hl7 parse --json`. A 4 MiB message of \.sp1000\ escapes shows as 16 MB
// of JSON; built in a rapidjson::StringBuffer (growing by half its size each time, up to 1.5x
// the text) and then copied into the body, one GET held about 2.5x its JSON at once. Here the
// JSON is written twice: once only counting its bytes, then into a string already of that size,
// so the body is the only copy and is allocated once. The price is the first pass: about 55%
// more instructions for that message (bench/README.md, "Hostile load").
//
// Header-only; thread-safe as long as `emit` is.
#pragma once

#include <rapidjson/prettywriter.h>

#include <cassert>
#include <cstddef>
#include <string>

namespace hearth::api {

// A RapidJSON output stream that counts the bytes Put (default-constructed) or stores them in
// [begin, end) (bytes past `end` are dropped and counted as overflow).
class JsonBodyStream {
 public:
  using Ch = char;
  JsonBodyStream() = default;
  JsonBodyStream(char* begin, char* end) : next_(begin), end_(end) {}
  void Put(char c) {
    ++count_;
    if (next_ == end_) return;  // counting, or full
    *next_++ = c;
  }
  void Flush() {}
  // The bytes Put so far, stored or not.
  std::size_t count() const { return count_; }

 private:
  char* next_ = nullptr;
  char* end_ = nullptr;
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
  JsonBodyStream counter;
  {
    PrettyJsonWriter w(counter);
    w.SetIndent(' ', 2);
    emit(w);
  }
  const std::size_t size = counter.count();
  std::string out(size + 1, '\n');
  JsonBodyStream stream(out.data(), out.data() + size);
  {
    PrettyJsonWriter w(stream);
    w.SetIndent(' ', 2);
    emit(w);
  }
  // An emit that wrote less the second time leaves no stale bytes; more is a broken contract.
  assert(stream.count() == size);
  if (stream.count() < size) {
    out.resize(stream.count());
    out.push_back('\n');
  }
  return out;
}

}  // namespace hearth::api
