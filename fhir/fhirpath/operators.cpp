// The operators; see operators.h. Operands are turned into System values (types.h) first, so a
// FHIR `code` compares as a String and a FHIR Quantity as a System Quantity.
#include "fhir/fhirpath/operators.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "fhir/fhirpath/types.h"
#include "fhir/fhirpath/values.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

bool is_number(const Item& v) {
  return v.kind == ItemKind::kInteger || v.kind == ItemKind::kDecimal;
}
bool is_temporal(const Item& v) {
  return v.kind == ItemKind::kDate || v.kind == ItemKind::kDateTime || v.kind == ItemKind::kTime;
}
bool is_complex_node(const Item& v) {
  return v.is_node() && v.type != nullptr && v.type->kind != TypeKind::kPrimitive &&
         !system_value(v).has_value();
}

// Lower-cased with runs of whitespace collapsed to one space and trimmed (string equivalence).
std::string folded(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Status type_mismatch(Evaluator& ev, const Node& node, const Item& a, const Item& b) {
  return ev.error(node, "operator cannot combine " + std::string(item_type_name(a)) + " and " +
                            std::string(item_type_name(b)));
}

// A number or quantity as a Quantity (numbers get the unity unit "1").
std::optional<Quantity> as_quantity(const Item& v) {
  if (v.kind == ItemKind::kQuantity) return item_quantity(v);
  auto d = item_decimal(v);
  if (!d) return std::nullopt;
  return Quantity{*d, "1"};
}

Result<std::optional<Item>> quantity_arithmetic(Evaluator& ev, const Node& node, const Item& a,
                                                const Item& b) {
  using R = std::optional<Item>;
  auto qa = as_quantity(a), qb = as_quantity(b);
  if (!qa || !qb) return type_mismatch(ev, node, a, b);
  std::optional<Quantity> r;
  switch (node.op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      // A quantity and a plain number do not add up.
      if (is_number(a) || is_number(b)) return type_mismatch(ev, node, a, b);
      r = node.op == BinaryOp::kAdd ? add(*qa, *qb) : subtract(*qa, *qb);
      break;
    case BinaryOp::kMul: r = multiply(*qa, *qb); break;
    case BinaryOp::kDiv: r = divide(*qa, *qb); break;
    default: return type_mismatch(ev, node, a, b);
  }
  if (!r) return R();
  return R(make_quantity(*r));
}

Result<std::optional<Item>> arithmetic(Evaluator& ev, const Node& node, const Item& a,
                                       const Item& b) {
  using R = std::optional<Item>;
  BinaryOp op = node.op;
  if (op == BinaryOp::kAdd && a.kind == ItemKind::kString && b.kind == ItemKind::kString) {
    if (a.text.size() + b.text.size() > kMaxStringBytes) return ev.error(node, "string too long");
    return R(make_string(a.text + b.text));
  }
  if (is_temporal(a) && b.kind == ItemKind::kQuantity &&
      (op == BinaryOp::kAdd || op == BinaryOp::kSub)) {
    auto q = item_quantity(b);
    if (!q) return R();
    auto r = temporal_add(a, *q, op == BinaryOp::kSub);
    if (!r) {
      return ev.error(node, "cannot add '" + b.unit + "' to a " + std::string(item_type_name(a)));
    }
    return R(std::move(*r));
  }
  if (a.kind == ItemKind::kQuantity || b.kind == ItemKind::kQuantity) {
    return quantity_arithmetic(ev, node, a, b);
  }
  if (!is_number(a) || !is_number(b)) return type_mismatch(ev, node, a, b);
  if (a.kind == ItemKind::kInteger && b.kind == ItemKind::kInteger && op != BinaryOp::kDiv) {
    std::int64_t x = a.integer, y = b.integer, r = 0;
    switch (op) {
      case BinaryOp::kAdd:
        if (__builtin_add_overflow(x, y, &r)) return R();
        return R(make_integer(r));
      case BinaryOp::kSub:
        if (__builtin_sub_overflow(x, y, &r)) return R();
        return R(make_integer(r));
      case BinaryOp::kMul:
        if (__builtin_mul_overflow(x, y, &r)) return R();
        return R(make_integer(r));
      case BinaryOp::kIntDiv:
        if (y == 0 || (x == INT64_MIN && y == -1)) return R();
        return R(make_integer(x / y));
      case BinaryOp::kMod:
        if (y == 0 || (x == INT64_MIN && y == -1)) return R();
        return R(make_integer(x % y));
      default: break;
    }
  }
  auto x = item_decimal(a), y = item_decimal(b);
  if (!x || !y) return R();
  std::optional<Decimal> r;
  switch (op) {
    case BinaryOp::kAdd: r = x->add(*y); break;
    case BinaryOp::kSub: r = x->subtract(*y); break;
    case BinaryOp::kMul: r = x->multiply(*y); break;
    case BinaryOp::kDiv: r = x->divide(*y); break;
    case BinaryOp::kMod: r = x->modulo(*y); break;
    case BinaryOp::kIntDiv: {
      auto q = x->int_divide(*y);
      if (!q) return R();
      auto i = q->to_int64();
      if (!i) return R();
      return R(make_integer(*i));
    }
    default: return type_mismatch(ev, node, a, b);
  }
  if (!r) return R();
  return R(make_decimal(*r));
}

Status eval_logic(Evaluator& ev, const Node& node, const Collection& l, const Collection& r,
                  Collection& out) {
  auto lb = singleton_boolean(l, ev, node);
  if (!lb.is_ok()) return std::move(lb).take_status();
  auto rb = singleton_boolean(r, ev, node);
  if (!rb.is_ok()) return std::move(rb).take_status();
  std::optional<bool> a = *lb, b = *rb, res;
  switch (node.op) {
    case BinaryOp::kAnd:
      if (a == false || b == false) {
        res = false;
      } else if (a && b) {
        res = true;
      }
      break;
    case BinaryOp::kOr:
      if (a == true || b == true) {
        res = true;
      } else if (a && b) {
        res = false;
      }
      break;
    case BinaryOp::kXor:
      if (a && b) res = *a != *b;
      break;
    case BinaryOp::kImplies:
      if (a == false || b == true) {
        res = true;
      } else if (a == true) {
        res = b;
      }
      break;
    default: break;
  }
  if (res) out.push_back(make_boolean(*res));
  return Status::ok();
}

bool json_equal(const JsonValue& a, const JsonValue& b) {
  if (a.GetType() != b.GetType()) return false;
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (const auto& m : a.GetObject()) {
      auto it = b.FindMember(m.name);
      if (it == b.MemberEnd() || !json_equal(m.value, it->value)) return false;
    }
    return true;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!json_equal(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

std::optional<Item> negate(const Item& value) {
  if (value.kind == ItemKind::kInteger) {
    if (value.integer == INT64_MIN) return std::nullopt;
    return make_integer(-value.integer);
  }
  if (value.kind == ItemKind::kDecimal || value.kind == ItemKind::kQuantity) {
    auto d = Decimal::parse(value.text);
    if (!d) return std::nullopt;
    Item r = value;
    r.text = d->negate().to_string();
    return r;
  }
  return std::nullopt;
}

std::optional<bool> items_equal(const Item& a, const Item& b) {
  // Fast path without conversions (distinct, union and repeat compare many pairs).
  if (!a.is_node() && !b.is_node() && a.kind == b.kind) {
    switch (a.kind) {
      case ItemKind::kInteger: return a.integer == b.integer;
      case ItemKind::kBoolean: return a.boolean == b.boolean;
      case ItemKind::kString: return a.text == b.text;
      default: break;
    }
  }
  if (is_complex_node(a) || is_complex_node(b)) {
    if (!is_complex_node(a) || !is_complex_node(b) || a.json == nullptr || b.json == nullptr) {
      return false;
    }
    return json_equal(*a.json, *b.json);
  }
  auto va = system_value(a);
  auto vb = system_value(b);
  if (!va || !vb) return std::nullopt;
  if (is_number(*va) && is_number(*vb)) {
    auto x = item_decimal(*va), y = item_decimal(*vb);
    return x && y && x->compare(*y) == 0;
  }
  if (is_temporal(*va) && is_temporal(*vb)) return temporal_equals(*va, *vb);
  if (va->kind != vb->kind) return false;
  switch (va->kind) {
    case ItemKind::kBoolean: return va->boolean == vb->boolean;
    case ItemKind::kString: return va->text == vb->text;
    case ItemKind::kQuantity: {
      auto x = item_quantity(*va), y = item_quantity(*vb);
      if (!x || !y) return std::nullopt;
      return equals(*x, *y);
    }
    default: return false;
  }
}

bool items_equivalent(const Item& a, const Item& b) {
  if (is_complex_node(a) || is_complex_node(b)) return items_equal(a, b).value_or(false);
  auto va = system_value(a);
  auto vb = system_value(b);
  if (!va || !vb) return !va && !vb;
  if (is_number(*va) && is_number(*vb)) {
    auto x = item_decimal(*va), y = item_decimal(*vb);
    return x && y && x->equivalent(*y);
  }
  if (is_temporal(*va) && is_temporal(*vb)) return temporal_equivalent(*va, *vb);
  if (va->kind != vb->kind) return false;
  switch (va->kind) {
    case ItemKind::kBoolean: return va->boolean == vb->boolean;
    case ItemKind::kString: return folded(va->text) == folded(vb->text);
    case ItemKind::kQuantity: {
      auto x = item_quantity(*va), y = item_quantity(*vb);
      return x && y && equivalent(*x, *y);
    }
    default: return false;
  }
}

Result<std::optional<int>> items_compare(const Item& a, const Item& b) {
  using R = std::optional<int>;
  auto va = system_value(a);
  auto vb = system_value(b);
  if (!va || !vb) return R();
  if (is_number(*va) && is_number(*vb)) {
    auto x = item_decimal(*va), y = item_decimal(*vb);
    if (!x || !y) return R();
    return R(x->compare(*y));
  }
  if (is_temporal(*va) && is_temporal(*vb) &&
      (va->kind == ItemKind::kTime) == (vb->kind == ItemKind::kTime)) {
    return temporal_compare(*va, *vb);
  }
  if (va->kind == ItemKind::kString && vb->kind == ItemKind::kString) {
    int c = va->text.compare(vb->text);
    return R(c < 0 ? -1 : c > 0 ? 1 : 0);
  }
  if (va->kind == ItemKind::kQuantity && vb->kind == ItemKind::kQuantity) {
    auto x = item_quantity(*va), y = item_quantity(*vb);
    if (!x || !y) return R();
    return compare(*x, *y);
  }
  return Status(Code::kInvalidArgument, "cannot compare " + std::string(item_type_name(*va)) +
                                            " with " + std::string(item_type_name(*vb)));
}

std::optional<bool> collections_equal(const Collection& a, const Collection& b) {
  if (a.size() != b.size()) return false;
  bool unknown = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto e = items_equal(a[i], b[i]);
    if (!e) {
      unknown = true;
    } else if (!*e) {
      return false;
    }
  }
  if (unknown) return std::nullopt;
  return true;
}

bool collections_equivalent(const Collection& a, const Collection& b) {
  if (a.size() != b.size()) return false;
  std::vector<bool> used(b.size(), false);
  for (const Item& x : a) {
    bool found = false;
    for (std::size_t j = 0; j < b.size() && !found; ++j) {
      if (!used[j] && items_equivalent(x, b[j])) {
        used[j] = true;
        found = true;
      }
    }
    if (!found) return false;
  }
  return true;
}

void add_distinct(Collection& out, const Item& item) {
  for (const Item& o : out) {
    if (items_equal(o, item) == true) return;
  }
  out.push_back(item);
}

namespace {

// `and`, `or` and `implies` whose left operand alone decides them (false, true, false): the
// result, without the right operand, as the reference (Java) engine short-circuits; nullopt when
// the right operand is needed. Invariants such as ref-1 (`reference.startsWith('#').not() or
// ...`) then never walk the resource for the usual value.
std::optional<bool> decided_by_left(Evaluator& ev, const Node& node, const Collection& l) {
  if (node.op != BinaryOp::kAnd && node.op != BinaryOp::kOr && node.op != BinaryOp::kImplies) {
    return std::nullopt;
  }
  auto lb = singleton_boolean(l, ev, node);
  if (!lb.is_ok() || !lb->has_value()) return std::nullopt;
  const bool a = **lb;
  switch (node.op) {
    case BinaryOp::kAnd: return a ? std::nullopt : std::optional<bool>(false);
    case BinaryOp::kOr: return a ? std::optional<bool>(true) : std::nullopt;
    case BinaryOp::kImplies: return a ? std::nullopt : std::optional<bool>(true);
    default: return std::nullopt;
  }
}

}  // namespace

Status eval_binary(Evaluator& ev, const Node& node, const Scope& scope, Collection& out) {
  Collection l, r;
  HEARTH_RETURN_IF_ERROR(ev.eval(*node.base, scope, l));
  if (const std::optional<bool> decided = decided_by_left(ev, node, l)) {
    out.push_back(make_boolean(*decided));
    return Status::ok();
  }
  HEARTH_RETURN_IF_ERROR(ev.eval(*node.args[0], scope, r));
  switch (node.op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
    case BinaryOp::kXor:
    case BinaryOp::kImplies: return eval_logic(ev, node, l, r, out);
    case BinaryOp::kUnion:
      for (const Item& i : l) add_distinct(out, i);
      for (const Item& i : r) add_distinct(out, i);
      return Status::ok();
    case BinaryOp::kEq:
    case BinaryOp::kNe: {
      if (l.empty() || r.empty()) return Status::ok();
      auto e = collections_equal(l, r);
      if (e) out.push_back(make_boolean(node.op == BinaryOp::kEq ? *e : !*e));
      return Status::ok();
    }
    case BinaryOp::kEquiv:
    case BinaryOp::kNotEquiv: {
      bool e = collections_equivalent(l, r);
      out.push_back(make_boolean(node.op == BinaryOp::kEquiv ? e : !e));
      return Status::ok();
    }
    case BinaryOp::kIn:
    case BinaryOp::kContains: {
      const Collection& one = node.op == BinaryOp::kIn ? l : r;
      const Collection& many = node.op == BinaryOp::kIn ? r : l;
      if (one.empty()) return Status::ok();
      if (one.size() > 1) return ev.error(node, "membership test of several items");
      bool found = false;
      for (const Item& i : many) found = found || items_equal(one[0], i) == true;
      out.push_back(make_boolean(found));
      return Status::ok();
    }
    case BinaryOp::kConcat: {
      if (l.size() > 1 || r.size() > 1) return ev.error(node, "& needs single items");
      std::string s;
      for (const Collection* c : {&l, &r}) {
        if (c->empty()) continue;
        auto v = system_value((*c)[0]);
        if (!v || v->kind != ItemKind::kString) return ev.error(node, "& needs strings");
        s += v->text;
      }
      if (s.size() > kMaxStringBytes) return ev.error(node, "string too long");
      out.push_back(make_string(std::move(s)));
      return Status::ok();
    }
    default: break;
  }
  if (l.empty() || r.empty()) return Status::ok();
  if (l.size() > 1 || r.size() > 1) return ev.error(node, "operator needs single items");
  auto a = system_value(l[0]);
  auto b = system_value(r[0]);
  if (!a || !b) return Status::ok();
  switch (node.op) {
    case BinaryOp::kLt:
    case BinaryOp::kGt:
    case BinaryOp::kLe:
    case BinaryOp::kGe: {
      auto c = items_compare(*a, *b);
      if (!c.is_ok()) return ev.error(node, c.status().message());
      if (!c->has_value()) return Status::ok();
      int v = **c;
      bool res = node.op == BinaryOp::kLt   ? v < 0
                 : node.op == BinaryOp::kGt ? v > 0
                 : node.op == BinaryOp::kLe ? v <= 0
                                            : v >= 0;
      out.push_back(make_boolean(res));
      return Status::ok();
    }
    default: {
      auto res = arithmetic(ev, node, *a, *b);
      if (!res.is_ok()) return std::move(res).take_status();
      if (res->has_value()) out.push_back(std::move(**res));
      return Status::ok();
    }
  }
}

}  // namespace hearth::fhir::fhirpath::detail
