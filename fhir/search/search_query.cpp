// Search request parsing (search.html): parameter names, modifiers and the result parameters;
// the values themselves are read by fhir/search/search_value_parse.cpp.
#include "fhir/search/search_query.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <system_error>

#include "fhir/search/chain.h"
#include "fhir/search/full_text.h"
#include "fhir/search/include_directive.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_value_parse.h"
#include "fhir/search/searchable.h"
#include "fhir/search/token_terminology.h"

namespace hearth::fhir::search {
namespace {

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, std::move(message));
}

// Recognised by search.html but not implemented: rejected, because ignoring them would return
// other resources than the client asked for.
constexpr std::string_view kUnsupported[] = {
    "_contained", "_containedType", "_list", "_query", "_filter",
};

bool is_unsupported(std::string_view name) {
  return std::find(std::begin(kUnsupported), std::end(kUnsupported), name) !=
         std::end(kUnsupported);
}

std::string_view type_name(SearchParamType type) {
  switch (type) {
    case SearchParamType::kNumber: return "number";
    case SearchParamType::kDate: return "date";
    case SearchParamType::kString: return "string";
    case SearchParamType::kToken: return "token";
    case SearchParamType::kReference: return "reference";
    case SearchParamType::kComposite: return "composite";
    case SearchParamType::kQuantity: return "quantity";
    case SearchParamType::kUri: return "uri";
    case SearchParamType::kSpecial: return "special";
  }
  return "unknown";
}

// _count and _offset: digits only. Values above `cap` become `cap` when capping is allowed
// (cap > 0), else they are an error.
Result<std::int64_t> parse_non_negative(std::string_view name, std::string_view value,
                                        std::int64_t cap) {
  auto bad = [&] {
    return invalid("invalid " + std::string(name) + " '" + std::string(value) +
                   "': expected a non-negative integer");
  };
  if (value.empty() ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return bad();
  }
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec == std::errc::result_out_of_range) {
    if (cap > 0) return cap;
    return bad();
  }
  if (ec != std::errc() || end != value.data() + value.size()) return bad();
  return cap > 0 ? std::min(number, cap) : number;
}

struct ParsedModifier {
  Modifier modifier = Modifier::kNone;
  std::string target_type;
};

ParsedModifier plain(Modifier modifier) {
  ParsedModifier parsed;
  parsed.modifier = modifier;
  return parsed;
}

Result<ParsedModifier> parse_modifier(const SearchParamDef& param, std::string_view name,
                                      std::string_view text) {
  if (text.empty()) return ParsedModifier{};
  if (is_full_text(param)) {
    return invalid("modifier ':" + std::string(text) + "' in '" + std::string(name) +
                   "' is not supported: _text and _content take words only");
  }
  if (text == "missing") return plain(Modifier::kMissing);
  switch (param.type) {
    case SearchParamType::kString:
      if (is_phonetic(param)) break;  // its rows hold keys: no :exact or :contains text
      if (text == "exact") return plain(Modifier::kExact);
      if (text == "contains") return plain(Modifier::kContains);
      break;
    case SearchParamType::kToken:
      if (text == "not") return plain(Modifier::kNot);
      if (text == "text") return plain(Modifier::kText);
      // search.html#token: on identifier parameters (all R4 ones are named "identifier").
      if (text == "of-type" && param.code == "identifier") return plain(Modifier::kOfType);
      if (text == "in") return plain(Modifier::kIn);
      if (text == "not-in") return plain(Modifier::kNotIn);
      if (text == "below") return plain(Modifier::kBelow);
      if (text == "above") return plain(Modifier::kAbove);
      break;
    case SearchParamType::kUri:
      if (text == "contains") return plain(Modifier::kContains);
      if (text == "below") return plain(Modifier::kBelow);
      if (text == "above") return plain(Modifier::kAbove);
      break;
    case SearchParamType::kReference:
      if (is_resource_type(text)) {
        if (!param.target.empty() &&
            std::find(param.target.begin(), param.target.end(), text) == param.target.end()) {
          return invalid("modifier ':" + std::string(text) + "' in '" + std::string(name) +
                         "': " + std::string(text) + " is not a target type of '" +
                         std::string(param.code) + "'");
        }
        return ParsedModifier{.modifier = Modifier::kType, .target_type = std::string(text)};
      }
      break;
    default: break;
  }
  return invalid("modifier ':" + std::string(text) + "' in '" + std::string(name) +
                 "' is not supported for " + std::string(type_name(param.type)) + " parameters");
}

