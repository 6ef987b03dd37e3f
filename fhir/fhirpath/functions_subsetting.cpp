// Subsetting (http://hl7.org/fhirpath/N1/#subsetting): single, first, last, tail, skip, take,
// intersect, exclude; and combining (union, combine).
#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/operators.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

Status fn_single(Call& c) {
  if (c.input.size() > 1) return c.error("single() on a collection of several items");
  c.out.insert(c.out.end(), c.input.begin(), c.input.end());
  return Status::ok();
}
Status fn_first(Call& c) {
  if (!c.input.empty()) c.out.push_back(c.input.front());
  return Status::ok();
}
Status fn_last(Call& c) {
  if (!c.input.empty()) c.out.push_back(c.input.back());
  return Status::ok();
}
Status fn_tail(Call& c) {
  if (c.input.size() > 1) c.out.insert(c.out.end(), c.input.begin() + 1, c.input.end());
  return Status::ok();
}

Status skip_take(Call& c, bool skip) {
  auto n = arg_integer(c, 0);
  if (!n.is_ok()) return std::move(n).take_status();
  if (!n->has_value()) return Status::ok();
  std::int64_t k = **n;
  auto size = static_cast<std::int64_t>(c.input.size());
  k = std::max<std::int64_t>(0, std::min(k, size));
  if (skip) {
    c.out.insert(c.out.end(), c.input.begin() + k, c.input.end());
  } else {
    c.out.insert(c.out.end(), c.input.begin(), c.input.begin() + k);
  }
  return Status::ok();
}
Status fn_skip(Call& c) {
  return skip_take(c, true);
}
Status fn_take(Call& c) {
  return skip_take(c, false);
}

bool contains(const Collection& c, const Item& item) {
  for (const Item& o : c) {
    if (items_equal(o, item) == true) return true;
  }
  return false;
}

Status fn_intersect(Call& c) {
  for (const Item& i : c.input) {
    if (contains(c.args[0], i)) add_distinct(c.out, i);
  }
  return Status::ok();
}
Status fn_exclude(Call& c) {
  for (const Item& i : c.input) {
    if (!contains(c.args[0], i)) c.out.push_back(i);
  }
  return Status::ok();
}

Status fn_union(Call& c) {
  for (const Item& i : c.input) add_distinct(c.out, i);
  for (const Item& i : c.args[0]) add_distinct(c.out, i);
  return Status::ok();
}
Status fn_combine(Call& c) {
  c.out.insert(c.out.end(), c.input.begin(), c.input.end());
  c.out.insert(c.out.end(), c.args[0].begin(), c.args[0].end());
  return Status::ok();
}

constexpr FunctionDef kSubsetting[] = {
    {"single", 0, 0, ArgMode::kValues, fn_single, true},
    {"first", 0, 0, ArgMode::kValues, fn_first, true},
    {"last", 0, 0, ArgMode::kValues, fn_last, true},
    {"tail", 0, 0, ArgMode::kValues, fn_tail, true},
    {"skip", 1, 1, ArgMode::kValues, fn_skip, true},
    {"take", 1, 1, ArgMode::kValues, fn_take, true},
    {"intersect", 1, 1, ArgMode::kValues, fn_intersect},
    {"exclude", 1, 1, ArgMode::kValues, fn_exclude},
};
constexpr FunctionDef kCombining[] = {
    {"union", 1, 1, ArgMode::kValues, fn_union},
    {"combine", 1, 1, ArgMode::kValues, fn_combine},
};

}  // namespace

std::span<const FunctionDef> subsetting_functions() {
  return kSubsetting;
}
std::span<const FunctionDef> combining_functions() {
  return kCombining;
}

}  // namespace hearth::fhir::fhirpath::detail
