// extract_index (fhir/search/index_values.h): hand-written resources with the rows they must
// give, and every official example of the package extracted without error (counts printed).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/search/composite.h"
#include "fhir/search/date_range.h"
#include "fhir/search/index_row_key.h"
#include "fhir/search/index_values.h"
#include "fhir/search/ucum.h"
#include "official_examples.h"

// Failed checks print the rows instead of {?}.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
  static doctest::String convert(const std::vector<std::string>& rows) {
    std::string out = "{";
    for (const std::string& r : rows) out += (out.size() > 1 ? ", \"" : "\"") + r + "\"";
    return (out + "}").c_str();
  }
};

namespace hearth::fhir::search {
namespace {

using V = std::vector<std::string>;

IndexValues extract(std::string_view json) {
  auto doc = parse_json(json);
  REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
  auto values = extract_index(*doc);
  REQUIRE_MESSAGE(values.is_ok(), values.status().message());
  return std::move(*values);
}

// Rows of one parameter as sorted "a|b|c" strings, so checks read like the data.
template <class Row, class F>
V rows(const std::vector<Row>& all, std::string_view param, F&& format) {
  V out;
  for (const Row& r : all) {
    if (r.param == param) out.push_back(format(r));
  }
  std::sort(out.begin(), out.end());
  return out;
}

V strings(const IndexValues& v, std::string_view param) {
  return rows(v.strings, param, [](const StringIndex& r) { return r.folded + "|" + r.exact; });
}
V tokens(const IndexValues& v, std::string_view param) {
  return rows(v.tokens, param,
              [](const TokenIndex& r) { return r.system + "|" + r.code + "|" + r.text; });
}
V references(const IndexValues& v, std::string_view param) {
  return rows(v.references, param, [](const ReferenceIndex& r) {
    return r.target_type + "|" + r.target_id + "|" + r.url;
  });
}
V quantities(const IndexValues& v, std::string_view param) {
  return rows(v.quantities, param, [](const QuantityIndex& r) {
    return std::to_string(r.value) + "|" + r.system + "|" + r.code;
  });
}
V uris(const IndexValues& v, std::string_view param) {
  return rows(v.uris, param, [](const UriIndex& r) { return r.uri; });
}
std::vector<DateIndex> dates(const IndexValues& v, std::string_view param) {
  std::vector<DateIndex> out;
  for (const DateIndex& d : v.dates) {
    if (d.param == param) out.push_back(d);
  }
  return out;
}
DateRange range(std::string_view text) {
  auto r = date_range(text);
  REQUIRE(r.has_value());
  return *r;
}

// First in the file, so that the threads also race for the first use (the compiled table).
TEST_CASE("extract_index from several threads at once gives the same rows") {
  auto doc = parse_json(R"({"resourceType": "Patient", "name": [{"family": "Chalmers"}],
    "managingOrganization": {"reference": "Organization/1"}})");
  REQUIRE(doc.is_ok());
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (std::size_t t = 0; t < good.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto v = extract_index(*doc);
        if (v.is_ok() && strings(*v, "family") == V{"chalmers|Chalmers"} &&
            references(*v, "organization") == V{"Organization|1|Organization/1"}) {
          ++good[t];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(good == std::vector<int>(4, 50));
}

TEST_CASE("extract_index: Patient names, identifiers, telecom, dates, references") {
  IndexValues v = extract(R"({
    "resourceType": "Patient", "id": "p1", "active": true, "gender": "female",
    "birthDate": "1974-12-25",
    "identifier": [{"system": "urn:oid:1.2.36.146.595.217.0.1", "value": "12345",
                    "type": {"text": "Medical Record"}},
                   {"value": "no-system"},
                   {"system": "urn:oid:1.2.36.146.595.217.0.1", "value": "12345",
                    "type": {"text": "Medical Record"}}],
    "name": [{"family": "Chälmers", "given": ["Peter", "James"], "prefix": ["Dr"]},
             {"text": "Jim"}],
    "telecom": [{"system": "phone", "value": "(03) 5555 6473"},
                {"system": "email", "value": "p@example.org"}],
    "address": [{"line": ["534 Erewhon St"], "city": "PleasantVille", "postalCode": "3999"}],
    "generalPractitioner": [{"reference": "Practitioner/1"},
                            {"reference": "https://ex.org/fhir/Organization/o2/_history/3"},
                            {"identifier": {"value": "only-identifier"}}]
  })");
  CHECK(strings(v, "family") == V{"chalmers|Ch\xc3\xa4"
                                  "lmers"});
  CHECK(strings(v, "given") == V{"james|James", "peter|Peter"});
  CHECK(strings(v, "name") == V{"chalmers|Ch\xc3\xa4"
                                "lmers",
                                "dr|Dr", "james|James", "jim|Jim", "peter|Peter"});
  CHECK(strings(v, "address-city") == V{"pleasantville|PleasantVille"});
  CHECK(strings(v, "address") ==
        V{"3999|3999", "534 erewhon st|534 Erewhon St", "pleasantville|PleasantVille"});
  // The repeated identifier is one row.
  CHECK(tokens(v, "identifier") ==
        V{"urn:oid:1.2.36.146.595.217.0.1|12345|medical record", "|no-system|"});
  CHECK(tokens(v, "gender") == V{"|female|"});
  CHECK(tokens(v, "active") == V{"|true|"});
  // R4 filters telecom by system in phone/email; telecom takes them all. The ContactPoint's
  // system is the token's (search.html#token: `phone|555`), its value the code.
  CHECK(tokens(v, "phone") == V{"phone|(03) 5555 6473|"});
  CHECK(tokens(v, "email") == V{"email|p@example.org|"});
  CHECK(tokens(v, "telecom") == V{"email|p@example.org|", "phone|(03) 5555 6473|"});
  auto birth = dates(v, "birthdate");
  REQUIRE(birth.size() == 1);
  CHECK(birth[0].low == range("1974-12-25").low);
  CHECK(birth[0].high == range("1974-12-25").high);
  CHECK(birth[0].high - birth[0].low == 86'400'000'000LL - 1);
  CHECK(references(v, "general-practitioner") ==
        V{"Organization|o2|https://ex.org/fhir/Organization/o2/_history/3",
          "Practitioner|1|Practitioner/1"});
  // _id and _lastUpdated come from the resource row.
  CHECK(tokens(v, "_id").empty());
  CHECK(dates(v, "_lastUpdated").empty());
}

TEST_CASE("extract_index: Observation codes, subject, effective, value-quantity") {
  const char* json = R"({
    "resourceType": "Observation", "id": "o1", "status": "final",
    "category": [{"coding": [
      {"system": "http://terminology.hl7.org/CodeSystem/observation-category",
       "code": "vital-signs", "display": "Vital Signs"}]}],
    "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Body Weight"},
                        {"system": "http://snomed.info/sct", "code": "27113001"}],
             "text": "Weight"},
    "subject": {"reference": "Patient/example"},
    "effectivePeriod": {"start": "2013-04-02T09:30:10+01:00"},
    "valueQuantity": {"value": 185.5, "unit": "lbs", "system": "http://unitsofmeasure.org",
                      "code": "[lb_av]"}
  })";
  IndexValues v = extract(json);
  CHECK(tokens(v, "code") ==
        V{"http://loinc.org|29463-7|body weight", "http://snomed.info/sct|27113001|", "||weight"});
  CHECK(tokens(v, "category") ==
        V{"http://terminology.hl7.org/CodeSystem/observation-category|vital-signs|vital signs"});
  CHECK(tokens(v, "status") == V{"|final|"});
  CHECK(references(v, "subject") == V{"Patient|example|Patient/example"});
  // `subject.where(resolve() is Patient)`: resolve() knows the type from the reference.
  CHECK(references(v, "patient") == V{"Patient|example|Patient/example"});
  CHECK(references(v, "device").empty());
  // The UCUM quantity gives its canonical row too (fhir/search/ucum.h): 185.5 lb in g.
  CHECK(quantities(v, "value-quantity") ==
        V{"185.500000|http://unitsofmeasure.org|[lb_av]",
          "84141.384635|" + std::string(kUcumCanonicalSystem) + "|g"});
  auto effective = dates(v, "date");
  REQUIRE(effective.size() == 1);
  CHECK(effective[0].low == range("2013-04-02T09:30:10+01:00").low);
  CHECK(effective[0].high == std::numeric_limits<std::int64_t>::max());

  IndexValues w = extract(R"({"resourceType": "Observation", "status": "final",
    "code": {"text": "x"}, "effectiveDateTime": "2020-03",
    "valueQuantity": {"value": 3, "unit": "mmHg"}, "subject": {"reference": "Group/g1"}})");
  auto month = dates(w, "date");
  REQUIRE(month.size() == 1);
  CHECK(month[0].low == range("2020-03-01").low);
  CHECK(month[0].high == range("2020-03-31").high);
  CHECK(quantities(w, "value-quantity") == V{"3.000000||mmHg"});
  CHECK(references(w, "patient").empty());
  CHECK(references(w, "subject") == V{"Group|g1|Group/g1"});
  CHECK(tokens(w, "code") == V{"||x"});  // a text alone is a row
}

