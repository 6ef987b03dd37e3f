// Indented JSON written straight into a response body of exactly its size, for the operating
// API (/hl7) and `hearth hl7 parse --json`. A 4 MiB message of \.sp1000\ escapes shows as 16 MB
// of JSON; built in a rapidjson::StringBuffer (growing by half its size each time, up to 1.5x
// the text) and then copied into the body, one GET held about 2.5x its JSON at once. Here the
// JSON is written twice: once only counting its bytes, then into a string already of that size,
// so the body is the only copy and is allocated once. The price is the first pass: about 45%
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
  // True for the counting stream, which may also be told a size at once.
  bool counting() const { return end_ == nullptr; }
  void add(std::size_t bytes) { count_ += bytes; }

 private:
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::size_t count_ = 0;
};

// The size of `text` as RapidJSON's Writer writes it as a JSON string (UTF-8 in and out, no
// validation): the quotes, 2 bytes for '"', '\\' and \b \f \n \r \t, 6 (\u00XX) for the
// other bytes below 0x20, 1 for every other byte.
inline std::size_t json_string_size(const char* text, std::size_t length) {
  std::size_t size = 2 + length;
  for (std::size_t i = 0; i < length; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20) {
      if (c == '"' || c == '\\') ++size;
    } else {
      size += (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') ? 1 : 5;
    }
  }
  return size;
}

// The writer the operating API and the CLI print with: JSON indented by two spaces
// (pretty_json sets the indent). In the counting pass a string value is sized in one loop
// instead of being escaped byte by byte: most of that pass for a message of megabytes.
class PrettyJsonWriter : public rapidjson::PrettyWriter<JsonBodyStream> {
 public:
  using PrettyWriter::PrettyWriter;
  using PrettyWriter::String;
  bool String(const Ch* text, rapidjson::SizeType length, bool copy = false) {
    if (!os_->counting()) return PrettyWriter::String(text, length, copy);
    PrettyPrefix(rapidjson::kStringType);
    os_->add(json_string_size(text, length));
    return true;
  }
};

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
