// coded_token_params: each type's token parameters, their pruned expressions compiled to path
// walks over the type, the walks' last steps' types read from the model, once per process.
#include "fhir/search/coded_token.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/fhirpath/path_walk.h"
#include "fhir/model.h"
#include "fhir/search/expression_branches.h"
#include "fhir/search/index_values.h"
#include "fhir/search/searchable.h"

namespace hearth::fhir::search {
namespace {

using Step = fhirpath::PathWalk::Step;
using StepKind = fhirpath::PathWalk::StepKind;

bool is_coding_type(std::string_view name) {
  const TypeDef* type = find_type(name);
  return derives_from(type, "Coding") || derives_from(type, "CodeableConcept");
}

// Do the items of a branch ending at `last` have a coding type, as the model says?
bool ends_at_codings(const Step& last) {
  switch (last.kind) {
    case StepKind::kAs:
    case StepKind::kAsFunction: return last.type.ns != "System" && is_coding_type(last.type.name);
    case StepKind::kChild: {
      // The walk's compiler fills owner and child where the model gives the step one element.
      if (last.owner == nullptr || last.child < 0) return false;
      const ElementDef& e = last.owner->elements[static_cast<std::uint32_t>(last.child)];
      return !e.types.empty() && std::all_of(e.types.begin(), e.types.end(), [](const TypeRef& t) {
        return is_coding_type(t.code);
      });
    }
    case StepKind::kRootType:
    case StepKind::kResolveIs:
    case StepKind::kExtension: return false;  // an Extension is not a coding
  }
  return false;
}

bool has_coded_values(const TypeDef* type, const SearchParamDef& param) {
  const std::string pruned = detail::branches_for(type, param.expression);
  if (pruned.empty()) return false;
  Result<fhirpath::Expression> expression = fhirpath::compile(pruned);
  if (!expression.is_ok()) return false;
  const std::optional<fhirpath::PathWalk> walk = fhirpath::compile_path_walk(*expression, type);
  if (!walk || walk->branches().empty()) return false;
  return std::all_of(walk->branches().begin(), walk->branches().end(),
                     [](const std::vector<Step>& steps) {
                       return !steps.empty() && ends_at_codings(steps.back());
                     });
}

using CodedByType = std::unordered_map<std::string_view, std::vector<std::string_view>>;

CodedByType build() {
  CodedByType out;
  for (std::string_view type_name : resource_types()) {
    const TypeDef* type = find_type(type_name);
    std::vector<std::string_view>& codes = out[type_name];
    for (const SearchParamDef* param : searchable_params(type_name)) {
      if (param->type == SearchParamType::kToken && is_indexed(*param) &&
          has_coded_values(type, *param)) {
        codes.push_back(param->code);
      }
    }
    std::sort(codes.begin(), codes.end());
  }
  return out;
}

}  // namespace

std::span<const std::string_view> coded_token_params(std::string_view resource_type) {
  static const CodedByType coded = build();
  const auto it = coded.find(resource_type);
  if (it == coded.end()) return {};
  return it->second;
}

bool is_coded_token(std::string_view resource_type, std::string_view code) {
  const std::span<const std::string_view> codes = coded_token_params(resource_type);
  return std::binary_search(codes.begin(), codes.end(), code);
}

}  // namespace hearth::fhir::search
