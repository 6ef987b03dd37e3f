// Filtering and projection (http://hl7.org/fhirpath/N1/#filtering-and-projection): where,
// select, repeat, ofType.
#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/operators.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

// repeat() fails beyond this many items (each new item is checked against all found so far), so
// an endless series of computed values cannot run for long.
constexpr std::size_t kMaxRepeatItems = 10000;

Status fn_where(Call& c) {
  for (std::size_t i = 0; i < c.input.size(); ++i) {
    Collection r;
    HEARTH_RETURN_IF_ERROR(c.eval_arg(0, c.input[i], static_cast<std::int64_t>(i), r));
    auto b = singleton_boolean(r, c.ev, c.node);
    if (!b.is_ok()) return std::move(b).take_status();
    if (*b == true) c.out.push_back(c.input[i]);
  }
  return Status::ok();
}

Status fn_select(Call& c) {
  for (std::size_t i = 0; i < c.input.size(); ++i) {
    HEARTH_RETURN_IF_ERROR(c.eval_arg(0, c.input[i], static_cast<std::int64_t>(i), c.out));
  }
  return Status::ok();
}

Status fn_repeat(Call& c) {
  Collection frontier = c.input;
  while (!frontier.empty()) {
    Collection next;
    for (std::size_t i = 0; i < frontier.size(); ++i) {
      Collection r;
      HEARTH_RETURN_IF_ERROR(c.eval_arg(0, frontier[i], static_cast<std::int64_t>(i), r));
      for (Item& item : r) {
        bool seen = false;
        for (const Item& o : c.out) seen = seen || items_equal(o, item) == true;
        if (seen) continue;
        c.out.push_back(item);
        next.push_back(std::move(item));
        if (c.out.size() > kMaxRepeatItems) return c.error("repeat() produced too many items");
      }
    }
    frontier = std::move(next);
  }
  return Status::ok();
}

Status fn_of_type(Call& c) {
  for (const Item& i : c.input) {
    if (is_type(i, c.node.type, true)) c.out.push_back(i);
  }
  return Status::ok();
}

constexpr FunctionDef kFunctions[] = {
    {"where", 1, 1, ArgMode::kLambda, fn_where},
    {"select", 1, 1, ArgMode::kLambda, fn_select},
    {"repeat", 1, 1, ArgMode::kLambda, fn_repeat},
    {"ofType", 1, 1, ArgMode::kType, fn_of_type},
};

}  // namespace

std::span<const FunctionDef> filtering_functions() {
  return kFunctions;
}

}  // namespace hearth::fhir::fhirpath::detail