// What the index answers (searchable.h: the CapabilityStatement claims exactly these); anything
// else has no values to match or sort by.
bool has_values(const SearchParamDef& param) {
  return is_searchable(param);
}

// The parameter `code` in the query's scope: the searched type's; in a system search, the one
// every _type type defines (the first type's definition; all of one parameter type), or
// Resource's without _type. nullptr when unknown (to one of the types).
Result<const SearchParamDef*> scope_param(const SearchQuery& query, std::string_view code) {
  if (!query.resource_type.empty()) return find_search_param(query.resource_type, code);
  if (query.types.empty()) return find_search_param("Resource", code);
  const SearchParamDef* first = nullptr;
  for (const std::string& type : query.types) {
    const SearchParamDef* param = find_search_param(type, code);
    if (param == nullptr) return static_cast<const SearchParamDef*>(nullptr);
    if (first == nullptr) {
      first = param;
    } else if (param->type != first->type) {
      return invalid("search parameter '" + std::string(code) + "' is a " +
                     std::string(type_name(first->type)) + " parameter of " + query.types[0] +
                     " but a " + std::string(type_name(param->type)) + " parameter of " + type +
                     ": search one type at a time");
    }
  }
  return first;
}

// What a search covers, for messages: "Patient", "Patient, Observation", "any resource type".
std::string scope_text(const SearchQuery& query) {
  if (query.types.empty()) return "any resource type";
  std::string out;
  for (const std::string& type : query.types) out += (out.empty() ? "" : ", ") + type;
  return out;
}

// _type=A,B (system search only): the resource types searched, each once, in order.
Result<std::vector<std::string>> parse_types(std::string_view value, std::size_t max_values) {
  std::vector<std::string> types;
  std::vector<std::string> items = detail::split_unescaped(value, ',', max_values);
  if (items.size() > max_values) {
    return invalid("too many values for _type: at most " + std::to_string(max_values) +
                   " (--search-max-values)");
  }
  for (const std::string& item : items) {
    if (item.empty()) continue;
    if (!is_resource_type(item)) return invalid("_type: unknown resource type '" + item + "'");
    if (std::find(types.begin(), types.end(), item) == types.end()) types.push_back(item);
  }
  return types;
}

bool in_scope(const SearchQuery& query, std::string_view type) {
  return query.types.empty() ||
         std::find(query.types.begin(), query.types.end(), type) != query.types.end();
}

// _include / _revinclude. In a system search a directive without :iterate must apply to one of
// the types searched: an _include's source is one of them, a _revinclude's parameter may point
// at one; "*" applies to all.
Result<IncludeDirective> parse_include_in(const SearchQuery& query, std::string_view name,
                                          std::string_view value) {
  if (!query.resource_type.empty()) return detail::parse_include(query.resource_type, name, value);
  const bool plain = name.find(':') == std::string_view::npos;
  // Read as :iterate (which checks the names only), then checked against the types here.
  HEARTH_ASSIGN_OR_RETURN(
      auto directive,
      detail::parse_include("", plain ? std::string(name) + ":iterate" : std::string(name), value));
  if (!plain) return directive;
  directive.iterate = false;
  bool applies = false;
  if (!directive.reverse) {
    applies = directive.source_type.empty() || in_scope(query, directive.source_type);
  } else if (!directive.target_type.empty()) {
    applies = in_scope(query, directive.target_type);
  } else if (directive.param == nullptr || directive.param->target.empty() || query.types.empty()) {
    applies = true;
  } else {
    for (std::string_view target : directive.param->target)
      applies = applies || in_scope(query, target);
  }
  if (!applies) {
    return invalid("invalid '" + std::string(name) + "=" + std::string(value) +
                   "': it applies to none of the types searched (" + scope_text(query) +
                   "; or use :iterate)");
  }
  return directive;
}