TEST_CASE("extract_index: a CodeableConcept's text a coding shows as its display is one row") {
  IndexValues v = extract(R"({"resourceType": "Observation", "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6",
                         "display": "Systolic blood pressure"}],
             "text": "SYSTOLIC Blood Pressure"}})");
  // Folded alike: `:text` finds the coding's row, so a text-only row would add nothing.
  CHECK(tokens(v, "code") == V{"http://loinc.org|8480-6|systolic blood pressure"});
}

TEST_CASE("extract_index: Resource-level meta params") {
  IndexValues v = extract(R"({"resourceType": "Basic", "id": "b1",
    "meta": {"lastUpdated": "2020-01-01T00:00:00Z",
             "tag": [{"system": "http://ex.org/tags", "code": "t1", "display": "Tag One"}],
             "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
                           "code": "R"}],
             "profile": ["http://ex.org/StructureDefinition/p"],
             "source": "http://ex.org/source#a"},
    "code": {"coding": [{"code": "c"}]}})");
  CHECK(tokens(v, "_tag") == V{"http://ex.org/tags|t1|tag one"});
  CHECK(tokens(v, "_security") == V{"http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R|"});
  CHECK(uris(v, "_profile") == V{"http://ex.org/StructureDefinition/p"});
  CHECK(uris(v, "_source") == V{"http://ex.org/source#a"});
  CHECK(tokens(v, "code") == V{"|c|"});
}

