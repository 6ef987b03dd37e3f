// Every R4 SearchParameter with data in the official examples, searched on every backend
// (issue 13's acceptance test). The official examples (package/Type-id.json) are stored; for
// each (type, parameter) whose values occur in them, one value from the data becomes a query in
// that parameter's syntax, and the resources it must find are computed here, independently of
// the query compiler: the R4 matching rule of the parameter's type (search.html) applied to each
// example's extracted values (its FHIRPath evaluated by extract_index, before umbrella rows are
// dropped). The store's answer must be exactly that set. Counts are printed.
//
// Left out, with their reason (also printed): composite parameters (a value joins several
// components of one element: covered by store_search_special_test.cpp), the rows that are no
// value a client writes (identifier:of-type and canonical UCUM rows, reached through their own
// syntax), and values no search value can carry (an empty code, a token text without a code,
// an open date).
#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/search/date_range.h"
#include "fhir/search/index_values.h"
#include "fhir/search/param_parts.h"
#include "fhir/search/search_query.h"
#include "fhir/search/searchable.h"
#include "fhir/search/text_fold.h"
#include "fhir/search/ucum.h"
#include "storage/store.h"
#include "store_backends.h"
#include "tests/test_paths.h"

namespace hearth::storage {
namespace {

using fhir::search::IndexValues;
using testing::ManualClock;
using testing::open_or_die;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A search value's special characters escaped (search.html#escaping).
std::string escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ',' || c == '$' || c == '|') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

struct Example {
  std::string type, id;
  IndexValues values;  // all of them, umbrella rows included
};

// The value searched for one (type, parameter), and the rule that says which resources match.
struct Probe {
  std::string value;
  std::function<bool(const IndexValues&)> matches;
};

template <typename Rows, typename Pred>
bool any_row(const Rows& rows, std::string_view code, Pred pred) {
  for (const auto& r : rows) {
    if (r.param == code && pred(r)) return true;
  }
  return false;
}

bool server_row(std::string_view system) {
  return system.starts_with(fhir::search::kOfTypeMark) ||
         system == fhir::search::kUcumCanonicalSystem;
}

// The shortest plain decimal that reads back as `value` (no exponent: "0.00001").
std::string decimal(double value) {
  char buffer[400];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buffer, end) : std::string("0");
}

std::string year_of(std::int64_t micros) {
  const std::int64_t days = micros >= 0 ? micros / 86400000000LL : (micros + 1) / 86400000000LL - 1;
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d", static_cast<int>(ymd.year()));
  return buffer;
}

