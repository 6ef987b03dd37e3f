// Search request parsing (fhir/search/search_query.h). Input: a query string, split on '&'
// and then on the first '=' (no percent-decoding), parsed for a few resource types with strict
// and lenient handling. Besides not crashing, a successful parse must keep the query's
// invariants, which the SQL compiler relies on.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fhir/search/composite.h"
#include "fhir/search/search_query.h"

namespace search = hearth::fhir::search;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, std::string>> params;
  while (!text.empty()) {
    std::string_view item = text.substr(0, text.find('&'));
    text.remove_prefix(std::min(text.size(), item.size() + 1));
    std::size_t eq = item.find('=');
    params.emplace_back(item.substr(0, eq),
                        eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1));
  }
  for (std::string_view type : {"Patient", "Observation", "CarePlan"}) {
    for (bool strict : {true, false}) {
      auto query = search::parse_search(type, params, "http://example.org/fhir", strict);
      if (!query) continue;
      if (query->count < 0 || query->count > search::kMaxCount || query->offset < 0) std::abort();
      for (const search::SearchClause& clause : query->clauses) {
        if (clause.param == nullptr || clause.values.empty()) std::abort();
        // A composite value has one part per component (the compiler pairs them up).
        if (clause.param->type == hearth::fhir::SearchParamType::kComposite &&
            clause.modifier != search::Modifier::kMissing) {
          for (const search::SearchValue& v : clause.values) {
            if (v.components.size() != search::composite_components(*clause.param).size()) {
              std::abort();
            }
          }
        }
      }
      for (const search::SortKey& key : query->sort) {
        if (key.param == nullptr) std::abort();
      }
    }
  }
  return 0;
}
