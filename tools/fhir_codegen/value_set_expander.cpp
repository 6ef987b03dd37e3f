// ValueSet expansion at generation time; see value_set_expander.h.
#include "tools/fhir_codegen/value_set_expander.h"

#include <algorithm>
#include <map>
#include <set>

namespace hearth::codegen {
namespace {

using CodeSet = std::set<std::pair<std::string, std::string>>;

class Expander {
 public:
  explicit Expander(const Package& package) {
    for (const RawValueSet& vs : package.value_sets) value_sets_.emplace(vs.url, &vs);
    for (const RawCodeSystem& cs : package.code_systems) {
      if (cs.content == "complete") code_systems_.emplace(cs.url, &cs);
    }
  }

  ExpandedValueSet expand(const std::string& url) {
    ExpandedValueSet out;
    out.url = url;
    CodeSet codes;
    std::set<std::string> unknown;
    std::set<std::string> visiting;
    out.known = add_value_set(url, codes, unknown, visiting);
    if (!out.known) unknown.insert("*");
    out.codes.assign(codes.begin(), codes.end());
    out.unknown_systems.assign(unknown.begin(), unknown.end());
    return out;
  }

 private:
  // Adds the codes of value set `url`; false when the package does not have it.
  bool add_value_set(const std::string& url, CodeSet& codes, std::set<std::string>& unknown,
                     std::set<std::string>& visiting) {
    auto it = value_sets_.find(url);
    if (it == value_sets_.end()) return false;
    if (!visiting.insert(url).second) return true;  // a cycle adds nothing more
    for (const RawInclude& inc : it->second->include) add_include(inc, codes, unknown, visiting);
    for (const RawInclude& exc : it->second->exclude) {
      CodeSet excluded;
      std::set<std::string> ignored;
      add_include(exc, excluded, ignored, visiting);
      for (const auto& c : excluded) codes.erase(c);
    }
    visiting.erase(url);
    return true;
  }

  // One include: the intersection of its parts (system or concepts, and each value set).
  void add_include(const RawInclude& inc, CodeSet& codes, std::set<std::string>& unknown,
                   std::set<std::string>& visiting) {
    CodeSet part;
    bool has_system_part = !inc.system.empty();
    if (has_system_part) {
      auto cs = code_systems_.find(inc.system);
      if (inc.has_filter || (inc.concepts.empty() && cs == code_systems_.end())) {
        unknown.insert(inc.system);
        return;
      }
      if (!inc.concepts.empty()) {
        for (const std::string& c : inc.concepts) part.emplace(inc.system, c);
      } else {
        for (const std::string& c : cs->second->codes) part.emplace(inc.system, c);
      }
    }
    for (std::size_t i = 0; i < inc.value_sets.size(); ++i) {
      CodeSet other;
      if (!add_value_set(inc.value_sets[i], other, unknown, visiting)) {
        unknown.insert("*");  // an unknown value set: nothing can be decided
        return;
      }
      if (!has_system_part && i == 0) {
        part = std::move(other);
        continue;
      }
      CodeSet both;
      std::set_intersection(part.begin(), part.end(), other.begin(), other.end(),
                            std::inserter(both, both.end()));
      part = std::move(both);
    }
    codes.insert(part.begin(), part.end());
  }

  std::map<std::string, const RawValueSet*> value_sets_;
  std::map<std::string, const RawCodeSystem*> code_systems_;
};

}  // namespace

std::vector<ExpandedValueSet> expand_value_sets(const Package& package,
                                                const std::vector<std::string>& urls) {
  std::set<std::string> distinct;
  for (const std::string& url : urls) distinct.insert(url.substr(0, url.find('|')));
  Expander expander(package);
  std::vector<ExpandedValueSet> out;
  for (const std::string& url : distinct) out.push_back(expander.expand(url));
  return out;
}

}  // namespace hearth::codegen