TEST_CASE("extract_index: Money, uri and contained / urn references") {
  IndexValues invoice = extract(R"({"resourceType": "Invoice", "status": "issued",
    "totalNet": {"value": 40.22, "currency": "EUR"},
    "totalGross": {"value": 48},
    "subject": {"reference": "#p1"}, "recipient": {"reference": "urn:uuid:1234"}})");
  CHECK(quantities(invoice, "totalnet") == V{"40.220000|urn:iso:std:iso:4217|EUR"});
  CHECK(quantities(invoice, "totalgross") == V{"48.000000||"});
  CHECK(references(invoice, "subject") == V{"||#p1"});
  CHECK(references(invoice, "recipient") == V{"||urn:uuid:1234"});

  IndexValues vs = extract(R"({"resourceType": "ValueSet", "status": "active",
    "url": "http://ex.org/ValueSet/v", "version": "1.0", "name": "V",
    "compose": {"include": [{"system": "http://loinc.org"}]}})");
  CHECK(uris(vs, "url") == V{"http://ex.org/ValueSet/v"});
  CHECK(tokens(vs, "version") == V{"|1.0|"});
  CHECK(strings(vs, "name") == V{"v|V"});
  CHECK(uris(vs, "reference") == V{"http://loinc.org"});
}

TEST_CASE("extract_index: extensions, resources in a Bundle, dates in strings and Timing") {
  IndexValues obs = extract(R"({"resourceType": "Observation", "status": "final",
    "code": {"text": "gene"},
    "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/observation-geneticsGene",
                   "valueCodeableConcept": {"coding": [{"system": "http://www.genenames.org",
                                                        "code": "HGNC:1100"}]}}]})");
  CHECK(tokens(obs, "gene-identifier") == V{"http://www.genenames.org|HGNC:1100|"});

  IndexValues bundle = extract(R"({"resourceType": "Bundle", "type": "document",
    "entry": [{"resource": {"resourceType": "Composition", "id": "c1"}},
              {"resource": {"resourceType": "MessageHeader", "id": "m1"}}]})");
  CHECK(references(bundle, "composition") == V{"Composition|c1|Composition/c1"});
  CHECK(references(bundle, "message").empty());  // only entry[0] counts

  IndexValues plan = extract(R"({"resourceType": "CarePlan", "status": "active",
    "intent": "plan", "subject": {"reference": "Patient/p"},
    "activity": [{"detail": {"status": "scheduled", "scheduledString": "2011-06-27"}},
                 {"detail": {"status": "scheduled", "scheduledString": "daily"}},
                 {"detail": {"status": "scheduled", "scheduledTiming":
                   {"event": ["2012-01-01"], "repeat": {"boundsPeriod":
                     {"start": "2012-02-01", "end": "2012-02-10"}}}}}]})");
  auto activity = dates(plan, "activity-date");
  std::vector<std::pair<std::int64_t, std::int64_t>> got;
  for (const DateIndex& d : activity) got.emplace_back(d.low, d.high);
  std::sort(got.begin(), got.end());
  std::vector<std::pair<std::int64_t, std::int64_t>> want = {
      {range("2011-06-27").low, range("2011-06-27").high},
      {range("2012-01-01").low, range("2012-01-01").high},
      {range("2012-02-01").low, range("2012-02-10").high}};
  CHECK(got == want);
}

