// Moving large `data` strings out of a body's text and back.
#include "storage/blob_marker.h"

#include <cstdint>
#include <cstring>
#include <random>

namespace hearth::storage {
namespace {

constexpr std::string_view kDataMember = "\"data\":\"";
// A marker as it stands in a body: the member, then the marker. Every stored body read is
// searched for it (has_blob_markers), and memmem skips ahead by up to the needle's length.
constexpr std::string_view kMarkedMember = "\"data\":\"hearth-blob:";
static_assert(kMarkedMember.size() == kDataMember.size() + kBlobMarker.size());

std::string random_name() {
  static thread_local std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  name.reserve(kBlobNameLength);
  while (name.size() < kBlobNameLength) {
    std::uint32_t bits = device();
    for (int i = 0; i < 8; ++i, bits >>= 4) name.push_back(kHex[bits & 0xf]);
  }
  return name;
}

bool is_hex_name(std::string_view s) {
  if (s.size() != kBlobNameLength) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The position of the next marker value at or after `from` in `body` (its first character, past
// the opening quote), with its name; npos when there is none.
std::size_t next_marker(std::string_view body, std::size_t from, std::string_view& name) {
  // `from` may point at the marker itself (attach_blobs resumes past the previous one).
  from = from < kDataMember.size() ? 0 : from - kDataMember.size();
  while (from < body.size()) {
    const void* hit =
        memmem(body.data() + from, body.size() - from, kMarkedMember.data(), kMarkedMember.size());
    if (hit == nullptr) return std::string_view::npos;
    const auto at =
        static_cast<std::size_t>(static_cast<const char*>(hit) - body.data()) + kDataMember.size();
    from = at + 1;
    const std::size_t name_at = at + kBlobMarker.size();
    if (name_at + kBlobNameLength >= body.size() || body[name_at + kBlobNameLength] != '"') {
      continue;
    }
    name = body.substr(name_at, kBlobNameLength);
    if (is_hex_name(name)) return at;
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<Blob> detach_blobs(std::string& json, bool binary) {
  std::vector<Blob> blobs;
  std::string out;
  std::size_t copied = 0;  // json[copied, ...) is not yet in `out`
  std::size_t from = 0;
  while ((from = json.find(kDataMember, from)) != std::string::npos) {
    const std::size_t value = from + kDataMember.size();
    from = value;
    const std::size_t end = json.find_first_of("\"\\", value);
    if (end == std::string::npos || json[end] != '"') continue;  // escapes: stays
    const std::string_view text(json.data() + value, end - value);
    if (!binary && text.size() < kMinBlobBytes && !text.starts_with(kBlobMarker)) continue;
    Blob& blob = blobs.emplace_back(Blob{random_name(), std::string(text)});
    out.append(json, copied, value - copied);
    out.append(kBlobMarker);
    out.append(blob.name);
    copied = end;
    from = end;
  }
  if (!blobs.empty()) {
    out.append(json, copied, std::string::npos);
    json = std::move(out);
  }
  return blobs;
}

bool has_blob_markers(std::string_view body) {
  std::string_view name;
  return next_marker(body, 0, name) != std::string_view::npos;
}

Result<std::string> attach_blobs(
    std::string_view body, const std::function<Result<std::string>(std::string_view)>& text_of) {
  std::string out;
  std::size_t copied = 0;
  std::string_view name;
  for (std::size_t at = next_marker(body, 0, name); at != std::string_view::npos;
       at = next_marker(body, at + 1, name)) {
    HEARTH_ASSIGN_OR_RETURN(std::string text, text_of(name));
    out.append(body.substr(copied, at - copied));
    out.append(text);
    copied = at + kBlobMarker.size() + kBlobNameLength;
  }
  out.append(body.substr(copied));
  return out;
}

std::string attach_blobs(std::string_view body, const std::vector<Blob>& blobs) {
  Result<std::string> out = attach_blobs(body, [&](std::string_view name) -> Result<std::string> {
    for (const Blob& b : blobs) {
      if (b.name == name) return b.text;
    }
    return std::string(kBlobMarker) + std::string(name);  // not one of these: as it was
  });
  return out.is_ok() ? std::move(out).value() : std::string(body);
}

}  // namespace hearth::storage
