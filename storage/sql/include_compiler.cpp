#include "storage/sql/include_compiler.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "fhir/model.h"
#include "fhir/search/searchable.h"

namespace hearth::storage::detail {
namespace {

// "s.res_type = :T AND s.res_id IN (...)", one term per type of the (type, id) pairs of `from`;
// `also(type)` gives the condition a type's term adds ("" for none), or nullopt to leave the type
// out. `type_col` and `id_col` name the columns.
template <typename Also>
std::vector<std::string> keys_terms(Builder& b,
                                    const std::vector<std::pair<std::string, std::string>>& from,
                                    const std::string& type_col, const std::string& id_col,
                                    Also also) {
  std::vector<std::string> per_type;
  std::vector<std::pair<std::string, std::string>> sorted = from;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j].first == sorted[i].first) ++j;
    const std::optional<std::string> extra = also(sorted[i].first);
    if (extra.has_value()) {  // only what the SQL uses is bound
      std::vector<std::string> ids;
      for (std::size_t k = i; k < j; ++k) ids.push_back(b.text(sorted[k].second));
      per_type.push_back(type_col + " = " + b.text(sorted[i].first) + " AND " + id_col + " IN (" +
                         join(ids, ", ") + ")" + (extra->empty() ? "" : " AND " + *extra));
    }
    i = j;
  }
  return per_type;
}

bool targets(const fhir::SearchParamDef* param, std::string_view type) {
  return param == nullptr || param->target.empty() ||
         std::find(param->target.begin(), param->target.end(), type) != param->target.end();
}

// The ids of the reference parameters of `source_type` (of every type when "") that can point at
// `target_type`, as a condition on `i.pid`; "" when there is none. What `_revinclude=*` and
// `_revinclude=Type:*` read: listed (the CapabilityStatement's own list, revinclude_values), not
// "any parameter", so that idx_reference_find (pid, target_id) drives the selection, one seek
// per parameter and id.
std::string referring_pids(Builder& b, std::string_view source_type,
                           const std::string& target_type) {
  std::vector<std::string> per_type;
  std::string_view type;
  std::vector<std::string> codes;
  const auto close_type = [&] {
    if (!codes.empty()) {
      per_type.push_back("p.res_type = " + b.text(std::string(type)) + " AND p.code IN (" +
                         join(codes, ", ") + ")");
    }
    codes.clear();
  };
  // "Source:code", sorted by source then code, then "*".
  for (std::string_view value : fhir::search::revinclude_values(target_type)) {
    const std::size_t colon = value.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view source = value.substr(0, colon);
    if (!source_type.empty() && source != source_type) continue;
    if (source != type) close_type();
    type = source;
    codes.push_back(b.text(std::string(value.substr(colon + 1))));
  }
  close_type();
  if (per_type.empty()) return "";
  return "i.pid IN (SELECT p.id FROM search_param p WHERE p.tenant = " + b.tenant() + " AND (" +
         balanced(per_type, " OR ") + "))";
}

// _include: the resources that `from`'s rows of the directive's parameter point at.
std::string forward_include(Builder& b, const IncludeQuery& query,
                            const fhir::search::IncludeDirective& d) {
  const std::vector<std::string> keys =
      keys_terms(b, query.from, "s.res_type", "s.res_id",
                 [&](const std::string& type) -> std::optional<std::string> {
                   if (!d.source_type.empty() && type != d.source_type) return std::nullopt;
                   return "";
                 });
  if (keys.empty()) return "";
  std::string out =
      "SELECT t.rid FROM resource s JOIN idx_reference i ON i.rid = s.rid"
      " JOIN resource t ON t.tenant = s.tenant AND t.res_type = i.target_type"
      " AND t.res_id = i.target_id WHERE s.tenant = " +
      b.tenant() + " AND (" + balanced(keys, " OR ") + ")";
  if (d.param != nullptr) out += " AND " + pid_condition(b, d.source_type, d.param->code);
  if (!d.target_type.empty()) out += " AND i.target_type = " + b.text(d.target_type);
  return out;
}

// _revinclude: the resources whose rows of the directive's parameter point at one of `from`.
// One selection per target type, each with the parameter ids that can point at that type, joined
// by UNION: only (pid, target_id) indexes a target (schema 22 dropped the index by target alone,
// a third of what a reference row cost a write), and neither engine drives an index from a
// condition outside an OR's term, nor PostgreSQL from an IN (subquery) inside one (it filters
// every row instead; docs/search.md).
std::string reverse_include(Builder& b, const IncludeQuery& query,
                            const fhir::search::IncludeDirective& d) {
  const std::vector<std::string> keys = keys_terms(
      b, query.from, "i.target_type", "i.target_id",
      [&](const std::string& type) -> std::optional<std::string> {
        if ((!d.target_type.empty() && type != d.target_type) || !targets(d.param, type)) {
          return std::nullopt;
        }
        std::string pids = d.param != nullptr ? pid_condition(b, d.source_type, d.param->code)
                                              : referring_pids(b, d.source_type, type);
        if (pids.empty()) return std::nullopt;
        return pids;
      });
  std::vector<std::string> selects;
  selects.reserve(keys.size());
  for (const std::string& key : keys) {
    selects.push_back("SELECT i.rid FROM idx_reference i WHERE " + key);
  }
  return join(selects, " UNION ");
}

}  // namespace

IncludeSql compile_include(const IncludeQuery& query, std::string_view tenant) {
  Builder b(tenant);
  std::vector<std::string> selects;
  for (const fhir::search::IncludeDirective& d : query.directives) {
    std::string select = d.reverse ? reverse_include(b, query, d) : forward_include(b, query, d);
    if (!select.empty()) selects.push_back(std::move(select));
  }
  IncludeSql out;
  out.where = selects.empty()
                  ? std::string("1 = 0")
                  : "r.tenant = " + b.tenant() + " AND r.rid IN (" + join(selects, " UNION ") + ")";
  out.values = std::move(b.values);
  return out;
}

}  // namespace hearth::storage::detail