// _sort=a,-b: known parameters of a sortable type (search.html#sort).
Result<std::vector<SortKey>> parse_sort(const SearchQuery& query, std::string_view value,
                                        std::size_t max_keys) {
  std::vector<SortKey> keys;
  std::vector<std::string> items = detail::split_unescaped(value, ',', max_keys);
  if (items.size() > max_keys) {
    return invalid("too many _sort keys: at most " + std::to_string(max_keys) +
                   " per search (--search-max-sort)");
  }
  for (const std::string& item : items) {
    std::string_view code = item;
    if (code.empty()) continue;
    SortKey key;
    if (code.starts_with('-')) {
      key.descending = true;
      code.remove_prefix(1);
    }
    HEARTH_ASSIGN_OR_RETURN(key.param, scope_param(query, code));
    if (key.param == nullptr) {
      return invalid("unknown _sort parameter '" + std::string(code) + "' for " +
                     scope_text(query));
    }
    if (!has_values(*key.param) || key.param->type == SearchParamType::kComposite ||
        is_phonetic(*key.param) || is_full_text(*key.param)) {
      return invalid("_sort by '" + std::string(code) + "' (a " +
                     std::string(type_name(key.param->type)) + " parameter) is not supported");
    }
    keys.push_back(key);
  }
  return keys;
}

// The names SearchLimits::max_params does not count (search.html#count and the others).
// The longest _cursor read (the store's own limit is lower, storage/sql/page_cursor.h).
constexpr std::size_t kMaxCursorText = 16384;

bool is_result_param(std::string_view name) {
  return name == "_count" || name == "_offset" || name == "_cursor" || name == "_sort" ||
         name == "_total" || name == "_summary" || name == "_elements" || name == "_format" ||
         name == "_pretty";
}

// Sets the result parameter `name` on `query`. false when `name` is not one.
Result<bool> parse_result_param(std::string_view name, std::string_view value,
                                const SearchLimits& limits, SearchQuery& query) {
  if (name == "_count") {
    Result<std::int64_t> count = parse_non_negative(name, value, kMaxCount);
    if (!count) return count.status();
    query.count = static_cast<int>(*count);
  } else if (name == "_offset") {
    Result<std::int64_t> offset = parse_non_negative(name, value, 0);
    if (!offset) return offset.status();
    query.offset = *offset;
  } else if (name == "_cursor") {
    if (value.size() > kMaxCursorText) {
      return invalid("invalid _cursor: longer than " + std::to_string(kMaxCursorText) + " bytes");
    }
    query.cursor = std::string(value);
  } else if (name == "_sort") {
    Result<std::vector<SortKey>> keys = parse_sort(query, value, limits.max_sort);
    if (!keys) return keys.status();
    query.sort = std::move(*keys);
  } else if (name == "_total") {
    if (value == "none") {
      query.total = TotalMode::kNone;
    } else if (value == "estimate") {
      query.total = TotalMode::kEstimate;
    } else if (value == "accurate") {
      query.total = TotalMode::kAccurate;
    } else {
      return invalid("invalid _total '" + std::string(value) +
                     "': expected none, estimate or accurate");
    }
  } else if (name == "_summary") {
    query.summary_count = value == "count";
    if (query.summary_count) {
      query.view.summary = SummaryMode::kFalse;
    } else {
      Result<SummaryMode> mode = parse_summary_mode(value);
      if (!mode) return mode.status();
      query.view.summary = *mode;
    }
  } else if (name == "_elements") {
    Result<std::vector<std::string>> names = parse_elements(value, query.types, limits.max_values);
    if (!names) return names.status();
    query.view.elements = std::move(*names);
  } else {
    return false;
  }
  return true;
}

}  // namespace