TEST_CASE("extract_index: rejects resources without a known type") {
  auto doc = parse_json(R"({"resourceType": "Nope"})");
  REQUIRE(doc.is_ok());
  CHECK(extract_index(*doc).status().code() == Code::kInvalidArgument);
  auto none = parse_json(R"({"id": "x"})");
  REQUIRE(none.is_ok());
  CHECK(extract_index(*none).status().code() == Code::kInvalidArgument);
}

TEST_CASE("is_indexed leaves out _id, _lastUpdated, special, expressionless") {
  const SearchParamDef* id = find_search_param("Patient", "_id");
  const SearchParamDef* updated = find_search_param("Patient", "_lastUpdated");
  const SearchParamDef* family = find_search_param("Patient", "family");
  const SearchParamDef* near = find_search_param("Location", "near");
  const SearchParamDef* code_value = find_search_param("Observation", "code-value-quantity");
  REQUIRE((id && updated && family && near && code_value));
  CHECK_FALSE(is_indexed(*id));
  CHECK_FALSE(is_indexed(*updated));
  CHECK(is_indexed(*family));
  CHECK_FALSE(is_indexed(*near));
  CHECK(is_indexed(*code_value));
  // Every R4 composite resolves its components (none is of a type a composite cannot hold).
  int composites = 0;
  for (const SearchParamDef& p : search_params()) {
    if (p.type != SearchParamType::kComposite) continue;
    ++composites;
    CHECK_MESSAGE(is_indexed(p), p.id);
    CHECK(composite_components(p).size() == p.components.size());
  }
  CHECK(composites == 46);
}

