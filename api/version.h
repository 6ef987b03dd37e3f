// Hearth's release version, reported by the CapabilityStatement and `hearth --version`.
#pragma once

#include <string_view>

namespace hearth {
inline constexpr std::string_view kHearthVersion = "0.1.0";
}  // namespace hearth
