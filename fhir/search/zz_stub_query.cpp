// TEMPORARY stub until the parser lands (replaced by search_query.cpp).
#include "fhir/search/search_query.h"
namespace hearth::fhir::search {
Result<SearchQuery> parse_search(std::string_view resource_type,
                                 const std::vector<std::pair<std::string, std::string>>&,
                                 std::string_view, bool) {
  SearchQuery q;
  q.resource_type = resource_type;
  return q;
}
}  // namespace hearth::fhir::search
