// JSON Pointer parsing and resolution (RFC 6901).
#include "fhir/patch/json_pointer.h"

#include <charconv>

#include "fhir/patch/patch_limits.h"

namespace hearth::fhir::patch {

Result<std::vector<std::string>> parse_json_pointer(std::string_view pointer) {
  if (pointer.size() > kMaxPatchPathBytes) {
    return Status(Code::kInvalidArgument,
                  "the pointer is longer than " + std::to_string(kMaxPatchPathBytes) + " bytes");
  }
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') {
    return Status(Code::kInvalidArgument,
                  "pointer '" + std::string(pointer) + "' does not start with '/'");
  }
  std::string token;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
      continue;
    }
    char c = pointer[i];
    if (c == '~') {
      char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
      if (next != '0' && next != '1') {
        return Status(Code::kInvalidArgument, "pointer '" + std::string(pointer) +
                                                  "' has a '~' not followed by '0' or '1'");
      }
      token += next == '0' ? '~' : '/';
      ++i;
      continue;
    }
    token += c;
  }
  return tokens;
}

std::optional<std::size_t> parse_array_index(std::string_view token) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return std::nullopt;
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return index;
}

JsonValue* resolve_json_pointer(JsonValue& root, const std::vector<std::string>& tokens,
                                std::size_t count) {
  JsonValue* at = &root;
  for (std::size_t i = 0; i < count && i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (at->IsObject()) {
      auto it = at->FindMember(JsonValue(
          rapidjson::StringRef(token.data(), static_cast<rapidjson::SizeType>(token.size()))));
      if (it == at->MemberEnd()) return nullptr;
      at = &it->value;
    } else if (at->IsArray()) {
      std::optional<std::size_t> index = parse_array_index(token);
      if (!index || *index >= at->Size()) return nullptr;
      at = &(*at)[static_cast<rapidjson::SizeType>(*index)];
    } else {
      return nullptr;
    }
  }
  return at;
}

std::string json_pointer_text(const std::vector<std::string>& tokens, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count && i < tokens.size(); ++i) {
    text += '/';
    for (char c : tokens[i]) {
      if (c == '~') {
        text += "~0";
      } else if (c == '/') {
        text += "~1";
      } else {
        text += c;
      }
    }
  }
  return text;
}

}  // namespace hearth::fhir::patch