// The probe for the first usable value of `code` in `v`, or nullopt.
std::optional<Probe> probe_for(const fhir::SearchParamDef& param, const IndexValues& v) {
  const std::string code(param.code);
  switch (param.type) {
    case fhir::SearchParamType::kString:
      for (const auto& r : v.strings) {
        if (r.param != code || r.folded.empty()) continue;
        const std::string folded = r.folded;
        return Probe{escaped(r.exact), [code, folded](const IndexValues& x) {
                       return any_row(x.strings, code,
                                      [&](const auto& s) { return s.folded.starts_with(folded); });
                     }};
      }
      break;
    case fhir::SearchParamType::kToken:
      for (const auto& r : v.tokens) {
        if (r.param != code || r.code.empty() || server_row(r.system)) continue;
        const std::string system = r.system, value = r.code;
        return Probe{system.empty() ? escaped(value) : escaped(system) + "|" + escaped(value),
                     [code, system, value](const IndexValues& x) {
                       return any_row(x.tokens, code, [&](const auto& t) {
                         return t.code == value && (system.empty() || t.system == system);
                       });
                     }};
      }
      break;
    case fhir::SearchParamType::kDate:
      for (const auto& r : v.dates) {
        if (r.param != code || r.low == std::numeric_limits<std::int64_t>::min()) continue;
        const std::string year = year_of(r.low);
        if (year.size() != 4 || year == "0000") continue;
        const auto range = fhir::search::date_range(year);
        if (!range) continue;
        const std::int64_t low = range->low, high = range->high;
        return Probe{year, [code, low, high](const IndexValues& x) {
                       return any_row(x.dates, code, [&](const auto& d) {
                         return d.low >= low && d.high <= high;
                       });
                     }};
      }
      break;
    case fhir::SearchParamType::kNumber:
      for (const auto& r : v.numbers) {
        if (r.param != code) continue;
        const double value = r.value;
        return Probe{"ge" + decimal(value), [code, value](const IndexValues& x) {
                       return any_row(x.numbers, code,
                                      [&](const auto& n) { return n.value >= value; });
                     }};
      }
      break;
    case fhir::SearchParamType::kQuantity:
      for (const auto& r : v.quantities) {
        if (r.param != code || server_row(r.system)) continue;
        const double value = r.value;
        const std::string unit = r.code;
        return Probe{"ge" + decimal(value) + (unit.empty() ? "" : "||" + escaped(unit)),
                     [code, value, unit](const IndexValues& x) {
                       return any_row(x.quantities, code, [&](const auto& q) {
                         return !server_row(q.system) && q.value >= value &&
                                (unit.empty() || q.code == unit);
                       });
                     }};
      }
      break;
    case fhir::SearchParamType::kReference:
      for (const auto& r : v.references) {
        if (r.param != code || r.target_type.empty() || r.target_id.empty()) continue;
        const std::string type = r.target_type, id = r.target_id;
        return Probe{type + "/" + escaped(id), [code, type, id](const IndexValues& x) {
                       return any_row(x.references, code, [&](const auto& ref) {
                         return ref.target_type == type && ref.target_id == id;
                       });
                     }};
      }
      break;
    case fhir::SearchParamType::kUri:
      for (const auto& r : v.uris) {
        if (r.param != code || r.uri.empty()) continue;
        const std::string uri = r.uri;
        return Probe{escaped(uri), [code, uri](const IndexValues& x) {
                       return any_row(x.uris, code, [&](const auto& u) { return u.uri == uri; });
                     }};
      }
      break;
    default: break;
  }
  return std::nullopt;
}

std::vector<Example> load_examples() {
  std::vector<Example> out;
  for (const auto& entry : std::filesystem::directory_iterator(hearth::test::fhir_package_dir())) {
    const std::string name = entry.path().filename().string();
    const std::size_t dash = name.find('-');
    if (dash == std::string::npos || !name.ends_with(".json")) continue;
    const std::string type = name.substr(0, dash);
    if (!fhir::is_resource_type(type)) continue;
    auto doc = fhir::parse_json(read_file(entry.path()));
    if (!doc.is_ok() || !doc->IsObject()) continue;
    auto rt = doc->FindMember("resourceType");
    auto id = doc->FindMember("id");
    if (rt == doc->MemberEnd() || id == doc->MemberEnd() || !fhir::is_json_string(rt->value) ||
        fhir::json_string(rt->value) != type || !fhir::is_json_string(id->value)) {
      continue;
    }
    // Held umbrellas (Observation combo-code ...) too: their expected matches come from their
    // own rows, the store's answer from their parts'.
    auto values = fhir::search::extract_index(
        *doc, fhir::search::kDefaultMaxIndexRows, fhir::search::IndexGuards::kOn,
        fhir::search::IndexPaths::kWalk, fhir::search::HeldUmbrellas::kExtract);
    if (!values.is_ok()) continue;
    out.push_back(Example{type, std::string(fhir::json_string(id->value)), std::move(*values)});
  }
  std::sort(out.begin(), out.end(), [](const Example& a, const Example& b) {
    return std::tie(a.type, a.id) < std::tie(b.type, b.id);
  });
  // Two files with one type and id: the later one wins in the store, and here.
  std::vector<Example> unique;
  for (Example& e : out) {
    if (!unique.empty() && unique.back().type == e.type && unique.back().id == e.id) {
      unique.back() = std::move(e);
    } else {
      unique.push_back(std::move(e));
    }
  }
  return unique;
}

