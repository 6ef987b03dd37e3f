// Paging cursors: length-prefixed fields in base64url.
#include "storage/sql/page_cursor.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "core/base64.h"

namespace hearth::storage::detail {
namespace {

constexpr char kVersion = '1';

void put_field(std::string& out, std::string_view bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
}

// Reads "len:bytes" from the front of `in`.
bool take_field(std::string_view& in, std::string_view& field) {
  const std::size_t colon = in.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 5) return false;
  std::size_t length = 0;
  auto [end, ec] = std::from_chars(in.data(), in.data() + colon, length);
  if (ec != std::errc() || end != in.data() + colon || length > in.size() - colon - 1) {
    return false;
  }
  field = in.substr(colon + 1, length);
  in.remove_prefix(colon + 1 + length);
  return true;
}

Status invalid(std::string why) {
  return Status(Code::kInvalidArgument,
                "invalid _cursor: " + why + " (use the paging links as the server wrote them)");
}

}  // namespace

std::string sort_signature(const fhir::search::SearchQuery& query) {
  std::string out;
  for (const fhir::search::SortKey& key : query.sort) {
    out += key.descending ? "-" : "";
    out += key.param->code;
    out += ',';
  }
  out += query.resource_type.empty() ? std::to_string(query.types.size()) : "1";
  return out;
}

std::string encode_cursor(const PageCursor& cursor, std::string_view signature) {
  std::string raw;
  raw += kVersion;
  raw += static_cast<char>(cursor.direction);
  put_field(raw, signature);
  for (const CursorValue& key : cursor.keys) {
    if (key.null) {
      raw += 'n';
      continue;
    }
    raw += static_cast<char>(key.kind);
    switch (key.kind) {
      case KeyKind::kText: put_field(raw, key.text); break;
      case KeyKind::kInteger: put_field(raw, std::to_string(key.integer)); break;
      case KeyKind::kReal: {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, key.real);
        put_field(raw, ec == std::errc() ? std::string_view(buffer, end - buffer) : "0");
        break;
      }
    }
  }
  return encode_base64url(raw);
}

Result<PageCursor> decode_cursor(std::string_view text, std::string_view signature) {
  if (text.size() > kMaxCursorBytes) {
    return invalid("longer than " + std::to_string(kMaxCursorBytes) + " bytes");
  }
  std::optional<std::string> raw = decode_base64url(text);
  if (!raw || raw->size() < 2 || (*raw)[0] != kVersion) return invalid("not a paging cursor");
  PageCursor cursor;
  const char direction = (*raw)[1];
  if (direction != 'a' && direction != 'b' && direction != 'l') {
    return invalid("not a paging cursor");
  }
  cursor.direction = static_cast<PageCursor::Direction>(direction);
  std::string_view in = std::string_view(*raw).substr(2);
  std::string_view field;
  if (!take_field(in, field)) return invalid("not a paging cursor");
  if (field != signature) return invalid("it belongs to a search with another _sort or _type");
  while (!in.empty()) {
    CursorValue& key = cursor.keys.emplace_back();
    const char kind = in.front();
    in.remove_prefix(1);
    if (kind == 'n') {
      key.null = true;
      continue;
    }
    if ((kind != 't' && kind != 'i' && kind != 'r') || !take_field(in, field)) {
      return invalid("not a paging cursor");
    }
    key.kind = static_cast<KeyKind>(kind);
    if (key.kind == KeyKind::kText) {
      key.text = std::string(field);
      continue;
    }
    const char* end = field.data() + field.size();
    std::from_chars_result parsed = key.kind == KeyKind::kInteger
                                        ? std::from_chars(field.data(), end, key.integer)
                                        : std::from_chars(field.data(), end, key.real);
    if (parsed.ec != std::errc() || parsed.ptr != end || field.empty() ||
        (key.kind == KeyKind::kReal && !std::isfinite(key.real))) {
      return invalid("not a paging cursor");
    }
  }
  if (cursor.direction == PageCursor::Direction::kLast ? !cursor.keys.empty()
                                                       : cursor.keys.empty()) {
    return invalid("not a paging cursor");
  }
  return cursor;
}

}  // namespace hearth::storage::detail
