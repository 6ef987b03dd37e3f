// Reading Bundle.entry.request into BundleEntry values.
#include "api/rest/bundle_entries.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

#include "fhir/model.h"

namespace hearth::api {
namespace {

Status entry_error(std::size_t i, std::string_view element, std::string message) {
  std::string where = "Bundle.entry[" + std::to_string(i) + "]";
  if (!element.empty()) where += "." + std::string(element);
  return Status(Code::kInvalidArgument, where + ": " + message, where);
}

std::string string_member(const fhir::JsonValue& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !fhir::is_json_string(it->value)) return {};
  return std::string(fhir::json_string(it->value));
}

bool parse_method(std::string_view text, EntryMethod& method) {
  static constexpr std::pair<std::string_view, EntryMethod> kMethods[] = {
      {"GET", EntryMethod::kGet}, {"HEAD", EntryMethod::kHead},   {"POST", EntryMethod::kPost},
      {"PUT", EntryMethod::kPut}, {"PATCH", EntryMethod::kPatch}, {"DELETE", EntryMethod::kDelete}};
  for (const auto& [name, value] : kMethods) {
    if (name == text) {
      method = value;
      return true;
    }
  }
  return false;
}

// The REST path of an absolute URL on another base ("http://hl7.org/fhir/us/sdc/Questionnaire/
// 54127-6" -> "Questionnaire/54127-6"): from its last segment that names a resource type and is
// followed by at most three more; empty when there is none.
std::string_view rest_path_of_url(std::string_view url) {
  std::string_view path = url.substr(url.find("://") + 3);
  const std::size_t host_end = path.find('/');
  if (host_end == std::string_view::npos) return {};
  path.remove_prefix(host_end + 1);
  std::string_view best;
  std::size_t start = 0;
  while (start < path.size()) {
    const std::size_t slash = path.find('/', start);
    std::string_view segment = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    std::string_view rest = path.substr(start);
    if (fhir::is_resource_type(segment) && std::count(rest.begin(), rest.end(), '/') <= 3) {
      best = rest;
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return best;
}

// The entry an issue's expression lies in: N of "Bundle.entry[N]" or "Bundle.entry[N]...".
std::optional<std::size_t> entry_of(std::string_view expression) {
  constexpr std::string_view kPrefix = "Bundle.entry[";
  if (!expression.starts_with(kPrefix)) return std::nullopt;
  expression.remove_prefix(kPrefix.size());
  std::size_t n = 0;
  const auto [end, error] =
      std::from_chars(expression.data(), expression.data() + expression.size(), n);
  if (error != std::errc() || end == expression.data()) return std::nullopt;
  const std::string_view rest(end, expression.data() + expression.size() - end);
  if (!rest.starts_with(']') || (rest.size() > 1 && rest[1] != '.')) return std::nullopt;
  return n;
}

// Reads Bundle.entry[i] (`item`) of a Bundle of `type` into `entry`; the errors are
// read_bundle_entries'.
Status read_entry(fhir::JsonValue& item, std::size_t i, const std::string& type,
                  std::string_view base_url, BundleEntry& entry) {
  if (!item.IsObject()) return entry_error(i, "", "an entry must be an object");
  entry.full_url = string_member(item, "fullUrl");
  auto resource = item.FindMember("resource");
  if (resource != item.MemberEnd() && resource->value.IsObject()) {
    entry.resource = &resource->value;
  }
  auto request = item.FindMember("request");
  if (request == item.MemberEnd() || !request->value.IsObject()) {
    return entry_error(i, "request", "every entry of a " + type + " needs a request");
  }
  const fhir::JsonValue& r = request->value;
  const std::string method = string_member(r, "method");
  if (!parse_method(method, entry.method)) {
    return entry_error(i, "request.method", "unknown method '" + method + "'");
  }
  entry.url = string_member(r, "url");
  entry.if_none_exist = string_member(r, "ifNoneExist");
  // Some clients write the criteria as a whole search URL ("Patient?identifier=...").
  if (const std::size_t q = entry.if_none_exist.find('?');
      q != std::string::npos &&
      fhir::is_resource_type(std::string_view(entry.if_none_exist).substr(0, q))) {
    entry.if_none_exist.erase(0, q + 1);
  }
  entry.if_match = string_member(r, "ifMatch");
  entry.if_none_match = string_member(r, "ifNoneMatch");
  entry.if_modified_since = string_member(r, "ifModifiedSince");

  std::string_view url = entry.url;
  if (!base_url.empty() && url.starts_with(base_url) &&
      (url.size() == base_url.size() || url[base_url.size()] == '/' ||
       url[base_url.size()] == '?')) {
    url.remove_prefix(base_url.size());
  }
  while (url.starts_with('/')) url.remove_prefix(1);
  const std::size_t q = url.find('?');
  std::string_view path = url.substr(0, q);
  while (path.ends_with('/')) path.remove_suffix(1);
  if (path.find("://") != std::string_view::npos) path = rest_path_of_url(path);
  if (path.empty()) {
    return entry_error(i, "request.url",
                       "'" + entry.url + "' is not a FHIR REST path of this server");
  }
  if (path.find('$') != std::string_view::npos) {
    return Status(Code::kNotImplemented,
                  "Bundle.entry[" + std::to_string(i) + "].request.url: operations ('" + entry.url +
                      "') are not supported",
                  "Bundle.entry[" + std::to_string(i) + "].request.url");
  }
  if (q != std::string_view::npos) {
    Result<QueryParams> query = parse_criteria(url.substr(q + 1));
    if (!query.is_ok()) return entry_error(i, "request.url", query.status().message());
    entry.query = std::move(query).value();
  }
  const std::string_view routed_method =
      entry.method == EntryMethod::kHead ? "GET" : method_name(entry.method);
  Result<Route> route = route_request(routed_method, path);
  if (!route.is_ok()) return entry_error(i, "request.url", route.status().message());
  entry.route = std::move(route).value();
  const Interaction in = entry.route.interaction;
  if (in == Interaction::kTransaction) {
    return entry_error(i, "request.url", "a Bundle entry cannot be another transaction");
  }
  if (entry.method == EntryMethod::kPost && in != Interaction::kCreate) {
    return entry_error(
        i, "request.url",
        "POST in a " + type + " creates a resource: the url is its type, not '" + entry.url + "'");
  }
  const bool needs_resource = entry.method == EntryMethod::kPost ||
                              entry.method == EntryMethod::kPut ||
                              entry.method == EntryMethod::kPatch;
  if (needs_resource && entry.resource == nullptr) {
    return entry_error(i, "resource", method + " needs the entry's resource");
  }
  if (entry.method == EntryMethod::kPost || entry.method == EntryMethod::kPut) {
    const std::string rtype = string_member(*entry.resource, "resourceType");
    if (rtype != entry.route.type) {
      return entry_error(
          i, "resource",
          "resource type '" + rtype + "' does not match the url's '" + entry.route.type + "'");
    }
  }
  if (in == Interaction::kUpdate) {
    const std::string id = string_member(*entry.resource, "id");
    if (id != entry.route.id) {
      return entry_error(
          i, "resource.id",
          "the resource id '" + id + "' does not match the url's id '" + entry.route.id + "'");
    }
  }
  if (entry.method == EntryMethod::kPatch) {
    const std::string rtype = string_member(*entry.resource, "resourceType");
    if (rtype != "Parameters" && rtype != "Binary") {
      return entry_error(i, "resource",
                         "a PATCH entry carries a Parameters resource (FHIRPath Patch) or a "
                         "Binary (JSON Patch), not " +
                             (rtype.empty() ? std::string("a resource without type") : rtype));
    }
  }
  if ((in == Interaction::kConditionalUpdate || in == Interaction::kConditionalDelete ||
       in == Interaction::kConditionalPatch) &&
      entry.query.empty()) {
    return entry_error(i, "request.url",
                       method + " " + entry.route.type + " needs an id or search criteria");
  }
  return Status::ok();
}

}  // namespace

std::string_view method_name(EntryMethod method) {
  switch (method) {
    case EntryMethod::kGet: return "GET";
    case EntryMethod::kHead: return "HEAD";
    case EntryMethod::kPost: return "POST";
    case EntryMethod::kPut: return "PUT";
    case EntryMethod::kPatch: return "PATCH";
    case EntryMethod::kDelete: return "DELETE";
  }
  return "GET";
}

Result<std::vector<BundleEntry>> read_bundle_entries(fhir::JsonDocument& bundle,
                                                     std::string_view base_url, BundleKind& kind) {
  const std::string type = string_member(bundle, "type");
  if (type != "transaction" && type != "batch") {
    return Status(
        Code::kInvalidArgument,
        "POST to the base takes a Bundle of type transaction or batch, not '" + type + "'",
        "Bundle.type");
  }
  kind.transaction = type == "transaction";
  std::vector<BundleEntry> entries;
  auto list = bundle.FindMember("entry");
  if (list == bundle.MemberEnd() || !list->value.IsArray()) return entries;
  entries.reserve(list->value.Size());
  for (rapidjson::SizeType i = 0; i < list->value.Size(); ++i) {
    BundleEntry& entry = entries.emplace_back();
    entry.index = i;
    entry.location = "Bundle.entry[" + std::to_string(i) + "]";
    entry.allocator = &bundle.GetAllocator();
    Status read = read_entry(list->value[i], i, type, base_url, entry);
    if (read.is_ok()) continue;
    if (kind.transaction) return read;
    entry.invalid = std::move(read);
  }
  return entries;
}

bool confine_issues_to_entries(const Status& validation, std::vector<BundleEntry>& entries) {
  std::vector<std::vector<Issue>> per_entry(entries.size());
  std::vector<bool> failed(entries.size(), false);
  for (const Issue& issue : validation.issues()) {
    const bool error = issue.severity == Severity::kError || issue.severity == Severity::kFatal;
    const std::optional<std::size_t> i = entry_of(issue.expression);
    if (!i || *i >= entries.size()) {
      if (error) return false;
      continue;
    }
    per_entry[*i].push_back(issue);
    failed[*i] = failed[*i] || error;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (failed[i] && entries[i].invalid.is_ok()) {
      entries[i].invalid = Status(validation.code(), std::move(per_entry[i]));
    }
  }
  return true;
}

}  // namespace hearth::api
