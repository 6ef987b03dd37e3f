// Expanding :in, :not-in, :below and :above on tokens; see token_terminology.h.
#include "fhir/search/token_terminology.h"

#include <set>
#include <string>
#include <utility>

#include "fhir/terminology/code_system.h"
#include "fhir/terminology/expansion.h"

namespace hearth::fhir::search::detail {
namespace {

namespace term = fhir::terminology;

constexpr std::string_view kNoSystem = "urn:hearth:empty-value-set";

Status invalid(const SearchClause& clause, const std::string& why) {
  return Status(Code::kInvalidArgument,
                "search parameter '" + std::string(clause.code) + "': " + why);
}

// The alternatives a clause becomes. Each code is matched with its system, and also without
// one: a `code` element (Patient.gender) is indexed without a system, which its binding implies.
class Codes {
 public:
  Status add(const SearchClause& clause, std::string_view system, std::string_view code) {
    if (!codes_.emplace(system, code).second) return Status::ok();
    if (codes_.size() > kMaxTerminologyCodes) {
      return invalid(clause, "the modifier stands for more than " +
                                 std::to_string(kMaxTerminologyCodes) + " codes");
    }
    add_value(system, code);
    if (no_system_.emplace(code).second) add_value({}, code);
    return Status::ok();
  }
  bool empty() const { return values_.empty(); }
  std::vector<SearchValue> take() { return std::move(values_); }

 private:
  void add_value(std::string_view system, std::string_view code) {
    SearchValue v;
    v.raw = std::string(system) + "|" + std::string(code);
    v.has_system = true;  // with "" as the system: no system (search.html#token, "|code")
    v.system = system;
    v.code = code;
    values_.push_back(std::move(v));
  }

  std::set<std::pair<std::string, std::string>> codes_;
  std::set<std::string> no_system_;
  std::vector<SearchValue> values_;
};

Status add_value_set(const SearchClause& clause, const SearchValue& value, Codes& codes,
                     term::TerminologySource& source) {
  const term::Compose* vs = source.value_set(value.raw);
  if (vs == nullptr) return invalid(clause, "the value set of :in/:not-in is not held");
  Result<std::vector<term::ExpansionItem>> expansion = term::expand_all(*vs, source);
  if (!expansion.is_ok()) {
    return invalid(clause, "the value set " + std::string(vs->url) +
                               " cannot be expanded: " + expansion.status().message());
  }
  for (const term::ExpansionItem& item : expansion.value()) {
    HEARTH_RETURN_IF_ERROR(codes.add(clause, item.system, item.code));
  }
  return Status::ok();
}

Status add_hierarchy(const SearchClause& clause, const SearchValue& value, Codes& codes,
                     term::TerminologySource& source) {
  if (!value.has_system || value.system.empty() || value.code.empty()) {
    return invalid(clause, ":below and :above need [system]|[code]");
  }
  const term::CodeSystem* cs = source.code_system(value.system);
  if (cs == nullptr) return invalid(clause, "the code system of :below/:above is not held");
  const term::Concept* c = term::find_concept(*cs, value.code);
  if (c == nullptr) {
    return invalid(clause, "the code of :below/:above is not in " + std::string(cs->url));
  }
  HEARTH_RETURN_IF_ERROR(codes.add(clause, cs->url, term::code_of(*cs, *c)));
  if (clause.modifier == Modifier::kBelow) {
    for (const term::Concept& d : term::descendants_of(*cs, *c)) {
      HEARTH_RETURN_IF_ERROR(codes.add(clause, cs->url, term::code_of(*cs, d)));
    }
    return Status::ok();
  }
  for (const term::Concept* p = term::parent_of(*cs, *c); p != nullptr;
       p = term::parent_of(*cs, *p)) {
    HEARTH_RETURN_IF_ERROR(codes.add(clause, cs->url, term::code_of(*cs, *p)));
  }
  return Status::ok();
}

}  // namespace

Status expand_terminology_clause(SearchClause& clause, term::TerminologySource* source) {
  term::BuiltinTerminology builtin;
  term::TerminologySource& from = source != nullptr ? *source : builtin;
  Codes codes;
  bool value_sets = clause.modifier == Modifier::kIn || clause.modifier == Modifier::kNotIn;
  for (const SearchValue& value : clause.values) {
    HEARTH_RETURN_IF_ERROR(value_sets ? add_value_set(clause, value, codes, from)
                                      : add_hierarchy(clause, value, codes, from));
  }
  clause.values = codes.take();
  clause.modifier = clause.modifier == Modifier::kNotIn ? Modifier::kNot : Modifier::kNone;
  if (clause.values.empty()) {
    // An empty value set: `:in` matches nothing, `:not-in` everything. A system no data uses
    // says so to the store without a special case.
    SearchValue none;
    none.raw = std::string(kNoSystem) + "|x";
    none.has_system = true;
    none.system = kNoSystem;
    none.code = "x";
    clause.values.push_back(std::move(none));
  }
  return Status::ok();
}

}  // namespace hearth::fhir::search::detail
