// A FHIR file through the REST core, and what its answer says was written.
#include "server/cli/bundle_import.h"

#include <rapidjson/document.h>

#include <utility>
#include <vector>

namespace hearth::server {
namespace {

// The base the REST core writes into Location headers and response Bundles; nothing reads it.
constexpr std::string_view kImportBase = "http://localhost/fhir";

std::string_view string_at(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// Each entry's request.method of a JSON Bundle ("" where absent); empty for anything else.
std::vector<std::string> entry_methods(const std::string& text) {
  std::vector<std::string> methods;
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return methods;
  auto entries = doc.FindMember("entry");
  if (entries == doc.MemberEnd() || !entries->value.IsArray()) return methods;
  for (const rapidjson::Value& entry : entries->value.GetArray()) {
    auto request = entry.IsObject() ? entry.FindMember("request") : entry.MemberEnd();
    methods.emplace_back(request == entry.MemberEnd() ? std::string_view()
                                                      : string_at(request->value, "method"));
  }
  return methods;
}

}  // namespace

std::optional<std::string_view> fhir_content_type(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return std::nullopt;
  if (text[first] == '{') return "application/fhir+json";
  if (text[first] == '<') return "application/fhir+xml";
  return std::nullopt;
}

BundleImport import_bundle(const api::RestHandler& rest, std::string text,
                           std::string_view content_type) {
  // A conditional create that matched answers 200 with the existing resource's location, an
  // update 200 with its new one: the methods tell them apart (JSON; XML counts creates only).
  const std::vector<std::string> methods =
      content_type == "application/fhir+json" ? entry_methods(text) : std::vector<std::string>();
  api::Request request;
  request.method = "POST";
  request.content_type = std::string(content_type);
  request.accept = "application/fhir+json";
  request.base_url = std::string(kImportBase);
  request.body = std::move(text);
  const api::Response response = rest.handle(request);
  BundleImport out;
  out.status = response.status;
  rapidjson::Document doc;
  doc.Parse(response.body.data(), response.body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    if (out.status != 200) out.error = "the answer is not FHIR JSON";
    return out;
  }
  if (out.status != 200) {
    auto issues = doc.FindMember("issue");
    if (issues != doc.MemberEnd() && issues->value.IsArray() && !issues->value.Empty()) {
      out.error = std::string(string_at(issues->value[0], "diagnostics"));
    }
    return out;
  }
  auto entries = doc.FindMember("entry");
  if (entries == doc.MemberEnd() || !entries->value.IsArray()) return out;
  for (rapidjson::SizeType i = 0; i < entries->value.Size(); ++i) {
    const rapidjson::Value& entry = entries->value[i];
    auto response_member = entry.IsObject() ? entry.FindMember("response") : entry.MemberEnd();
    if (!entry.IsObject() || response_member == entry.MemberEnd()) continue;
    const std::string_view status = string_at(response_member->value, "status");
    const std::string_view method = i < methods.size() ? methods[i] : std::string_view();
    if (!status.starts_with("2")) {
      ++out.failed;
    } else if (status.starts_with("201") ||
               (status.starts_with("200") && (method == "PUT" || method == "PATCH"))) {
      ++out.written;
    }
  }
  return out;
}

}  // namespace hearth::server