TEST_CASE("extract_index: composite rows keep each element's values in one group") {
  auto doc = parse_json(R"({"resourceType":"Observation","status":"final",
    "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
    "component":[
      {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"},{"code":"sys"}]},
       "valueQuantity":{"value":120,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
      {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},
       "valueQuantity":{"value":80,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
      {"code":{"coding":[{"system":"http://loinc.org","code":"no-value"}]}}]})");
  REQUIRE(doc.is_ok());
  auto v = extract_index(*doc);
  REQUIRE(v.is_ok());
  std::vector<const CompositeIndex*> rows;
  for (const CompositeIndex& r : v->composites) {
    if (r.param == "component-code-value-quantity") rows.push_back(&r);
  }
  // Group 0: two codings and one quantity (as written and in canonical units); group 1: one
  // code, one quantity and its canonical row; the third element has no value, so no group.
  // code-value-quantity: the Observation has no value, so no rows.
  REQUIRE(rows.size() == 7);
  CHECK(rows[0]->group == 0);
  CHECK(rows[0]->component == 0);
  CHECK(rows[0]->code == "8480-6");
  CHECK(rows[1]->code == "sys");
  CHECK(rows[2]->component == 1);
  CHECK(rows[2]->value == 120);
  CHECK(rows[2]->code == "mm[Hg]");
  CHECK(rows[3]->component == 1);
  CHECK(rows[3]->system == kUcumCanonicalSystem);
  CHECK(rows[3]->code == "m-1.s-2.g");
  CHECK(rows[4]->group == 1);
  CHECK(rows[4]->code == "8462-4");
  CHECK(rows[5]->value == 80);
  CHECK(rows[6]->group == 1);
  CHECK(std::none_of(v->composites.begin(), v->composites.end(),
                     [](const CompositeIndex& r) { return r.param == "code-value-quantity"; }));
  // combo-: its parts (code-value-quantity, component-code-value-quantity) hold all its groups,
  // so it is not evaluated (param_parts.h, held_by_parts) unless asked for; then the Observation
  // (no value) gives nothing, each component a group (its quantity as written and in canonical
  // units).
  const auto combo_rows = [](const IndexValues& values) {
    return std::count_if(
        values.composites.begin(), values.composites.end(), [](const CompositeIndex& r) {
          return r.param == "combo-code-value-quantity" && r.group == 1 && r.component == 1;
        });
  };
  CHECK(combo_rows(*v) == 0);
  auto all = extract_index(*doc, kDefaultMaxIndexRows, IndexGuards::kOn, IndexPaths::kWalk,
                           HeldUmbrellas::kExtract);
  REQUIRE(all.is_ok());
  CHECK(combo_rows(*all) == 2);
}

TEST_CASE("extract_index: a composite group needs every component to give rows") {
  // The code is there (an id only) but holds nothing a token row keeps: no group of
  // code-value-quantity, though the value gives its rows (and value-quantity has them).
  auto doc = parse_json(R"({"resourceType":"Observation","status":"final",
    "code":{"id":"c1"},
    "valueQuantity":{"value":5,"system":"http://unitsofmeasure.org","code":"mg"}})");
  REQUIRE(doc.is_ok());
  auto v = extract_index(*doc);
  REQUIRE(v.is_ok());
  CHECK(std::any_of(v->quantities.begin(), v->quantities.end(),
                    [](const QuantityIndex& q) { return q.param == "value-quantity"; }));
  CHECK(v->composites.empty());
  // With a code, the two composites over the Observation itself give one group each; those
  // whose value is of another type (concept, date, string) give none.
  auto coded = parse_json(R"({"resourceType":"Observation","status":"final",
    "code":{"coding":[{"system":"http://loinc.org","code":"2345-7"}]},
    "valueQuantity":{"value":5,"system":"http://unitsofmeasure.org","code":"mg"}})");
  REQUIRE(coded.is_ok());
  auto c = extract_index(*coded, kDefaultMaxIndexRows, IndexGuards::kOn, IndexPaths::kWalk,
                         HeldUmbrellas::kExtract);
  REQUIRE(c.is_ok());
  std::set<std::string> params;
  for (const CompositeIndex& r : c->composites) {
    params.insert(std::string(r.param));
    CHECK(r.group == 0);
  }
  CHECK(params == std::set<std::string>{"code-value-quantity", "combo-code-value-quantity"});
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Do `a` and `b` hold the same rows, in the same order (parameter and values)?
template <typename Row>
bool same_rows(const std::vector<Row>& a, const std::vector<Row>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Row& x, const Row& y) {
    return x.param == y.param && detail::row_key(x) == detail::row_key(y);
  });
}

bool same_composites(const std::vector<CompositeIndex>& a, const std::vector<CompositeIndex>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return std::tie(x.param, x.group, x.component, x.system, x.code, x.text, x.folded, x.exact,
                    x.low, x.high, x.value, x.target_type, x.target_id, x.url) ==
           std::tie(y.param, y.group, y.component, y.system, y.code, y.text, y.folded, y.exact,
                    y.low, y.high, y.value, y.target_type, y.target_id, y.url);
  });
}

// Every row, phonetic name and full-text word of `a` and `b` alike, in the same order?
bool same_values(const IndexValues& a, const IndexValues& b) {
  return same_rows(a.strings, b.strings) && same_rows(a.tokens, b.tokens) &&
         same_rows(a.dates, b.dates) && same_rows(a.numbers, b.numbers) &&
         same_rows(a.quantities, b.quantities) && same_rows(a.references, b.references) &&
         same_rows(a.uris, b.uris) && same_composites(a.composites, b.composites) &&
         std::equal(a.phonetic_names.begin(), a.phonetic_names.end(), b.phonetic_names.begin(),
                    b.phonetic_names.end(), [](const PhoneticName& x, const PhoneticName& y) {
                      return x.key == y.key && x.folded == y.folded;
                    });
}

