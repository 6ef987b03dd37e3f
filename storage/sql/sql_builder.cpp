#include "storage/sql/sql_builder.h"

#include <span>

#include "fhir/search/param_parts.h"

namespace hearth::storage::detail {
namespace {

std::string balanced(const std::vector<std::string>& terms, std::size_t begin, std::size_t end,
                     std::string_view op) {
  if (end - begin == 1) return "(" + terms[begin] + ")";
  const std::size_t mid = begin + (end - begin) / 2;
  return "(" + balanced(terms, begin, mid, op) + std::string(op) + balanced(terms, mid, end, op) +
         ")";
}

}  // namespace

std::string placeholder_name(std::size_t index) {
  return "b" + std::to_string(index + 1);
}

std::string balanced(const std::vector<std::string>& terms, std::string_view op) {
  return terms.empty() ? std::string("(1 = 1)") : balanced(terms, 0, terms.size(), op);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : std::string(sep)) + part;
  return out;
}

std::string pid_condition(Builder& b, const std::string& type, std::string_view code) {
  const std::span<const std::string_view> parts = fhir::search::param_parts(type, code);
  if (parts.empty()) {
    return "i.pid = (SELECT p.id FROM search_param p WHERE p.tenant = " + b.tenant() +
           " AND p.res_type = " + b.text(type) + " AND p.code = " + b.text(std::string(code)) + ")";
  }
  std::string codes = b.text(std::string(code));
  for (std::string_view part : parts) codes += ", " + b.text(std::string(part));
  return "i.pid IN (SELECT p.id FROM search_param p WHERE p.tenant = " + b.tenant() +
         " AND p.res_type = " + b.text(type) + " AND p.code IN (" + codes + "))";
}

std::string pid_condition(Builder& b, const std::vector<std::string>& types,
                          std::string_view code) {
  if (types.size() == 1) return pid_condition(b, types.front(), code);
  if (types.empty()) {
    return "i.pid IN (SELECT p.id FROM search_param p WHERE p.tenant = " + b.tenant() +
           " AND p.code = " + b.text(std::string(code)) + ")";
  }
  std::vector<std::string> per_type;
  for (const std::string& type : types) {
    std::string codes = b.text(std::string(code));
    for (std::string_view part : fhir::search::param_parts(type, code)) {
      codes += ", " + b.text(std::string(part));
    }
    per_type.push_back("p.res_type = " + b.text(type) + " AND p.code IN (" + codes + ")");
  }
  return "i.pid IN (SELECT p.id FROM search_param p WHERE p.tenant = " + b.tenant() + " AND " +
         balanced(per_type, " OR ") + ")";
}

}  // namespace hearth::storage::detail
