// Internal to storage/sql: what the search compiler's statements are written with. A Builder
// collects the values a statement binds and hands out their placeholders; the helpers join
// conditions and select a parameter's ids (search_param) within the Builder's tenant. Pure
// text: no database here.
#pragma once

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/store_url.h"

namespace hearth::storage::detail {

// A value bound to placeholder ":b<index+1>".
struct SqlValue {
  enum class Kind { kText, kInteger, kReal } kind = Kind::kText;
  std::string text;
  long long integer = 0;
  double real = 0;
};

// The placeholder name of value `index` ("b1" for 0).
std::string placeholder_name(std::size_t index);

// Texts are bound, each distinct one once (the type and parameter names of every clause share
// a placeholder). Numbers (dates' bounds, quantities) are bound too on SQLite, each distinct one
// once, so that one shape searched with other values is one prepared statement: written as
// literals, every new date was a new text to prepare (a quarter of a token+date search's
// instructions, and the session's statement cache filled with one-off texts). Past
// kBoundNumbersBelow values they are literals (they cannot carry SQL), which keeps the largest
// legal query (SearchLimits: 100 x 100 values, each at most two texts) within SQLite's 32,766
// bound values. PostgreSQL keeps literals: it plans a statement with its values (a custom plan)
// and, bound, may settle after five runs on a generic plan that guesses every range's
// selectivity.
// The tenant (docs/tenancy.md) is the Builder's from its construction: every condition on a
// resource row or a parameter id takes it from tenant(), so no selection can leave it out.
class Builder {
 public:
  Builder(std::string_view tenant, Dialect dialect = Dialect::kSqlite)
      : dialect(dialect), tenant_(tenant) {}
  // The placeholder of the tenant (bound once, like every text).
  std::string tenant() { return text(tenant_); }
  std::string text(std::string value) {
    auto [it, added] = index_.try_emplace(value, values.size());
    if (added) {
      SqlValue& v = values.emplace_back();
      v.kind = SqlValue::Kind::kText;
      v.text = std::move(value);
    }
    return ":" + placeholder_name(it->second);
  }
  std::string integer(long long value) {
    if (!bind_numbers()) return std::to_string(value);
    SqlValue v;
    v.kind = SqlValue::Kind::kInteger;
    v.integer = value;
    return number(v, static_cast<std::uint64_t>(value));
  }
  std::string real(double value) {
    if (!bind_numbers()) return real_literal(value);
    SqlValue v;
    v.kind = SqlValue::Kind::kReal;
    v.real = value;
    return number(v, std::bit_cast<std::uint64_t>(value));
  }
  // The shortest text that reads back as `value` ("0.5", "1e+300"); always finite, since
  // parse_decimal refuses what does not fit a double.
  static std::string real_literal(double value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string("0");
  }
  std::vector<SqlValue> values;
  const Dialect dialect;

 private:
  static constexpr std::size_t kBoundNumbersBelow = 10'000;
  bool bind_numbers() const {
    return dialect == Dialect::kSqlite && values.size() < kBoundNumbersBelow;
  }
  // The placeholder of the number `v` (its kind and bits the key), bound once.
  std::string number(const SqlValue& v, std::uint64_t bits) {
    auto [it, added] = numbers_.try_emplace({v.kind == SqlValue::Kind::kReal, bits}, values.size());
    if (added) values.push_back(v);
    return ":" + placeholder_name(it->second);
  }

  const std::string tenant_;
  std::unordered_map<std::string, std::size_t> index_;
  std::map<std::pair<bool, std::uint64_t>, std::size_t> numbers_;
};

// `terms` joined by `op` (" OR ", " AND ") as a balanced tree of parenthesised pairs: a list of
// n terms nests log2(n) deep, where a flat "a OR b OR c ..." nests n deep and runs into
// SQLite's expression depth limit (1,000) on long OR lists. "(1 = 1)" for no terms.
std::string balanced(const std::vector<std::string>& terms, std::string_view op);

// `parts` joined by `sep`.
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// The condition on i.pid that selects the rows of parameter `code` of `type`: its id in
// search_param, looked up by the engine once per statement (the compiler stays free of the
// database), and its parts' ids for an umbrella parameter, whose rows they hold too
// (fhir/search/param_parts.h).
std::string pid_condition(Builder& b, const std::string& type, std::string_view code);
// The same over the types a search covers (SearchQuery::types): one type as above; several,
// each type's own ids; none (a system search of every type), the code's ids in any type.
std::string pid_condition(Builder& b, const std::vector<std::string>& types, std::string_view code);

}  // namespace hearth::storage::detail