TEST_CASE("extract_index succeeds on every official example") {
  int examples = 0, failed = 0, patients = 0, empty_patients = 0;
  std::size_t counts[7] = {};
  std::size_t composite_rows = 0;
  std::size_t most_rows = 0;  // of one example: what --max-index-rows must leave room for
  std::string most_rows_name;
  std::set<std::pair<std::string, std::string>> producing;  // (type, code)
  std::set<std::string> types;
  int same_guarded = 0, same_walked = 0;
  for (const std::filesystem::path& path : testing::official_example_files()) {
    std::string name = path.filename().string();
    std::size_t dash = name.find('-');
    if (dash == std::string::npos) continue;
    std::string type = name.substr(0, dash);
    if (!is_resource_type(type)) continue;
    auto doc = parse_json(read_file(path));
    if (!doc.is_ok()) continue;
    auto rt = doc->FindMember("resourceType");
    if (rt == doc->MemberEnd() || !is_json_string(rt->value) || json_string(rt->value) != type) {
      continue;
    }
    ++examples;
    types.insert(type);
    auto v = extract_index(*doc);
    if (!v.is_ok()) {
      ++failed;
      FAIL_CHECK(name << ": " << v.status().message());
      continue;
    }
    if (v->size() > most_rows) {
      most_rows = v->size();
      most_rows_name = name;
    }
    if (type == "Patient") {
      ++patients;
      if (v->size() == 0) ++empty_patients;
    }
    auto note = [&](const auto& all, int kind) {
      counts[kind] += all.size();
      for (const auto& r : all) producing.emplace(type, std::string(r.param));
    };
    note(v->strings, 0);
    note(v->tokens, 1);
    note(v->dates, 2);
    note(v->numbers, 3);
    note(v->quantities, 4);
    note(v->references, 5);
    note(v->uris, 6);
    composite_rows += v->composites.size();
    for (const auto& r : v->composites) producing.emplace(type, std::string(r.param));
    // Skipping the parameters a resource's missing children decide changes no row.
    auto unguarded = extract_index(*doc, kDefaultMaxIndexRows, IndexGuards::kOff);
    REQUIRE(unguarded.is_ok());
    const bool same =
        same_rows(v->strings, unguarded->strings) && same_rows(v->tokens, unguarded->tokens) &&
        same_rows(v->dates, unguarded->dates) && same_rows(v->numbers, unguarded->numbers) &&
        same_rows(v->quantities, unguarded->quantities) &&
        same_rows(v->references, unguarded->references) && same_rows(v->uris, unguarded->uris) &&
        v->composites.size() == unguarded->composites.size() &&
        v->phonetic_names.size() == unguarded->phonetic_names.size();
    if (same) {
      ++same_guarded;
    } else {
      FAIL_CHECK(name << ": guarded extraction differs from evaluating every parameter");
    }
    // Walking the plain-path expressions (fhirpath/path_walk.h) changes no row either.
    auto evaluated =
        extract_index(*doc, kDefaultMaxIndexRows, IndexGuards::kOn, IndexPaths::kEvaluate);
    REQUIRE(evaluated.is_ok());
    if (same_values(*v, *evaluated)) {
      ++same_walked;
    } else {
      FAIL_CHECK(name << ": walked extraction differs from evaluating every expression");
    }
  }
  std::set<std::string> producing_codes;
  for (const auto& [t, c] : producing) producing_codes.insert(c);
  int indexed = 0;
  for (const SearchParamDef& p : search_params()) indexed += is_indexed(p) ? 1 : 0;
  std::printf(
      "search extract: %d examples of %zu resource types (%d failed); rows: %zu string, %zu "
      "token, %zu date, %zu number, %zu quantity, %zu reference, %zu uri, %zu composite; %zu "
      "(type, param) "
      "pairs and %zu distinct codes produced rows; %d of %zu SearchParameters indexed; most rows "
      "of one example: %zu (%s), default --max-index-rows %zu\n",
      examples, types.size(), failed, counts[0], counts[1], counts[2], counts[3], counts[4],
      counts[5], counts[6], composite_rows, producing.size(), producing_codes.size(), indexed,
      search_params().size(), most_rows, most_rows_name.c_str(), kDefaultMaxIndexRows);
  std::printf("search extract: %d of %d examples give the same rows with and without guards\n",
              same_guarded, examples);
  CHECK(same_guarded == examples - failed);
  std::printf("search extract: %d of %d examples give the same rows walked and evaluated\n",
              same_walked, examples);
  CHECK(same_walked == examples - failed);
  // The default cap leaves every official example ten times its rows.
  CHECK(most_rows * 10 <= kDefaultMaxIndexRows);
  CHECK(failed == 0);
  CHECK(examples > testing::at_least(2000));
  CHECK(static_cast<int>(types.size()) >= testing::at_least(140));
  CHECK(patients > testing::at_least(5));
  CHECK(empty_patients == 0);
  for (std::size_t kind = 0; kind < 7; ++kind) CHECK(counts[kind] > 0);
  CHECK(composite_rows > 0);
  CHECK(static_cast<int>(producing.size()) > testing::at_least(1000));
  CHECK(indexed > 1000);
}

}  // namespace
}  // namespace hearth::fhir::search

