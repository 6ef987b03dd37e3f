// The '/'-separated segments of a path below a base (no leading slash): what both route tables
// (api/rest/route.cpp, api/hl7/route.cpp) match their patterns against.
#pragma once

#include <string_view>
#include <vector>

namespace hearth::api {

// "Patient/1/_history" -> {"Patient", "1", "_history"}; "" -> {}; a trailing '/' adds no empty
// segment ("a/" -> {"a"}), an inner "//" does ("a//b" -> {"a", "", "b"}). The views point into
// `path`.
std::vector<std::string_view> split_path_segments(std::string_view path);

}  // namespace hearth::api
