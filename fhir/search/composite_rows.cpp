// composite_rows: each selected element's component values, converted by item_to_index and
// copied into CompositeIndex rows that carry the element's group number.
#include "fhir/search/composite_rows.h"

#include <algorithm>
#include <span>
#include <tuple>

#include "fhir/search/composite.h"
#include "fhir/search/item_to_index.h"

namespace hearth::fhir::search::detail {
namespace {

auto key(const CompositeIndex& r) {
  return std::tie(r.system, r.code, r.text, r.folded, r.exact, r.low, r.high, r.value,
                  r.target_type, r.target_id, r.url);
}

// The rows `values` (one component's conversion) hold, as composite rows of `param`.
void append_rows(std::string_view param, std::uint32_t component, IndexValues& values,
                 std::vector<CompositeIndex>& out) {
  auto row = [&] {
    CompositeIndex& r = out.emplace_back();
    r.param = param;
    r.component = component;
    return &r;
  };
  for (StringIndex& v : values.strings) {
    CompositeIndex* r = row();
    r->folded = std::move(v.folded);
    r->exact = std::move(v.exact);
  }
  for (TokenIndex& v : values.tokens) {
    CompositeIndex* r = row();
    r->system = std::move(v.system);
    r->code = std::move(v.code);
    r->text = std::move(v.text);
  }
  for (const DateIndex& v : values.dates) {
    CompositeIndex* r = row();
    r->low = v.low;
    r->high = v.high;
  }
  for (const NumberIndex& v : values.numbers) row()->value = v.value;
  for (QuantityIndex& v : values.quantities) {
    CompositeIndex* r = row();
    r->value = v.value;
    r->system = std::move(v.system);
    r->code = std::move(v.code);
  }
  for (ReferenceIndex& v : values.references) {
    CompositeIndex* r = row();
    r->target_type = std::move(v.target_type);
    r->target_id = std::move(v.target_id);
    r->url = std::move(v.url);
  }
}

}  // namespace

void composite_rows(const SearchParamDef& param, const std::vector<ComponentExpression>& components,
                    const fhirpath::Collection& items, const JsonValue& resource,
                    const fhirpath::EvalOptions& options, IndexPaths paths,
                    std::vector<CompositeIndex>& out) {
  const std::span<const SearchParamDef* const> parts = composite_components(param);
  if (parts.size() != components.size()) return;
  std::uint32_t group = 0;
  std::vector<CompositeIndex> rows;
  std::vector<fhirpath::Collection> selected(parts.size());
  for (const fhirpath::Item& item : items) {
    // Every component's values first: an element that lacks one (an Observation's code beside a
    // Quantity, for code-value-concept) gives no group, and its other components are not
    // converted. Selected last to first: in R4 the first component is the one every element has
    // (a code) and a later one the selective one (a value of one type), so an element of another
    // composite of the four code-value-* stops at its first walk.
    bool complete = true;
    for (std::size_t j = parts.size(); j-- > 0 && complete;) {
      const ComponentExpression& c = components[j];
      selected[j].clear();
      if (c.walk && paths == IndexPaths::kWalk) {
        complete = c.walk->walk(item, resource, options, selected[j]).is_ok();
      } else {
        Result<fhirpath::Collection> evaluated =
            fhirpath::evaluate(c.expression, item, resource, options);
        complete = evaluated.is_ok();
        if (complete) selected[j] = std::move(evaluated).value();
      }
      complete = complete && !selected[j].empty();
    }
    if (!complete) continue;
    rows.clear();
    for (std::size_t j = 0; j < parts.size() && complete; ++j) {
      IndexValues converted;
      for (const fhirpath::Item& value : selected[j]) item_to_index(*parts[j], value, converted);
      const std::size_t start = rows.size();
      append_rows(param.code, static_cast<std::uint32_t>(j), converted, rows);
      // Drop repeats within the component (a coding given twice), keeping the first.
      for (std::size_t k = start + 1; k < rows.size();) {
        const bool repeat =
            std::any_of(rows.begin() + static_cast<std::ptrdiff_t>(start),
                        rows.begin() + static_cast<std::ptrdiff_t>(k),
                        [&](const CompositeIndex& r) { return key(r) == key(rows[k]); });
        if (repeat) {
          rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(k));
        } else {
          ++k;
        }
      }
      complete = rows.size() > start;
    }
    if (!complete) continue;
    for (CompositeIndex& r : rows) {
      r.group = group;
      out.push_back(std::move(r));
    }
    ++group;
  }
}

}  // namespace hearth::fhir::search::detail
