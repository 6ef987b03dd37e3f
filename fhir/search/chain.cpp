// Chained and reverse-chained parameter names: the links, each checked against the generated
// search parameter tables (the parameter exists, is a reference, reaches the next type).
#include "fhir/search/chain.h"

#include <algorithm>

#include "fhir/model.h"
#include "fhir/search/searchable.h"

namespace hearth::fhir::search::detail {
namespace {

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, std::move(message));
}

// "code[:modifier]" up to the next '.' or ':' -> "code".
std::string_view code_of(std::string_view text) {
  return text.substr(0, text.find_first_of(".:"));
}

bool references(const SearchParamDef& param, std::string_view type) {
  return param.target.empty() ||
         std::find(param.target.begin(), param.target.end(), type) != param.target.end();
}

Result<const SearchParamDef*> reference_param(std::string_view type, std::string_view code,
                                              std::string_view name) {
  const SearchParamDef* param = find_search_param(type, code);
  if (param == nullptr) {
    return invalid("unknown search parameter '" + std::string(code) + "' for " + std::string(type) +
                   " in '" + std::string(name) + "'");
  }
  if (!is_searchable_reference(*param)) {
    return invalid("'" + std::string(code) + "' in '" + std::string(name) +
                   "' is not a reference parameter of " + std::string(type) +
                   " that Hearth searches, so it cannot be chained");
  }
  return param;
}

// _has:Type:param:rest -> a reverse link from `from`; `rest` is what follows.
Result<ChainLink> has_link(std::string_view from, std::string_view& rest, std::string_view name) {
  std::string_view body = rest.substr(5);  // after "_has:"
  const std::size_t first = body.find(':');
  const std::size_t second = first == std::string_view::npos ? first : body.find(':', first + 1);
  if (second == std::string_view::npos || first == 0 || second == first + 1 ||
      second + 1 == body.size()) {
    return invalid("malformed '" + std::string(name) +
                   "': expected _has:[type]:[reference parameter]:[parameter]");
  }
  std::string_view type = body.substr(0, first);
  std::string_view code = body.substr(first + 1, second - first - 1);
  if (!is_resource_type(type)) {
    return invalid("unknown resource type '" + std::string(type) + "' in '" + std::string(name) +
                   "'");
  }
  HEARTH_ASSIGN_OR_RETURN(const SearchParamDef* param, reference_param(type, code, name));
  if (!references(*param, from)) {
    return invalid("'" + std::string(type) + ":" + std::string(code) + "' in '" +
                   std::string(name) + "' does not reference " + std::string(from));
  }
  rest = body.substr(second + 1);
  return ChainLink{.reverse = true, .param = param, .type = std::string(type)};
}

// The target type of a forward link: the :Type modifier, or the one target with `next`.
Result<std::string> target_type(const SearchParamDef& param, std::string_view modifier,
                                std::string_view next, std::string_view name) {
  if (!modifier.empty()) {
    if (!is_resource_type(modifier) || !references(param, modifier)) {
      return invalid("'" + std::string(modifier) + "' in '" + std::string(name) +
                     "' is not a target type of '" + std::string(param.code) + "'");
    }
    return std::string(modifier);
  }
  std::vector<std::string_view> choices;
  std::span<const std::string_view> targets =
      param.target.empty() ? resource_types() : param.target;
  for (std::string_view t : targets) {
    if (next.starts_with("_has") || find_search_param(t, next) != nullptr) choices.push_back(t);
  }
  if (choices.size() == 1) return std::string(choices.front());
  if (choices.empty()) {
    return invalid("no target type of '" + std::string(param.code) + "' has a parameter '" +
                   std::string(next) + "' in '" + std::string(name) + "'");
  }
  std::string listed;
  for (std::size_t i = 0; i < choices.size() && i < 5; ++i) {
    listed += (i == 0 ? "" : ", ") + std::string(param.code) + ":" + std::string(choices[i]) + "." +
              std::string(next);
  }
  if (choices.size() > 5) listed += ", ...";
  return invalid("ambiguous chain '" + std::string(name) + "': '" + std::string(param.code) +
                 "' may reference " + std::to_string(choices.size()) + " types with a parameter '" +
                 std::string(next) + "'; name one (" + listed + ")");
}

}  // namespace

bool is_chained(std::string_view name) {
  return name.starts_with("_has:") || name.find('.') != std::string_view::npos;
}

Result<ChainedName> parse_chain(std::string_view resource_type, std::string_view name) {
  ChainedName out;
  out.type = std::string(resource_type);
  std::string_view rest = name;
  for (;;) {
    if (out.links.size() > kMaxChainLinks) {
      return invalid("'" + std::string(name) + "' has more than " + std::to_string(kMaxChainLinks) +
                     " chained links");
    }
    if (rest.starts_with("_has:")) {
      HEARTH_ASSIGN_OR_RETURN(ChainLink link, has_link(out.type, rest, name));
      out.type = link.type;
      out.links.push_back(std::move(link));
      continue;
    }
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos) break;
    std::string_view head = rest.substr(0, dot);
    std::string_view next = rest.substr(dot + 1);
    const std::size_t colon = head.find(':');
    std::string_view code = head.substr(0, colon);
    std::string_view modifier =
        colon == std::string_view::npos ? std::string_view() : head.substr(colon + 1);
    if (code.empty() || next.empty()) {
      return invalid("malformed chained parameter '" + std::string(name) + "'");
    }
    HEARTH_ASSIGN_OR_RETURN(const SearchParamDef* param, reference_param(out.type, code, name));
    HEARTH_ASSIGN_OR_RETURN(std::string target, target_type(*param, modifier, code_of(next), name));
    out.links.push_back(ChainLink{.reverse = false, .param = param, .type = target});
    out.type = std::move(target);
    rest = next;
  }
  if (out.links.size() > kMaxChainLinks) {
    return invalid("'" + std::string(name) + "' has more than " + std::to_string(kMaxChainLinks) +
                   " chained links");
  }
  if (rest.empty()) return invalid("malformed chained parameter '" + std::string(name) + "'");
  out.last = rest;
  return out;
}

}  // namespace hearth::fhir::search::detail