namespace hearth::fhir::search {

TEST_CASE("extract_index: more rows than max_rows is a 422 naming the limit") {
  std::string patient = R"({"resourceType":"Patient","identifier":[)";
  for (int i = 0; i < 500; ++i) {
    patient += (i > 0 ? "," : "") + std::string(R"({"system":"urn:s","value":"v)") +
               std::to_string(i) + "\"}";
  }
  patient += R"(],"gender":"male"})";
  auto doc = parse_json(patient);
  REQUIRE(doc.is_ok());
  auto all = extract_index(*doc, static_cast<std::size_t>(-1));
  REQUIRE(all.is_ok());
  const std::size_t rows = all->size();
  CHECK(rows > 500);
  CHECK(extract_index(*doc, rows).is_ok());
  auto over = extract_index(*doc, rows - 1);
  REQUIRE_FALSE(over.is_ok());
  CHECK(over.status().code() == Code::kUnprocessable);
  CHECK(over.status().message().find("more than " + std::to_string(rows - 1) +
                                     " search index rows (--max-index-rows)") != std::string::npos);
  CHECK(over.status().issues()[0].type == "too-costly");
  // The default leaves room for the official examples (see the test over all of them).
  CHECK(extract_index(*doc).is_ok());
}

TEST_CASE("add_meta_source gives what extraction gives with meta.source set") {
  // Each official example indexed with meta.source set, and without it plus add_meta_source:
  // the same rows and the same words (an HL7 message's resources are indexed the second way).
  constexpr std::string_view kSource = "urn:hearth:hl7-message:4711";
  const auto with_source = [&](JsonDocument& doc, bool set) {
    auto meta = doc.FindMember("meta");
    if (meta != doc.MemberEnd() && meta->value.IsObject()) meta->value.RemoveMember("source");
    if (!set) return;
    if (meta == doc.MemberEnd()) {
      doc.AddMember("meta", JsonValue(rapidjson::kObjectType), doc.GetAllocator());
      meta = doc.FindMember("meta");
    }
    meta->value.AddMember("source", make_json_string(kSource, doc.GetAllocator()),
                          doc.GetAllocator());
  };
  const auto words = [](const std::string& text) {
    std::multiset<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.insert(w);
    return out;
  };
  const auto uris = [](const IndexValues& v) {
    std::multiset<std::pair<std::string, std::string>> out;
    for (const UriIndex& u : v.uris) out.emplace(std::string(u.param), u.uri);
    return out;
  };
  int compared = 0, same = 0, at_cap = 0;
  for (const std::filesystem::path& path : testing::official_example_files()) {
    auto set_doc = parse_json(read_file(path));
    auto late_doc = parse_json(read_file(path));
    if (!set_doc.is_ok() || !late_doc.is_ok() || !set_doc->IsObject()) continue;
    with_source(*set_doc, true);
    with_source(*late_doc, false);
    auto set = extract_index(*set_doc);
    auto late = extract_index(*late_doc);
    if (!set.is_ok() || !late.is_ok()) continue;
    add_meta_source(*late, kSource);
    // Text cut at kMaxTextBytes keeps the words met first: the source's come first in one, last
    // in the other.
    if (late->text.content.size() + kMaxWordBytes >= kMaxTextBytes) {
      ++at_cap;
      continue;
    }
    ++compared;
    const bool equal = set->size() == late->size() && uris(*set) == uris(*late) &&
                       words(set->text.content) == words(late->text.content) &&
                       set->text.narrative == late->text.narrative;
    if (equal) ++same;
    CHECK_MESSAGE(equal, path.filename().string());
  }
  std::printf("add_meta_source: %d of %d official examples index the same (%d at the text cap)\n",
              same, compared, at_cap);
  CHECK(compared > testing::at_least(5000));
}

}  // namespace hearth::fhir::search
