// Large strings kept outside a resource's stored body (--blob-dir; storage/blob_dir.h holds the
// files). In the body as stored, such a string's value is a marker, "hearth-blob:" and a name of
// 32 hex digits, and the string's text is the blob of that name. Which strings move:
//   - in a Binary, every member named `data` (its content), whatever its size;
//   - elsewhere, a member named `data` (Attachment.data, Signature.data, SampledData.data) whose
//     value is at least kMinBlobBytes long;
//   - any `data` value that already starts with "hearth-blob:", so that a client's string can
//     never be taken for a marker when the body is read back.
// Only a value with nothing JSON escapes moves (base64 never has any), so putting it back is a
// plain substitution of text, with no parsing. The body is compact JSON as Hearth renders it: there
// `"data":"` can only be a member name and the start of its string (inside a string, quotes are
// escaped).
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::storage {

inline constexpr std::string_view kBlobMarker = "hearth-blob:";
inline constexpr std::size_t kBlobNameLength = 32;
// Below this an Attachment's data stays in the row: a file per small value costs more than it
// saves.
inline constexpr std::size_t kMinBlobBytes = 16 * 1024;

// A string moved out of a body: its name (32 lowercase hex digits, random) and its text as it
// stood between the quotes.
struct Blob {
  std::string name;
  std::string text;
};

// Moves the strings described above out of `json` (a compact JSON text, or a piece of one that
// holds whole members) into the returned blobs, each replaced by its marker. `binary`: the text
// is a Binary's.
std::vector<Blob> detach_blobs(std::string& json, bool binary);

// Does `body` hold a marker?
bool has_blob_markers(std::string_view body);

// `body` with every marker replaced by the text `text_of(name)` gives. Errors: those of text_of.
Result<std::string> attach_blobs(
    std::string_view body, const std::function<Result<std::string>(std::string_view)>& text_of);

// `body` with the markers of `blobs` replaced by their texts (a write without a blob directory
// keeps them in the row). Markers of other names are left as they are.
std::string attach_blobs(std::string_view body, const std::vector<Blob>& blobs);

}  // namespace hearth::storage
