#include "storage/sql/include_compiler.h"

#include <algorithm>
#include <utility>

namespace hearth::storage::detail {
namespace {

// "(s.res_type = :T AND s.res_id IN (...)) OR ..." over the (type, id) pairs of `from` whose
// type `keep` accepts; "" when none does. `type_col` and `id_col` name the columns.
template <typename Keep>
std::string keys_condition(Builder& b, const std::vector<std::pair<std::string, std::string>>& from,
                           const std::string& type_col, const std::string& id_col, Keep keep) {
  std::vector<std::string> per_type;
  std::vector<std::pair<std::string, std::string>> sorted = from;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j].first == sorted[i].first) ++j;
    if (keep(sorted[i].first)) {  // only what the SQL uses is bound
      std::vector<std::string> ids;
      for (std::size_t k = i; k < j; ++k) ids.push_back(b.text(sorted[k].second));
      per_type.push_back(type_col + " = " + b.text(sorted[i].first) + " AND " + id_col + " IN (" +
                         join(ids, ", ") + ")");
    }
    i = j;
  }
  return per_type.empty() ? std::string() : balanced(per_type, " OR ");
}

bool targets(const fhir::SearchParamDef* param, std::string_view type) {
  return param == nullptr || param->target.empty() ||
         std::find(param->target.begin(), param->target.end(), type) != param->target.end();
}

// _include: the resources that `from`'s rows of the directive's parameter point at.
std::string forward_include(Builder& b, const IncludeQuery& query,
                            const fhir::search::IncludeDirective& d) {
  const std::string keys = keys_condition(
      b, query.from, "s.res_type", "s.res_id",
      [&](const std::string& type) { return d.source_type.empty() || type == d.source_type; });
  if (keys.empty()) return "";
  std::string out =
      "SELECT t.rid FROM resource s JOIN idx_reference i ON i.rid = s.rid"
      " JOIN resource t ON t.tenant = s.tenant AND t.res_type = i.target_type"
      " AND t.res_id = i.target_id WHERE s.tenant = " +
      b.tenant() + " AND (" + keys + ")";
  if (d.param != nullptr) out += " AND " + pid_condition(b, d.source_type, d.param->code);
  if (!d.target_type.empty()) out += " AND i.target_type = " + b.text(d.target_type);
  return out;
}

// _revinclude: the resources whose rows of the directive's parameter point at one of `from`.
std::string reverse_include(Builder& b, const IncludeQuery& query,
                            const fhir::search::IncludeDirective& d) {
  const std::string keys =
      keys_condition(b, query.from, "i.target_type", "i.target_id", [&](const std::string& type) {
        return (d.target_type.empty() || type == d.target_type) && targets(d.param, type);
      });
  if (keys.empty()) return "";
  std::string out = "SELECT i.rid FROM idx_reference i WHERE (" + keys + ")";
  if (d.param != nullptr) {
    out += " AND " + pid_condition(b, d.source_type, d.param->code);
  } else if (!d.source_type.empty()) {
    out += " AND i.pid IN (SELECT p.id FROM search_param p WHERE p.tenant = " + b.tenant() +
           " AND p.res_type = " + b.text(d.source_type) + ")";
  } else {  // _revinclude=*: any parameter of the tenant
    out += " AND i.pid IN (SELECT p.id FROM search_param p WHERE p.tenant = " + b.tenant() + ")";
  }
  return out;
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