TEST_CASE("search: every SearchParameter with data in the official examples answers exactly") {
  const std::vector<Example> examples = load_examples();
  REQUIRE(examples.size() > 2000);
  std::map<std::string, std::vector<const Example*>> by_type;
  for (const Example& e : examples) by_type[e.type].push_back(&e);

  for (const auto& b : testing::backends()) {
    if (b.name == "sqlite-memory") continue;  // the file backend is the same engine
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    for (const Example& e : examples) {
      WriteRequest r;
      r.type = e.type;
      r.id = e.id;
      r.index = e.values;
      fhir::search::drop_rows_held_by_parts(e.type, r.index);
      const std::string body = R"({"resourceType":")" + e.type + R"(","id":")" + e.id + "\"}";
      r.make_body = [body](std::int64_t, std::int64_t) { return body; };
      auto done = store->update(r);
      REQUIRE_MESSAGE(done.is_ok(), e.type << "/" << e.id << ": " << done.status().message());
    }
    int searched = 0, exact = 0, composite = 0, no_value = 0;
    std::vector<std::string> wrong;
    for (const auto& [type, members] : by_type) {
      for (const fhir::SearchParamDef* param : fhir::search::searchable_params(type)) {
        if (!fhir::search::is_indexed(*param)) continue;
        const std::string code(param->code);
        if (param->type == fhir::SearchParamType::kComposite) {
          for (const Example* e : members) {
            if (any_row(e->values.composites, code, [](const auto&) { return true; })) {
              ++composite;
              break;
            }
          }
          continue;
        }
        std::optional<Probe> probe;
        bool has_rows = false;
        for (const Example* e : members) {
          const IndexValues& v = e->values;
          has_rows = has_rows || any_row(v.strings, code, [](auto&) { return true; }) ||
                     any_row(v.tokens, code, [](auto&) { return true; }) ||
                     any_row(v.dates, code, [](auto&) { return true; }) ||
                     any_row(v.numbers, code, [](auto&) { return true; }) ||
                     any_row(v.quantities, code, [](auto&) { return true; }) ||
                     any_row(v.references, code, [](auto&) { return true; }) ||
                     any_row(v.uris, code, [](auto&) { return true; });
          if ((probe = probe_for(*param, v))) break;
        }
        if (!probe) {
          if (has_rows) ++no_value;
          continue;
        }
        std::set<std::string> expected;
        for (const Example* e : members) {
          if (probe->matches(e->values)) expected.insert(e->id);
        }
        auto query = fhir::search::parse_search(
            type, {{code, probe->value}, {"_count", "1000"}, {"_total", "accurate"}},
            "http://h/fhir", true);
        ++searched;
        const std::string what = type + "?" + code + "=" + probe->value;
        if (!query.is_ok()) {
          wrong.push_back(what + ": " + query.status().message());
          continue;
        }
        auto page = store->search(*query);
        if (!page.is_ok()) {
          wrong.push_back(what + ": " + page.status().message());
          continue;
        }
        std::set<std::string> found;
        for (const auto& entry : page->entries) found.insert(entry.id);
        // More than a page: the total says it (the matches are counted, not listed).
        const bool right =
            expected.size() > 1000
                ? page->total && *page->total == static_cast<std::int64_t>(expected.size())
                : found == expected;
        if (right) {
          ++exact;
        } else {
          wrong.push_back(what + ": " + std::to_string(found.size()) + " found, " +
                          std::to_string(expected.size()) + " expected");
        }
      }
    }
    std::printf(
        "search over the official examples (%s): %zu resources stored; %d (type, parameter) "
        "searches, %d exact, %zu wrong; left out: %d composite (store_search_special_test), %d "
        "whose values no search value carries (empty codes, texts only, open dates, of-type or "
        "canonical rows only)\n",
        b.name.c_str(), examples.size(), searched, exact, wrong.size(), composite, no_value);
    for (std::size_t i = 0; i < wrong.size() && i < 40; ++i) {
      std::printf("  wrong: %s\n", wrong[i].c_str());
    }
    CHECK(searched > 1000);
    CHECK(wrong.empty());
  }
}

}  // namespace
}  // namespace hearth::storage
