// _include and _revinclude values: "Source:param[:Target]", "Source:*", "*" and :iterate.
#include "fhir/search/include_directive.h"

#include <algorithm>
#include <string>

#include "fhir/model.h"
#include "fhir/search/searchable.h"

namespace hearth::fhir::search::detail {
namespace {

bool references(const SearchParamDef& param, std::string_view type) {
  return param.target.empty() ||
         std::find(param.target.begin(), param.target.end(), type) != param.target.end();
}

}  // namespace

bool is_include(std::string_view code) {
  return code == "_include" || code == "_revinclude";
}

Result<IncludeDirective> parse_include(std::string_view resource_type, std::string_view name,
                                       std::string_view value) {
  const std::string quoted = "'" + std::string(name) + "=" + std::string(value) + "'";
  auto invalid = [&](const std::string& why) {
    return Status(Code::kInvalidArgument, "invalid " + quoted + ": " + why);
  };
  IncludeDirective out;
  const std::size_t colon = name.find(':');
  out.reverse = name.substr(0, colon) == "_revinclude";
  if (colon != std::string_view::npos) {
    if (name.substr(colon + 1) != "iterate") return invalid("the only modifier is :iterate");
    out.iterate = true;
  }
  if (value == "*") {
    // _include=*: the searched type's references (any type's, when iterating).
    if (!out.reverse && !out.iterate) out.source_type = std::string(resource_type);
    return out;
  }
  const std::size_t first = value.find(':');
  if (first == std::string_view::npos || first == 0 || first + 1 == value.size()) {
    return invalid("expected [type]:[parameter][:target type], [type]:* or *");
  }
  std::string_view source = value.substr(0, first);
  std::string_view rest = value.substr(first + 1);
  const std::size_t second = rest.find(':');
  std::string_view code = rest.substr(0, second);
  std::string_view target =
      second == std::string_view::npos ? std::string_view() : rest.substr(second + 1);
  if (!is_resource_type(source))
    return invalid("unknown resource type '" + std::string(source) + "'");
  if (second != std::string_view::npos && !is_resource_type(target)) {
    return invalid("unknown target type '" + std::string(target) + "'");
  }
  out.source_type = std::string(source);
  out.target_type = std::string(target);
  if (code != "*") {
    out.param = find_search_param(source, code);
    if (out.param == nullptr) {
      return invalid("unknown search parameter '" + std::string(code) + "' for " +
                     std::string(source));
    }
    if (!is_searchable_reference(*out.param)) {
      return invalid("'" + std::string(code) + "' is not a reference parameter Hearth searches");
    }
    if (!target.empty() && !references(*out.param, target)) {
      return invalid("'" + std::string(code) + "' does not reference " + std::string(target));
    }
  } else if (code.empty()) {
    return invalid("expected [type]:[parameter][:target type], [type]:* or *");
  }
  if (out.iterate) return out;
  if (!out.reverse && source != resource_type) {
    return invalid("the source type must be the searched type " + std::string(resource_type) +
                   " (or use :iterate)");
  }
  if (out.reverse) {
    if (!target.empty() && target != resource_type) {
      return invalid("the target type must be the searched type " + std::string(resource_type) +
                     " (or use :iterate)");
    }
    if (out.param != nullptr && !references(*out.param, resource_type)) {
      return invalid("'" + std::string(code) + "' does not reference " +
                     std::string(resource_type) + " (or use :iterate)");
    }
  }
  return out;
}

}  // namespace hearth::fhir::search::detail