Status too_many_params(const SearchLimits& limits) {
  return invalid("too many search parameters: at most " + std::to_string(limits.max_params) +
                 " per search (--search-max-params), plus at most " +
                 std::to_string(kMaxResultParams) +
                 " result parameters (_sort, _count, _offset, _cursor, _total, _summary, _elements,"
                 " _format, _pretty)");
}

Result<SearchQuery> parse_search(std::string_view resource_type,
                                 const std::vector<std::pair<std::string, std::string>>& params,
                                 std::string_view base_url, bool strict,
                                 const SearchLimits& limits) {
  if (!resource_type.empty() && !is_resource_type(resource_type)) {
    return invalid("unknown resource type '" + std::string(resource_type) + "'");
  }
  SearchQuery query;
  query.resource_type = std::string(resource_type);
  const bool system = resource_type.empty();
  // The last occurrence of a result parameter wins; only it goes into `used`.
  std::vector<std::pair<std::string, std::string>> used_results;

  std::size_t search_params = 0;
  std::size_t result_params = 0;
  for (const auto& param_value : params) {
    const bool over = is_result_param(param_value.first) ? ++result_params > kMaxResultParams
                                                         : ++search_params > limits.max_params;
    if (over) return too_many_params(limits);
  }
  // The scope first: every other parameter is looked up in it. Repeated _type lists add up.
  if (!system) query.types.emplace_back(resource_type);
  for (const auto& param_value : params) {
    if (param_value.first != "_type" || param_value.second.empty()) continue;
    if (!system) {
      return invalid("_type is a system-level search parameter (GET [base]?_type=" +
                     param_value.second + "), not one of " + std::string(resource_type));
    }
    HEARTH_ASSIGN_OR_RETURN(auto types, parse_types(param_value.second, limits.max_values));
    for (std::string& type : types) {
      if (std::find(query.types.begin(), query.types.end(), type) == query.types.end()) {
        query.types.push_back(std::move(type));
      }
    }
  }

  for (const auto& param_value : params) {
    // Named references, not a structured binding: clang 14 cannot capture those in a lambda.
    const std::string& name = param_value.first;
    const std::string& value = param_value.second;
    if (value.empty()) continue;  // search.html: a parameter without a value is ignored
    if (name == "_format" || name == "_pretty") continue;  // the HTTP layer's
    Result<bool> result_param = parse_result_param(name, value, limits, query);
    if (!result_param) return result_param.status();
    if (*result_param) {
      if (name != "_count" && name != "_offset" && name != "_cursor") {
        std::erase_if(used_results, [&](const auto& entry) { return entry.first == name; });
        used_results.emplace_back(name, value);
      }
      continue;
    }

    if (name == "_type") {
      query.used.emplace_back(name, value);
      continue;
    }
    std::size_t colon = name.find(':');
    std::string_view code = std::string_view(name).substr(0, colon);
    if (detail::is_include(code)) {
      HEARTH_ASSIGN_OR_RETURN(auto include, parse_include_in(query, name, value));
      query.includes.push_back(std::move(include));
      query.used.emplace_back(name, value);
      continue;
    }
    if (is_unsupported(code)) {
      return invalid("search parameter '" + name + "' is not supported");
    }
    // A chain or _has: its links, then the parameter at its end on the type it leads to. An
    // unknown first parameter is an unknown name like any other.
    std::vector<ChainLink> chain;
    std::string chained_type;  // owns what target_type views for a chain
    std::string_view target_type = resource_type;
    std::string_view terminal = name;
    if (system && (detail::is_chained(name) || code == "_has")) {
      return invalid("'" + name +
                     "': chains and _has are not supported in a system-level search (search "
                     "one type: GET [base]/[type]?...)");
    }
    if (detail::is_chained(name)) {
      const std::string_view first = std::string_view(name).substr(0, name.find_first_of(".:"));
      if (first != "_has" && find_search_param(resource_type, first) == nullptr) {
        if (strict) {
          return invalid("unknown search parameter '" + name + "' for " +
                         std::string(resource_type));
        }
        query.ignored.push_back(name);
        continue;
      }
      Result<detail::ChainedName> chained = detail::parse_chain(resource_type, name);
      if (!chained) return chained.status();
      chain = std::move(chained->links);
      terminal = chained->last;
      chained_type = std::move(chained->type);
      target_type = chained_type;
      code = terminal.substr(0, terminal.find(':'));
      colon = terminal.find(':');
    } else if (code == "_has") {
      return invalid("malformed '" + name +
                     "': expected _has:[type]:[reference parameter]:[parameter]");
    }
    std::string_view modifier_text =
        colon == std::string::npos ? std::string_view() : terminal.substr(colon + 1);
    const SearchParamDef* param = nullptr;
    if (!chain.empty()) {
      param = find_search_param(target_type, code);
    } else {
      HEARTH_ASSIGN_OR_RETURN(param, scope_param(query, code));
    }
    if (param == nullptr) {
      if (!chain.empty()) {
        return invalid("unknown search parameter '" + std::string(code) + "' for " +
                       std::string(target_type) + " in '" + name + "'");
      }
      if (strict) {
        return invalid("unknown search parameter '" + name + "' for " + scope_text(query));
      }
      query.ignored.push_back(name);
      continue;
    }
    if (!has_values(*param)) {
      return invalid("search parameter '" + name + "' (" + std::string(type_name(param->type)) +
                     ") is not supported");
    }
    Result<ParsedModifier> modifier = parse_modifier(*param, name, modifier_text);
    if (!modifier) return modifier.status();
    if (!chain.empty() &&
        (modifier->modifier == Modifier::kMissing || modifier->modifier == Modifier::kNot ||
         modifier->modifier == Modifier::kNotIn)) {
      return invalid("modifier ':" + std::string(modifier_text) +
                     "' is not supported in a chain ('" + name + "')");
    }

    SearchClause clause;
    clause.chain = std::move(chain);
    clause.param = param;
    clause.code = param->code;
    clause.modifier = modifier->modifier;
    clause.target_type = modifier->target_type;
    std::vector<std::string> parts = detail::split_unescaped(value, ',', limits.max_values);
    if (parts.size() > limits.max_values) {
      return invalid("too many values for search parameter '" + name + "': at most " +
                     std::to_string(limits.max_values) +
                     " comma-separated values per parameter (--search-max-values)");
    }
    for (const std::string& part : parts) {
      if (part.empty()) continue;
      Result<SearchValue> parsed =
          detail::parse_value(*param, clause.modifier, clause.target_type, part, base_url);
      if (!parsed) return parsed.status();
      clause.values.push_back(std::move(*parsed));
    }
    if (clause.values.empty()) continue;  // only empty alternatives ("family=,")
    if (param->type == SearchParamType::kToken &&
        (clause.modifier == Modifier::kIn || clause.modifier == Modifier::kNotIn ||
         clause.modifier == Modifier::kBelow || clause.modifier == Modifier::kAbove)) {
      HEARTH_RETURN_IF_ERROR(detail::expand_terminology_clause(clause, limits.terminology));
    }
    query.clauses.push_back(std::move(clause));
    query.used.emplace_back(name, value);
  }

  if (!query.view.elements.empty() && query.view.summary != SummaryMode::kFalse) {
    return invalid("_elements cannot be combined with _summary=true, text or data");
  }
  query.used.insert(query.used.end(), used_results.begin(), used_results.end());
  std::stable_sort(query.used.begin(), query.used.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return query;
}

}  // namespace hearth::fhir::search
