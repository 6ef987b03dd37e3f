// JSON Pointer (RFC 6901): "/a/b~1c/0" -> reference tokens {"a", "b/c", "0"}, and resolving them
// in a RapidJSON value. Used by JSON Patch (json_patch.h). Pure functions; reentrant.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir::patch {

// The reference tokens of `pointer`, unescaped (~1 -> '/', ~0 -> '~', in that order, so "~01"
// is "~1"). "" (the whole document) has no tokens. Errors: kInvalidArgument for a non-empty
// pointer not starting with '/', a '~' not followed by '0' or '1', or more than
// kMaxPatchPathBytes bytes (patch_limits.h).
Result<std::vector<std::string>> parse_json_pointer(std::string_view pointer);

// An array index token: decimal digits without leading zeros ("0", "12"). nullopt for "-",
// anything else, and values that do not fit size_t.
std::optional<std::size_t> parse_array_index(std::string_view token);

// The value `tokens[0, count)` names inside `root`, or nullptr when a step does not exist (a
// missing member, an index out of range or "-", a step into a scalar).
JsonValue* resolve_json_pointer(JsonValue& root, const std::vector<std::string>& tokens,
                                std::size_t count);

// Re-escapes tokens[0, count) as pointer text ("/a/b~1c"), for error messages.
std::string json_pointer_text(const std::vector<std::string>& tokens, std::size_t count);

}  // namespace hearth::fhir::patch
