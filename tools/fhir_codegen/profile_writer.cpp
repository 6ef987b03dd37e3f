// A SAX pass over each constraint StructureDefinition that copies the kept members into a
// compact writer, numbers as their original text.
#include "tools/fhir_codegen/profile_writer.h"

#include <rapidjson/document.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "tools/fhir_codegen/cpp_writer.h"

namespace hearth::codegen {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

bool keep_top(std::string_view key) {
  static const std::set<std::string_view> kKeep = {
      "resourceType",   "url",        "name", "type",
      "baseDefinition", "derivation", "kind", "differential"};
  return kKeep.contains(key);
}

bool keep_element(std::string_view key) {
  static const std::set<std::string_view> kKeep = {
      "id", "path", "sliceName", "min", "max", "type", "binding", "slicing", "constraint"};
  if (kKeep.contains(key)) return true;
  auto upper_at = [&](std::size_t i) { return key.size() > i && key[i] >= 'A' && key[i] <= 'Z'; };
  return (key.starts_with("fixed") && upper_at(5)) || (key.starts_with("pattern") && upper_at(7));
}

// Forwards events to `out`, leaving out the members not kept. Depths: 1 is the resource,
// 2 `differential`, 3 its `element` array, 4 one element.
class Filter {
 public:
  explicit Filter(Writer& out) : out_(out) {}

  bool Null() {
    return scalar([&] { return out_.Null(); });
  }
  bool Bool(bool b) {
    return scalar([&] { return out_.Bool(b); });
  }
  bool Int(int i) {
    return scalar([&] { return out_.Int(i); });
  }
  bool Uint(unsigned u) {
    return scalar([&] { return out_.Uint(u); });
  }
  bool Int64(std::int64_t i) {
    return scalar([&] { return out_.Int64(i); });
  }
  bool Uint64(std::uint64_t u) {
    return scalar([&] { return out_.Uint64(u); });
  }
  bool Double(double d) {
    return scalar([&] { return out_.Double(d); });
  }
  // The number's text as it is in the file ("3.0" stays "3.0"); Writer::RawNumber would quote it.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    return scalar([&] { return out_.RawValue(s, n, rapidjson::kNumberType); });
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return scalar([&] { return out_.String(s, n, copy); });
  }
  bool StartObject() {
    return open([&] { return out_.StartObject(); });
  }
  bool EndObject(rapidjson::SizeType n) {
    return close([&] { return out_.EndObject(n); });
  }
  bool StartArray() {
    return open([&] { return out_.StartArray(); });
  }
  bool EndArray(rapidjson::SizeType n) {
    return close([&] { return out_.EndArray(n); });
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    if (skip_ > 0) return true;
    std::string_view key(s, n);
    bool keep = depth_ == 1   ? keep_top(key)
                : depth_ == 4 ? keep_element(key)
                : depth_ == 2 ? key == "element"
                              : true;
    if (!keep) {
      skipping_value_ = true;
      return true;
    }
    return out_.Key(s, n, copy);
  }

 private:
  template <typename F>
  bool scalar(F f) {
    if (skip_ > 0) return true;
    if (skipping_value_) {
      skipping_value_ = false;
      return true;
    }
    return f();
  }
  template <typename F>
  bool open(F f) {
    if (skip_ > 0 || skipping_value_) {
      skipping_value_ = false;
      ++skip_;
      return true;
    }
    ++depth_;
    return f();
  }
  template <typename F>
  bool close(F f) {
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    --depth_;
    return f();
  }

  Writer& out_;
  int depth_ = 0;
  int skip_ = 0;
  bool skipping_value_ = false;
};

}  // namespace

Result<std::string> write_profile_tables(const std::filesystem::path& dir,
                                         const std::string& source) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("StructureDefinition-") && name.ends_with(".json")) {
      files.push_back(entry.path());
    }
  }
  std::vector<std::pair<std::string, std::string>> profiles;  // (url, reduced JSON)
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      return Status(Code::kMalformed, "not a JSON object: " + file.string());
    }
    auto derivation = doc.FindMember("derivation");
    auto url = doc.FindMember("url");
    if (derivation == doc.MemberEnd() || !derivation->value.IsString() ||
        std::string_view(derivation->value.GetString()) != "constraint" || url == doc.MemberEnd() ||
        !url->value.IsString()) {
      continue;
    }
    rapidjson::StringBuffer out;
    Writer writer(out);
    Filter filter(writer);
    rapidjson::Reader reader;
    rapidjson::StringStream stream(text.c_str());
    if (!reader.Parse<rapidjson::kParseNumbersAsStringsFlag>(stream, filter)) {
      return Status(Code::kMalformed, "cannot reduce " + file.string());
    }
    profiles.emplace_back(url->value.GetString(), out.GetString());
  }
  std::sort(profiles.begin(), profiles.end());
  std::string text =
      "// Generated by tools/fhir_codegen from " + source +
      ". Do not edit.\n// The constraint StructureDefinitions, reduced "
      "(tools/fhir_codegen/profile_writer.h).\n"
      "#include \"fhir/shipped_profiles.h\"\n\n"
      "namespace hearth::fhir::detail {\nusing namespace std::string_view_literals;\n"
      "namespace {\nconstexpr ShippedProfile kProfiles[] = {\n";
  for (const auto& [url, json] : profiles) {
    text += "    {" + cpp_literal(url) + ",\n     " + cpp_literal(json) + "},\n";
  }
  text +=
      "};\n}  // namespace\nconst std::span<const ShippedProfile> kShippedProfiles(kProfiles);\n"
      "}  // namespace hearth::fhir::detail\n";
  return text;
}

}  // namespace hearth::codegen
