// Helpers shared by the FHIR XML tests: structural JSON comparison (member order ignored, number
// text and string bytes compared exactly) that names the first difference, and file reading.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "fhir/json.h"

namespace hearth::fhir::testing {

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// "" when equal, else the path of the first difference ("$.name[0].given").
inline std::string json_difference(const JsonValue& a, const JsonValue& b,
                                   const std::string& where = "$") {
  if (a.GetType() != b.GetType()) return where + " (kind)";
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) {
      const JsonValue& more = a.MemberCount() > b.MemberCount() ? a : b;
      const JsonValue& fewer = a.MemberCount() > b.MemberCount() ? b : a;
      for (const auto& m : more.GetObject()) {
        if (!fewer.HasMember(m.name)) {
          return where + "." + std::string(m.name.GetString(), m.name.GetStringLength()) +
                 (&more == &a ? " (only in the first)" : " (only in the second)");
        }
      }
      return where + " (member count)";
    }
    for (const auto& m : a.GetObject()) {
      auto other = b.FindMember(m.name);
      std::string name(m.name.GetString(), m.name.GetStringLength());
      if (other == b.MemberEnd()) return where + "." + name + " (missing)";
      std::string d = json_difference(m.value, other->value, where + "." + name);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return where + " (array size)";
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      std::string d = json_difference(a[i], b[i], where + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a.IsString()) {
    std::string_view x(a.GetString(), a.GetStringLength()), y(b.GetString(), b.GetStringLength());
    if (x == y) return "";
    std::size_t at = 0;
    while (at < x.size() && at < y.size() && x[at] == y[at]) ++at;
    std::size_t from = at > 40 ? at - 40 : 0;
    return where + " (text differs at " + std::to_string(at) + ": '" +
           std::string(x.substr(from, 80)) + "' vs '" + std::string(y.substr(from, 80)) + "')";
  }
  if (a.IsBool() && a.GetBool() != b.GetBool()) return where + " (boolean)";
  return "";
}

}  // namespace hearth::fhir::testing
