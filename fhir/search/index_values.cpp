// extract_index: the SearchParameters of each resource type with their expressions compiled
// once per process, evaluated on the resource, each result item converted by item_to_index.
#include "fhir/search/index_values.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "fhir/fhirpath/absence_guards.h"
#include "fhir/fhirpath/fhirpath.h"
#include "fhir/fhirpath/path_walk.h"
#include "fhir/fhirpath/types.h"
#include "fhir/search/composite.h"
#include "fhir/search/composite_rows.h"
#include "fhir/search/expression_branches.h"
#include "fhir/search/index_row_key.h"
#include "fhir/search/item_to_index.h"
#include "fhir/search/param_parts.h"
#include "fhir/search/phonetic.h"

namespace hearth::fhir::search {
namespace {

struct CompiledParam {
  const SearchParamDef* param;
  std::shared_ptr<const fhirpath::Expression> expression;  // shared by all its base types
  // The expression as a plain path walk (fhirpath/path_walk.h), when it is one; a composite's
  // only when it has one branch (its groups number the items, which a union deduplicates).
  std::shared_ptr<const fhirpath::PathWalk> walk;
  // A composite's component expressions, in composite_components() order.
  std::shared_ptr<const std::vector<detail::ComponentExpression>> components;
  // Children of the resource (fhirpath::emptiness_guards): when it holds none of them, the
  // expression indexes nothing and is not evaluated. Empty: always evaluated.
  std::vector<std::string> guards;
  // An umbrella whose parts hold all its rows (param_parts.h, held_by_parts).
  bool held = false;
};

// The compiled component expressions of composite `param`; nullptr when one does not compile.
std::shared_ptr<const std::vector<detail::ComponentExpression>> compile_components(
    const SearchParamDef& param) {
  auto out = std::make_shared<std::vector<detail::ComponentExpression>>();
  for (std::size_t i = 0; i < param.components.size(); ++i) {
    auto expr = fhirpath::compile(composite_expression(param, i));
    if (!expr.is_ok()) return nullptr;
    std::optional<fhirpath::PathWalk> walk = fhirpath::compile_path_walk(*expr);
    out->push_back({.expression = std::move(*expr), .walk = std::move(walk)});
  }
  return out;
}

std::shared_ptr<const fhirpath::PathWalk> walk_of(const fhirpath::Expression& expression,
                                                  bool composite, std::string_view type) {
  std::optional<fhirpath::PathWalk> walk = fhirpath::compile_path_walk(expression, find_type(type));
  if (!walk || (composite && walk->branches().size() > 1)) return nullptr;
  return std::make_shared<const fhirpath::PathWalk>(std::move(*walk));
}

// Per resource type, the indexed parameters that apply (its own, then DomainResource's and
// Resource's; a code declared on the type hides the same code of a base). Expressions that do
// not compile are left out.
struct ParamTable {
  std::unordered_map<std::string_view, std::vector<CompiledParam>> by_type;
  // resolve() targets: one {"resourceType": T} per resource type (see reference_resolver).
  std::map<std::string_view, JsonDocument, std::less<>> stubs;
  fhirpath::EvalOptions options;
};

std::vector<CompiledParam> params_of(
    std::string_view resource_type,
    std::unordered_map<const SearchParamDef*, std::shared_ptr<const fhirpath::Expression>>&
        compiled) {
  std::vector<CompiledParam> out;
  std::vector<std::string_view> seen;
  for (const TypeDef* type = find_type(resource_type); type != nullptr;
       type = type->base.empty() ? nullptr : find_type(type->base)) {
    for (const SearchParamEntry& e : search_params_for(type->name)) {
      if (std::find(seen.begin(), seen.end(), e.code) != seen.end()) continue;
      seen.push_back(e.code);
      if (!is_indexed(*e.param)) continue;
      const bool held = held_by_parts(resource_type, e.code);
      std::shared_ptr<const std::vector<detail::ComponentExpression>> components;
      if (e.param->type == SearchParamType::kComposite) {
        components = compile_components(*e.param);
        if (!components) continue;
      }
      std::string pruned = detail::branches_for(find_type(resource_type), e.param->expression);
      if (pruned.empty()) continue;
      if (pruned.size() != e.param->expression.size()) {
        if (auto expr = fhirpath::compile(pruned); expr.is_ok()) {
          auto shared = std::make_shared<const fhirpath::Expression>(std::move(*expr));
          std::vector<std::string> guards = fhirpath::emptiness_guards(*shared, resource_type);
          auto walk = walk_of(*shared, components != nullptr, resource_type);
          out.push_back({.param = e.param,
                         .expression = std::move(shared),
                         .walk = std::move(walk),
                         .components = components,
                         .guards = std::move(guards),
                         .held = held});
          continue;
        }
      }
      auto it = compiled.find(e.param);
      if (it == compiled.end()) {
        auto expr = fhirpath::compile(e.param->expression);
        std::shared_ptr<const fhirpath::Expression> shared;
        if (expr.is_ok()) shared = std::make_shared<const fhirpath::Expression>(std::move(*expr));
        it = compiled.emplace(e.param, std::move(shared)).first;
      }
      if (it->second) {
        out.push_back({.param = e.param,
                       .expression = it->second,
                       .walk = walk_of(*it->second, components != nullptr, resource_type),
                       .components = components,
                       .guards = fhirpath::emptiness_guards(*it->second, resource_type),
                       .held = held});
      }
    }
  }
  return out;
}

// The resource type a literal reference names ("Patient/1", ".../Patient/1/_history/2").
std::string_view referenced_type(std::string_view reference) {
  ReferenceIndex r = detail::parse_reference({}, reference);
  auto types = resource_types();
  auto it = std::lower_bound(types.begin(), types.end(), r.target_type);
  return it != types.end() && *it == r.target_type ? *it : std::string_view();
}

const ParamTable& param_table() {
  static const ParamTable table = [] {
    ParamTable t;
    std::unordered_map<const SearchParamDef*, std::shared_ptr<const fhirpath::Expression>> compiled;
    for (std::string_view type : resource_types()) {
      t.by_type.emplace(type, params_of(type, compiled));
      JsonDocument stub;
      stub.SetObject();
      stub.AddMember("resourceType", make_json_string(type, stub.GetAllocator()),
                     stub.GetAllocator());
      t.stubs.emplace(type, std::move(stub));
    }
    return t;
  }();
  return table;
}

// Many R4 expressions filter references by their target's type (`subject.where(resolve() is
// Patient)`). The index must not load other resources, so resolve() yields an empty resource of
// the type the reference names; references without a type still resolve to nothing.
const fhirpath::EvalOptions& eval_options() {
  static const fhirpath::EvalOptions options = [] {
    fhirpath::EvalOptions o;
    o.resolver = [](std::string_view reference) -> const JsonValue* {
      const ParamTable& t = param_table();
      auto it = t.stubs.find(referenced_type(reference));
      return it == t.stubs.end() ? nullptr : &it->second;
    };
    return o;
  }();
  return options;
}

using detail::drop_duplicates;
using detail::row_key;

// Moves the string rows from `start` (a phonetic parameter's name parts) into `names`, as the
// sound-alike keys of each part (fhir/search/phonetic.h), each (key, part) once.
void to_phonetic_names(std::vector<StringIndex>& rows, std::size_t start,
                       std::vector<PhoneticName>& names) {
  for (std::size_t i = start; i < rows.size(); ++i) {
    for (std::string& key : phonetic_keys(rows[i].exact)) {
      const bool seen = std::any_of(names.begin(), names.end(), [&](const PhoneticName& n) {
        return n.key == key && n.folded == rows[i].folded;
      });
      if (!seen) names.push_back({.key = std::move(key), .folded = rows[i].folded});
    }
  }
  rows.resize(start);
}

Status too_many_rows(std::size_t max_rows, const SearchParamDef& param, std::string_view type) {
  return Status(Code::kUnprocessable,
                "the resource produces more than " + std::to_string(max_rows) +
                    " search index rows (--max-index-rows); '" + std::string(param.code) +
                    "' reached the limit",
                std::string(type), "too-costly");
}

// The keys of `resource`'s members, each without a leading '_' (read once per resource, not
// once per parameter).
std::vector<std::string_view> member_keys(const JsonValue& resource) {
  std::vector<std::string_view> keys;
  keys.reserve(resource.MemberCount());
  for (const auto& m : resource.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (!key.empty() && key[0] == '_') key.remove_prefix(1);
    keys.push_back(key);
  }
  return keys;
}

// Does the resource with member `keys` hold one of `children`: a key that is one of them, or
// extends one (a choice element's JSON name, "valueQuantity" for "value")? Extending is looser
// than the model's names, so this may say yes where navigation finds nothing, never the reverse.
bool holds_any(const std::vector<std::string_view>& keys,
               const std::vector<std::string>& children) {
  for (std::string_view key : keys) {
    for (const std::string& child : children) {
      // The first byte first: most keys differ there, and this runs ~150 times a resource.
      if (child.empty() || (key.size() >= child.size() && key[0] == child[0] &&
                            std::memcmp(key.data(), child.data(), child.size()) == 0)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::string of_type_system(std::string_view type_system, std::string_view type_code) {
  std::string out(kOfTypeMark);
  out += type_system;
  out += '|';
  out += type_code;
  return out;
}

bool is_phonetic(const SearchParamDef& param) {
  return param.xpath_usage == "phonetic";
}

void add_meta_source(IndexValues& values, std::string_view source) {
  if (source.empty()) return;
  // The row names the parameter by the code in the model's table, as extraction's rows do.
  static const std::string_view kSourceParam = find_search_param("Resource", "_source")->code;
  values.uris.push_back(UriIndex{kSourceParam, std::string(source)});
  add_words(values.text.content, source);
}

bool is_indexed(const SearchParamDef& param) {
  if (param.type == SearchParamType::kComposite && composite_components(param).empty()) {
    return false;
  }
  if (is_phonetic(param) && !has_phonetic_source(param)) return false;
  return param.type != SearchParamType::kSpecial && !param.expression.empty() &&
         param.code != "_id" && param.code != "_lastUpdated";
}

Result<IndexValues> extract_index(const JsonValue& resource, std::size_t max_rows,
                                  IndexGuards guards, IndexPaths paths, HeldUmbrellas held) {
  std::string_view type;
  if (resource.IsObject()) {
    auto it = resource.FindMember("resourceType");
    if (it != resource.MemberEnd() && is_json_string(it->value)) type = json_string(it->value);
  }
  const ParamTable& table = param_table();
  auto params = table.by_type.find(type);
  if (params == table.by_type.end()) {
    return Status(Code::kInvalidArgument, type.empty()
                                              ? std::string("resource without a resourceType")
                                              : "unknown resourceType '" + std::string(type) + "'");
  }
  const fhirpath::EvalOptions& options = eval_options();
  IndexValues out;
  out.text = full_text(resource);
  const fhirpath::Item res = fhirpath::detail::resource_item(resource);
  const std::vector<std::string_view> keys = member_keys(resource);
  for (const CompiledParam& p : params->second) {
    if (p.held && held == HeldUmbrellas::kSkip) continue;
    if (guards == IndexGuards::kOn && !p.guards.empty() && !holds_any(keys, p.guards)) {
      continue;
    }
    Result<fhirpath::Collection> items = fhirpath::Collection();
    if (p.walk != nullptr && paths == IndexPaths::kWalk) {
      if (Status st = p.walk->walk_from(res, res, options, *items); !st.is_ok()) continue;
    } else {
      items = fhirpath::evaluate(*p.expression, resource, options);
    }
    if (!items.is_ok() || items->empty()) continue;
    if (p.components) {
      detail::composite_rows(*p.param, *p.components, *items, resource, options, paths,
                             out.composites);
      if (out.size() > max_rows) return too_many_rows(max_rows, *p.param, type);
      continue;
    }
    std::size_t starts[] = {out.strings.size(), out.tokens.size(),     out.dates.size(),
                            out.numbers.size(), out.quantities.size(), out.references.size(),
                            out.uris.size()};
    for (const fhirpath::Item& item : *items) {
      detail::item_to_index(*p.param, item, out);
    }
    if (is_phonetic(*p.param)) to_phonetic_names(out.strings, starts[0], out.phonetic_names);
    drop_duplicates(out.strings, starts[0]);
    drop_duplicates(out.tokens, starts[1]);
    drop_duplicates(out.dates, starts[2]);
    drop_duplicates(out.numbers, starts[3]);
    drop_duplicates(out.quantities, starts[4]);
    drop_duplicates(out.references, starts[5]);
    drop_duplicates(out.uris, starts[6]);
    if (out.size() > max_rows) return too_many_rows(max_rows, *p.param, type);
  }
  return out;
}

}  // namespace hearth::fhir::search
