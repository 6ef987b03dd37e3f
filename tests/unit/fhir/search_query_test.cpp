// Search request parsing (fhir/search/search_query.h): names, modifiers, values per type, the
// result parameters and the canonical `used` list, against the R4 search parameters.
#include "fhir/search/search_query.h"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/time_format.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_value_parse.h"

namespace hearth::fhir::search {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kBase = "http://example.org/fhir";

SearchQuery parse_ok(std::string_view type, const Params& params, bool strict = true) {
  Result<SearchQuery> query = parse_search(type, params, kBase, strict);
  INFO(query.status().message());
  REQUIRE(query.is_ok());
  return std::move(query).value();
}

// The error message of a failing parse (which must be kInvalidArgument).
std::string parse_error(std::string_view type, const Params& params, bool strict = true) {
  Result<SearchQuery> query = parse_search(type, params, kBase, strict);
  REQUIRE_FALSE(query.is_ok());
  CHECK(query.status().code() == Code::kInvalidArgument);
  return query.status().message();
}

const SearchValue& only_value(const SearchQuery& query) {
  REQUIRE(query.clauses.size() == 1);
  REQUIRE(query.clauses[0].values.size() == 1);
  return query.clauses[0].values[0];
}

std::int64_t at(const char* instant) {
  return *parse_instant_lower_bound(instant);
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("search query: repeated names AND, commas OR, escapes") {
  SearchQuery query = parse_ok("Patient", {{"family", "Smith,Jones"}, {"family", "a\\,b"}});
  REQUIRE(query.clauses.size() == 2);
  CHECK(query.clauses[0].code == "family");
  REQUIRE(query.clauses[0].param != nullptr);
  CHECK(query.clauses[0].param->type == SearchParamType::kString);
  REQUIRE(query.clauses[0].values.size() == 2);
  CHECK(query.clauses[0].values[0].raw == "Smith");
  CHECK(query.clauses[0].values[0].folded == "smith");
  CHECK(query.clauses[0].values[1].raw == "Jones");
  REQUIRE(query.clauses[1].values.size() == 1);
  CHECK(query.clauses[1].values[0].raw == "a,b");

  SearchValue escaped = only_value(parse_ok("Patient", {{"family", "x\\$y\\|z\\\\"}}));
  CHECK(escaped.raw == "x$y|z\\");
  // An escaped backslash before a comma leaves the comma a separator.
  SearchQuery split = parse_ok("Patient", {{"family", "a\\\\,b"}});
  REQUIRE(split.clauses[0].values.size() == 2);
  CHECK(split.clauses[0].values[0].raw == "a\\");
  CHECK(split.clauses[0].values[1].raw == "b");
}

TEST_CASE("search query: empty values are ignored") {
  SearchQuery query = parse_ok("Patient", {{"family", ""}, {"gender", ","}, {"_count", ""}});
  CHECK(query.clauses.empty());
  CHECK(query.used.empty());
  CHECK(query.count == kDefaultCount);
  SearchQuery partial = parse_ok("Patient", {{"family", "a,,b"}});
  CHECK(partial.clauses[0].values.size() == 2);
}

TEST_CASE("search query: string values fold; :exact and :contains") {
  SearchValue value = only_value(parse_ok("Patient", {{"name", "Ch\xc3\xa4lmers"}}));
  CHECK(value.raw == "Ch\xc3\xa4lmers");
  CHECK(value.folded == "chalmers");
  CHECK(parse_ok("Patient", {{"family:exact", "Smith"}}).clauses[0].modifier == Modifier::kExact);
  CHECK(parse_ok("Patient", {{"family:contains", "mit"}}).clauses[0].modifier ==
        Modifier::kContains);
  std::string error = parse_error("Patient", {{"family:not", "x"}});
  CHECK(contains(error, ":not"));
  CHECK(contains(error, "family"));
}

TEST_CASE("search query: token forms") {
  SearchValue code = only_value(parse_ok("Patient", {{"gender", "male"}}));
  CHECK_FALSE(code.has_system);
  CHECK(code.code == "male");

  SearchValue both = only_value(parse_ok("Patient", {{"identifier", "http://acme.org/mrn|12345"}}));
  CHECK(both.has_system);
  CHECK(both.system == "http://acme.org/mrn");
  CHECK(both.code == "12345");

  SearchValue no_system = only_value(parse_ok("Patient", {{"identifier", "|12345"}}));
  CHECK(no_system.has_system);
  CHECK(no_system.system.empty());
  CHECK(no_system.code == "12345");

  SearchValue any_code = only_value(parse_ok("Patient", {{"identifier", "http://acme.org/mrn|"}}));
  CHECK(any_code.has_system);
  CHECK(any_code.system == "http://acme.org/mrn");
  CHECK(any_code.code.empty());

  SearchValue escaped = only_value(parse_ok("Patient", {{"identifier", "a\\|b|c"}}));
  CHECK(escaped.system == "a|b");
  CHECK(escaped.code == "c");

  CHECK(contains(parse_error("Patient", {{"identifier", "a|b|c"}}), "identifier"));
  CHECK(contains(parse_error("Patient", {{"identifier", "|"}}), "identifier"));
}

TEST_CASE("search query: token :not and :text; other token modifiers are rejected") {
  // :in, :not-in, :above and :below are answered from the built-in terminology
  // (search_token_terminology_test.cpp).
  SearchQuery negated = parse_ok("Patient", {{"gender:not", "male"}});
  CHECK(negated.clauses[0].modifier == Modifier::kNot);
  CHECK(only_value(negated).code == "male");

  SearchQuery text = parse_ok("Observation", {{"code:text", "Blood Pr\xc3\xa9ssure"}});
  CHECK(text.clauses[0].modifier == Modifier::kText);
  CHECK(only_value(text).folded == "blood pressure");

  for (const char* name : {"code:of-type", "code:identifier", "code:exact"}) {
    std::string error = parse_error("Observation", {{name, "x"}});
    CHECK_MESSAGE(contains(error, name), error);
    CHECK(contains(error, "not supported"));
  }

  // identifier:of-type=type-system|type-code|value (the rows of index_values.h).
  SearchQuery of_type = parse_ok("Patient", {{"identifier:of-type", "http://t|MR|12\\|3"}});
  CHECK(of_type.clauses[0].modifier == Modifier::kOfType);
  CHECK(only_value(of_type).has_system);
  CHECK(only_value(of_type).system == of_type_system("http://t", "MR"));
  CHECK(only_value(of_type).code == "12|3");
  for (const char* bad : {"http://t|MR", "|MR|1", "http://t||1", "http://t|MR|"}) {
    CHECK(contains(parse_error("Patient", {{"identifier:of-type", bad}}), "of-type"));
  }
}

TEST_CASE("search query: uri :contains, canonical versions") {
  SearchQuery contains_query = parse_ok("ValueSet", {{"url:contains", "loinc"}});
  CHECK(contains_query.clauses[0].modifier == Modifier::kContains);
  CHECK(only_value(contains_query).raw == "loinc");
  CHECK(contains(parse_error("ValueSet", {{"url:contains", std::string(5000, 'a')}}), "4096"));
  // A canonical with its version, absolute or relative, is matched as written.
  SearchValue versioned =
      only_value(parse_ok("QuestionnaireResponse", {{"questionnaire", "http://x/q|1.0"}}));
  CHECK(versioned.url == "http://x/q|1.0");
  SearchValue relative =
      only_value(parse_ok("QuestionnaireResponse", {{"questionnaire", "Questionnaire/q|1.0"}}));
  CHECK(relative.url == "Questionnaire/q|1.0");
  CHECK(relative.target_id.empty());
  SearchValue plain =
      only_value(parse_ok("QuestionnaireResponse", {{"questionnaire", "Questionnaire/q"}}));
  CHECK(plain.target_type == "Questionnaire");
  CHECK(plain.target_id == "q");
}

TEST_CASE("search query: system-level search and _type") {
  SearchQuery all = parse_ok("", {{"_lastUpdated", "gt2020"}, {"_tag", "x"}});
  CHECK(all.resource_type.empty());
  CHECK(all.types.empty());
  CHECK(all.clauses.size() == 2);
  SearchQuery two = parse_ok("", {{"_type", "Patient,Practitioner,Patient"}, {"family", "a"}});
  CHECK(two.types == std::vector<std::string>{"Patient", "Practitioner"});
  REQUIRE(two.clauses.size() == 1);
  CHECK(two.clauses[0].param->type == SearchParamType::kString);
  CHECK(two.used == Params{{"_type", "Patient,Practitioner,Patient"}, {"family", "a"}});
  // Repeats add up; the scope decides what is known.
  CHECK(parse_ok("", {{"_type", "Patient"}, {"_type", "Observation"}}).types.size() == 2);
  CHECK(contains(parse_error("", {{"family", "a"}}), "any resource type"));
  CHECK(contains(parse_error("", {{"_type", "Patient,Observation"}, {"family", "a"}}),
                 "Patient, Observation"));
  CHECK(contains(parse_error("", {{"_type", "Nope"}}), "Nope"));
  CHECK(contains(parse_error("Patient", {{"_type", "Patient"}}), "_type"));
  CHECK(contains(parse_error("", {{"_type", "Observation"}, {"subject.name", "x"}}), "chains"));
  CHECK(contains(
      parse_error("", {{"_type", "Observation"}, {"_has:Observation:patient:code", "x"}}), "_has"));
  // A name with one parameter type per type: Organization type is a token, StructureDefinition
  // type a uri; refused rather than guessed.
  CHECK(contains(parse_error("", {{"_type", "Organization,StructureDefinition"}, {"type", "x"}}),
                 "one type at a time"));
  SearchQuery sorted = parse_ok("", {{"_type", "Patient,Practitioner"}, {"_sort", "-family"}});
  REQUIRE(sorted.sort.size() == 1);
  CHECK(contains(parse_error("", {{"_sort", "family"}}), "family"));
  // _include: without :iterate it must apply to one of the types.
  CHECK(parse_ok("", {{"_type", "Observation"}, {"_include", "Observation:subject"}})
            .includes.size() == 1);
  CHECK(contains(parse_error("", {{"_type", "Observation"}, {"_include", "Patient:organization"}}),
                 "none of the types"));
  CHECK(parse_ok("", {{"_type", "Observation"}, {"_include:iterate", "Patient:organization"}})
            .includes[0]
            .iterate);
  CHECK(parse_ok("", {{"_type", "Patient"}, {"_revinclude", "Observation:subject"}})
            .includes[0]
            .reverse);
  CHECK(
      contains(parse_error("", {{"_type", "Organization"}, {"_revinclude", "Observation:subject"}}),
               "none of the types"));
  SearchQuery elements =
      parse_ok("", {{"_type", "Patient,Observation"}, {"_elements", "status,gender"}});
  CHECK(elements.view.elements.size() == 2);
}

TEST_CASE("search query: _id is a token, _lastUpdated a date") {
  SearchQuery query = parse_ok("Patient", {{"_id", "abc,def"}, {"_lastUpdated", "ge2020"}});
  REQUIRE(query.clauses.size() == 2);
  CHECK(query.clauses[0].param->type == SearchParamType::kToken);
  CHECK(query.clauses[0].values[1].code == "def");
  CHECK(query.clauses[1].param->type == SearchParamType::kDate);
  CHECK(query.clauses[1].values[0].prefix == Prefix::kGe);
  CHECK(query.clauses[1].values[0].low == at("2020-01-01T00:00:00Z"));
}

TEST_CASE("search query: date values with every prefix") {
  SearchValue day = only_value(parse_ok("Patient", {{"birthdate", "1974-12-25"}}));
  CHECK(day.prefix == Prefix::kEq);
  CHECK(day.low == at("1974-12-25T00:00:00Z"));
  CHECK(day.high == at("1974-12-26T00:00:00Z") - 1);

  const std::pair<const char*, Prefix> prefixes[] = {
      {"eq", Prefix::kEq}, {"ne", Prefix::kNe}, {"gt", Prefix::kGt},
      {"lt", Prefix::kLt}, {"ge", Prefix::kGe}, {"le", Prefix::kLe},
      {"sa", Prefix::kSa}, {"eb", Prefix::kEb}, {"ap", Prefix::kAp}};
  for (const auto& [text, prefix] : prefixes) {
    SearchValue value =
        only_value(parse_ok("Patient", {{"birthdate", std::string(text) + "2020-03"}}));
    CHECK(value.prefix == prefix);
    CHECK(value.low == at("2020-03-01T00:00:00Z"));
    CHECK(value.high == at("2020-04-01T00:00:00Z") - 1);
  }

  std::string error = parse_error("Patient", {{"birthdate", "ge2020-13"}});
  CHECK(contains(error, "ge2020-13"));
  CHECK(contains(error, "birthdate"));
  CHECK(contains(parse_error("Patient", {{"birthdate", "xx2020"}}), "xx2020"));
  CHECK(contains(parse_error("Patient", {{"birthdate:exact", "2020"}}), "birthdate:exact"));
}

TEST_CASE("search query: number values carry their implied precision") {
  SearchValue hundred = only_value(parse_ok("RiskAssessment", {{"probability", "100"}}));
  CHECK(hundred.number == 100);
  CHECK(hundred.number_low == doctest::Approx(99.5));
  CHECK(hundred.number_high == doctest::Approx(100.5));

  SearchValue precise = only_value(parse_ok("RiskAssessment", {{"probability", "100.00"}}));
  CHECK(precise.number_low == doctest::Approx(99.995));
  CHECK(precise.number_high == doctest::Approx(100.005));

  // One significant figure: half of 1e2 on either side (see search_value_parse.h on R4's text).
  SearchValue exponent = only_value(parse_ok("RiskAssessment", {{"probability", "1e2"}}));
  CHECK(exponent.number == 100);
  CHECK(exponent.number_low == doctest::Approx(50));
  CHECK(exponent.number_high == doctest::Approx(150));

  SearchValue small = only_value(parse_ok("RiskAssessment", {{"probability", "gt-2.5E-1"}}));
  CHECK(small.prefix == Prefix::kGt);
  CHECK(small.number == doctest::Approx(-0.25));
  CHECK(small.number_low == doctest::Approx(-0.255));
  CHECK(small.number_high == doctest::Approx(-0.245));

  CHECK(only_value(parse_ok("RiskAssessment", {{"probability", "ap0.5"}})).prefix == Prefix::kAp);
  for (const char* bad : {"abc", "1.", ".5", "1e", "1e+", "--1", "1 ", "sa5", "eb5", "1e999"}) {
    std::string error = parse_error("RiskAssessment", {{"probability", bad}});
    CHECK_MESSAGE(contains(error, "probability"), error);
    CHECK_MESSAGE(contains(error, bad), error);
  }
}

TEST_CASE("search query: quantity values") {
  SearchValue full =
      only_value(parse_ok("Observation", {{"value-quantity", "le5.4|http://x.org/units|mg"}}));
  CHECK(full.prefix == Prefix::kLe);
  CHECK(full.number == doctest::Approx(5.4));
  CHECK(full.number_low == doctest::Approx(5.35));
  CHECK(full.number_high == doctest::Approx(5.45));
  CHECK(full.has_system);
  CHECK(full.system == "http://x.org/units");
  CHECK(full.code == "mg");
  // UCUM: in canonical units (fhir/search/ucum.h; search_ucum_test.cpp).
  SearchValue ucum = only_value(
      parse_ok("Observation", {{"value-quantity", "le5.4|http://unitsofmeasure.org|mg"}}));
  CHECK(ucum.number == doctest::Approx(0.0054));
  CHECK(ucum.code == "g");

  SearchValue any_system = only_value(parse_ok("Observation", {{"value-quantity", "5.4||mg"}}));
  CHECK_FALSE(any_system.has_system);
  CHECK(any_system.code == "mg");

  SearchValue bare = only_value(parse_ok("Observation", {{"value-quantity", "5"}}));
  CHECK_FALSE(bare.has_system);
  CHECK(bare.code.empty());
  CHECK(bare.number_low == doctest::Approx(4.5));

  for (const char* bad : {"5.4|mg", "x||mg", "sa5||mg", "5|a|b|c"}) {
    std::string error = parse_error("Observation", {{"value-quantity", bad}});
    CHECK_MESSAGE(contains(error, "value-quantity"), error);
  }
}

TEST_CASE("search query: reference forms") {
  SearchValue typed = only_value(parse_ok("Observation", {{"subject", "Patient/123"}}));
  CHECK(typed.target_type == "Patient");
  CHECK(typed.target_id == "123");
  CHECK(typed.url.empty());

  SearchValue bare = only_value(parse_ok("Observation", {{"subject", "123"}}));
  CHECK(bare.target_type.empty());
  CHECK(bare.target_id == "123");

  SearchValue local =
      only_value(parse_ok("Observation", {{"subject", "http://example.org/fhir/Patient/9"}}));
  CHECK(local.target_type == "Patient");
  CHECK(local.target_id == "9");
  CHECK(local.url.empty());

  SearchValue foreign =
      only_value(parse_ok("Observation", {{"subject", "http://other.org/fhir/Patient/9"}}));
  CHECK(foreign.target_type.empty());
  CHECK(foreign.url == "http://other.org/fhir/Patient/9");

  SearchValue instantiates =
      only_value(parse_ok("CarePlan", {{"instantiates-canonical", "http://acme.org/pd|1.0"}}));
  CHECK(instantiates.url == "http://acme.org/pd|1.0");

  SearchValue versioned =
      only_value(parse_ok("Observation", {{"subject", "Patient/123/_history/4"}}));
  CHECK(versioned.target_type == "Patient");
  CHECK(versioned.target_id == "123");

  for (const char* bad : {"Foo/123", "Patient/", "Patient/1/2", "Patient/1/_history/"}) {
    std::string error = parse_error("Observation", {{"subject", bad}});
    CHECK_MESSAGE(contains(error, "subject"), error);
    CHECK_MESSAGE(contains(error, bad), error);
  }
}

TEST_CASE("search query: reference :[Type] modifier") {
  SearchQuery query = parse_ok("Observation", {{"subject:Patient", "123"}});
  CHECK(query.clauses[0].modifier == Modifier::kType);
  CHECK(query.clauses[0].target_type == "Patient");
  SearchValue value = only_value(query);
  CHECK(value.target_type == "Patient");
  CHECK(value.target_id == "123");

  // Observation.subject targets Group, Device, Patient and Location.
  std::string not_target = parse_error("Observation", {{"subject:Practitioner", "1"}});
  CHECK(contains(not_target, "subject:Practitioner"));
  std::string not_type = parse_error("Observation", {{"subject:Foo", "1"}});
  CHECK(contains(not_type, ":Foo"));
  CHECK(contains(not_type, "not supported"));
  CHECK(contains(parse_error("Observation", {{"subject:identifier", "a|b"}}), ":identifier"));
  CHECK(contains(parse_error("Observation", {{"subject:Patient", "Group/1"}}), "Group/1"));
}

TEST_CASE("search query: uri :below and :above") {
  SearchValue plain = only_value(parse_ok("ValueSet", {{"url", "http://acme.org/vs"}}));
  CHECK(plain.raw == "http://acme.org/vs");
  CHECK(parse_ok("ValueSet", {{"url:below", "http://acme.org/"}}).clauses[0].modifier ==
        Modifier::kBelow);
  CHECK(parse_ok("ValueSet", {{"url:above", "http://acme.org/vs/1"}}).clauses[0].modifier ==
        Modifier::kAbove);
  CHECK(contains(parse_error("ValueSet", {{"url:exact", "x"}}), "url:exact"));
}

TEST_CASE("search query: :missing on any type") {
  SearchQuery query = parse_ok(
      "Patient", {{"birthdate:missing", "true"}, {"general-practitioner:missing", "false"}});
  REQUIRE(query.clauses.size() == 2);
  CHECK(query.clauses[0].modifier == Modifier::kMissing);
  CHECK(query.clauses[0].values[0].missing);
  CHECK_FALSE(query.clauses[1].values[0].missing);
  std::string error = parse_error("Patient", {{"family:missing", "yes"}});
  CHECK(contains(error, "family:missing"));
  CHECK(contains(error, "yes"));
}

TEST_CASE("search query: composite values, one part per component, each read by its type") {
  SearchValue v = only_value(parse_ok(
      "Observation", {{"component-code-value-quantity", "http://loinc.org|8480-6$gt1.5"}}));
  REQUIRE(v.components.size() == 2);
  CHECK(v.components[0].has_system);
  CHECK(v.components[0].system == "http://loinc.org");
  CHECK(v.components[0].code == "8480-6");
  CHECK(v.components[1].prefix == Prefix::kGt);
  CHECK(v.components[1].number == doctest::Approx(1.5));
  // An escaped '$' belongs to its part; three components for the coordinates.
  SearchValue escaped = only_value(parse_ok("Observation", {{"code-value-string", "a\\$b$c"}}));
  REQUIRE(escaped.components.size() == 2);
  CHECK(escaped.components[0].code == "a$b");
  SearchValue three =
      only_value(parse_ok("MolecularSequence", {{"chromosome-variant-coordinate", "1$ge10$lt20"}}));
  REQUIRE(three.components.size() == 3);
  CHECK(three.components[2].prefix == Prefix::kLt);
  // Comma-separated tuples are ORed.
  SearchQuery any = parse_ok("Observation", {{"code-value-concept", "a$b,c$d"}});
  CHECK(any.clauses.front().values.size() == 2);
  // Too few or too many parts, a part its type refuses, a modifier: 400 naming the parameter.
  for (const char* bad : {"a", "a$5$6", "a$five", "a$eb5|u|x"}) {
    const std::string error = parse_error("Observation", {{"code-value-quantity", bad}});
    CHECK_MESSAGE(contains(error, "'code-value-quantity'"), bad);
  }
  CHECK(contains(parse_error("Observation", {{"code-value-quantity:exact", "a$5"}}), ":exact"));
  CHECK(contains(parse_error("Observation", {{"code-value-date", "a$2020-13"}}), "2020-13"));
  SearchQuery missing = parse_ok("Observation", {{"code-value-quantity:missing", "true"}});
  CHECK(missing.clauses.front().modifier == Modifier::kMissing);
}

TEST_CASE("search query: special and unsupported parameters") {
  CHECK(contains(parse_error("Location", {{"near", "1|2|3|km"}}), "'near'"));
  // Even lenient handling must not drop these: the results would be wrong.
  for (const char* name : {"_contained", "_containedType", "_list", "_query", "_filter"}) {
    std::string error = parse_error("Patient", {{name, "x"}}, false);
    CHECK_MESSAGE(contains(error, name), error);
    CHECK(contains(error, "not supported"));
  }
}

TEST_CASE("search query: _text and _content take words, folded, each once") {
  SearchQuery q = parse_ok("Patient", {{"_text", "Café, cafe-AU-lait!,x"}});
  REQUIRE(q.clauses.size() == 1);
  REQUIRE(q.clauses[0].values.size() == 3);
  CHECK(q.clauses[0].values[0].folded == "cafe");
  CHECK(q.clauses[0].values[1].folded == "cafe au lait");
  CHECK(q.clauses[0].values[2].folded == "x");
  CHECK(parse_ok("", {{"_content", "a a b"}}).clauses[0].values[0].folded == "a b");
  CHECK(contains(parse_error("Patient", {{"_text", "--"}}), "no word"));
  CHECK(contains(parse_error("Patient", {{"_content:exact", "a"}}), "words only"));
  CHECK(contains(parse_error("Patient", {{"_text:missing", "true"}}), "words only"));
  CHECK(contains(parse_error("Patient", {{"_sort", "_content"}}), "not supported"));
  std::string many;
  for (int i = 0; i <= 32; ++i) many += "w" + std::to_string(i) + " ";
  CHECK(contains(parse_error("Patient", {{"_content", many}}), "more than 32 words"));
}

TEST_CASE("search query: chains, each link checked and its target type resolved") {
  // One row per chained name: the links (forward '>' / reverse '<' with the type reached),
  // and the terminal parameter with its type.
  struct Case {
    const char* type;
    const char* name;
    const char* links;
    const char* terminal;  // type.code
  };
  const Case cases[] = {
      {"Observation", "subject:Patient.name", ">Patient", "Patient.name"},
      {"Observation", "patient.name", ">Patient", "Patient.name"},  // one target type
      {"Observation", "subject:Patient.organization.name", ">Patient>Organization",
       "Organization.name"},
      {"Observation", "subject:Patient.gender:not", "", ""},  // rejected below
      {"Patient", "_has:Observation:patient:code", "<Observation", "Observation.code"},
      {"Patient", "_has:Observation:patient:_has:AuditEvent:entity:agent",
       "<Observation<AuditEvent", "AuditEvent.agent"},
      {"Encounter", "_has:Observation:encounter:subject:Patient.name", "<Observation>Patient",
       "Patient.name"},
      {"Observation", "subject:Patient._id", ">Patient", "Patient._id"},
  };
  for (const Case& c : cases) {
    if (std::string_view(c.terminal).empty()) continue;
    CAPTURE(c.name);
    SearchQuery q = parse_ok(c.type, {{c.name, "x"}});
    REQUIRE(q.clauses.size() == 1);
    std::string links;
    for (const ChainLink& link : q.clauses[0].chain) {
      links += (link.reverse ? "<" : ">") + link.type;
    }
    CHECK(links == c.links);
    const std::string terminal =
        q.clauses[0].chain.back().type + "." + std::string(q.clauses[0].code);
    CHECK(terminal == c.terminal);
    REQUIRE(q.used.size() == 1);
    CHECK(q.used[0].first == c.name);
  }
  // The terminal's own modifier still applies.
  SearchQuery exact = parse_ok("Observation", {{"subject:Patient.name:exact", "Peter"}});
  CHECK(exact.clauses[0].modifier == Modifier::kExact);
  CHECK(exact.clauses[0].values[0].raw == "Peter");
}

TEST_CASE("search query: chain errors name the part that is wrong") {
  struct Case {
    const char* type;
    const char* name;
    const char* expected;  // a part of the message
  };
  const Case cases[] = {
      {"Observation", "subject.name", "ambiguous chain 'subject.name'"},
      {"Observation", "subject.name", "subject:Patient.name"},
      {"Observation", "subject:Patient.nope", "unknown search parameter 'nope' for Patient"},
      {"Observation", "code.name", "'code' in 'code.name' is not a reference parameter"},
      {"Observation", "subject:Medication.name", "'Medication' in 'subject:Medication.name'"},
      {"Observation", "subject:Patient.gender:not", "not supported in a chain"},
      {"Observation", "subject:Patient.gender:missing", "not supported in a chain"},
      {"Observation", "subject.", "malformed chained parameter"},
      {"Patient", "_has:Observation:patient", "malformed '_has:Observation:patient'"},
      {"Patient", "_has", "malformed '_has'"},
      {"Patient", "_has:Nope:patient:code", "unknown resource type 'Nope'"},
      {"Patient", "_has:Observation:code:code", "'code' in '_has:Observation:code:code' is not"},
      {"Patient", "_has:Observation:encounter:code", "does not reference Patient"},
      {"Observation", "subject:Patient.organization.partof.partof.partof.name",
       "more than 4 chained links"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string error = parse_error(c.type, {{c.name, "x"}}, false);
    CHECK_MESSAGE(contains(error, c.expected), error);
  }
  // An unknown first parameter is an unknown name: ignored when lenient.
  SearchQuery lenient = parse_ok("Observation", {{"nope.name", "x"}}, false);
  CHECK(lenient.ignored == std::vector<std::string>{"nope.name"});
  CHECK(contains(parse_error("Observation", {{"nope.name", "x"}}), "unknown search parameter"));
}

TEST_CASE("search query: _include and _revinclude") {
  SearchQuery q = parse_ok("Observation", {{"_include", "Observation:subject:Patient"},
                                           {"_revinclude", "Provenance:target"},
                                           {"_include:iterate", "Patient:organization"},
                                           {"_include", "*"},
                                           {"_revinclude:iterate", "*"},
                                           {"_include", "Observation:*"}});
  REQUIRE(q.includes.size() == 6);
  CHECK_FALSE(q.includes[0].reverse);
  CHECK(q.includes[0].source_type == "Observation");
  CHECK(q.includes[0].param->code == "subject");
  CHECK(q.includes[0].target_type == "Patient");
  CHECK(q.includes[1].reverse);
  CHECK(q.includes[1].source_type == "Provenance");
  CHECK(q.includes[1].target_type.empty());
  CHECK(q.includes[2].iterate);
  CHECK(q.includes[2].source_type == "Patient");
  CHECK(q.includes[3].source_type == "Observation");  // "*": the searched type's references
  CHECK(q.includes[3].param == nullptr);
  CHECK(q.includes[4].source_type.empty());  // any referrer
  CHECK(q.includes[5].param == nullptr);
  CHECK(q.clauses.empty());
  CHECK(q.used.size() == 6);  // the links repeat them

  struct Case {
    const char* name;
    const char* value;
    const char* expected;
  };
  const Case errors[] = {
      {"_include", "Observation", "expected [type]:[parameter]"},
      {"_include", "Observation:", "expected [type]:[parameter]"},
      {"_include", "Nope:subject", "unknown resource type 'Nope'"},
      {"_include", "Observation:nope", "unknown search parameter 'nope' for Observation"},
      {"_include", "Observation:code", "'code' is not a reference parameter"},
      {"_include", "Observation:subject:Medication", "'subject' does not reference Medication"},
      {"_include", "Observation:subject:Nope", "unknown target type 'Nope'"},
      {"_include", "Patient:organization", "the source type must be the searched type"},
      {"_revinclude", "Observation:subject:Group", "the target type must be the searched type"},
      {"_revinclude", "Observation:encounter", "'encounter' does not reference Observation"},
      {"_include:recurse", "Observation:subject", "the only modifier is :iterate"},
  };
  for (const Case& c : errors) {
    CAPTURE(c.value);
    const std::string error = parse_error("Observation", {{c.name, c.value}}, false);
    CHECK_MESSAGE(contains(error, c.expected), error);
    CHECK(contains(error, c.value));
  }
}

TEST_CASE("search query: unknown parameters, strict and lenient") {
  std::string error = parse_error("Patient", {{"x", "1"}});
  CHECK(error == "unknown search parameter 'x' for Patient");

  SearchQuery lenient = parse_ok("Patient", {{"x", "1"}, {"family", "a"}, {"y:exact", "2"}}, false);
  CHECK(lenient.ignored == std::vector<std::string>{"x", "y:exact"});
  REQUIRE(lenient.used.size() == 1);
  CHECK(lenient.used[0].first == "family");
  CHECK(lenient.clauses.size() == 1);

  // Observation's params are unknown for Patient.
  CHECK(contains(parse_error("Patient", {{"value-quantity", "1"}}), "value-quantity"));
}

TEST_CASE("search query: _count and _offset") {
  SearchQuery defaults = parse_ok("Patient", {});
  CHECK(defaults.count == kDefaultCount);
  CHECK(defaults.offset == 0);
  CHECK(defaults.total == TotalMode::kEstimate);
  CHECK_FALSE(defaults.summary_count);

  SearchQuery query = parse_ok("Patient", {{"_count", "5"}, {"_offset", "40"}});
  CHECK(query.count == 5);
  CHECK(query.offset == 40);
  CHECK(query.used.empty());
  CHECK(parse_ok("Patient", {{"_count", "0"}}).count == 0);
  CHECK(parse_ok("Patient", {{"_count", "5000"}}).count == kMaxCount);
  CHECK(parse_ok("Patient", {{"_count", "99999999999999999999999"}}).count == kMaxCount);
  for (const char* bad : {"-1", "abc", "1.5", "+3", " 3"}) {
    CHECK(contains(parse_error("Patient", {{"_count", bad}}), "_count"));
    CHECK(contains(parse_error("Patient", {{"_offset", bad}}), "_offset"));
  }
  CHECK(contains(parse_error("Patient", {{"_offset", "99999999999999999999999"}}), "_offset"));
}

TEST_CASE("search query: _sort") {
  SearchQuery query = parse_ok("Patient", {{"_sort", "family,-birthdate,_id,-_lastUpdated"}});
  REQUIRE(query.sort.size() == 4);
  CHECK(query.sort[0].param->code == "family");
  CHECK_FALSE(query.sort[0].descending);
  CHECK(query.sort[1].param->code == "birthdate");
  CHECK(query.sort[1].descending);
  CHECK(query.sort[2].param->code == "_id");
  CHECK(query.sort[3].param->code == "_lastUpdated");
  CHECK(query.sort[3].descending);
  CHECK(query.used == std::vector<std::pair<std::string, std::string>>{
                          {"_sort", "family,-birthdate,_id,-_lastUpdated"}});

  CHECK(contains(parse_error("Patient", {{"_sort", "family,nope"}}), "nope"));
  CHECK(contains(parse_error("Patient", {{"_sort", "nope"}}, false), "nope"));
  CHECK(contains(parse_error("Observation", {{"_sort", "code-value-quantity"}}),
                 "code-value-quantity"));
}

TEST_CASE("search query: _total and _summary") {
  CHECK(parse_ok("Patient", {{"_total", "none"}}).total == TotalMode::kNone);
  CHECK(parse_ok("Patient", {{"_total", "estimate"}}).total == TotalMode::kEstimate);
  CHECK(parse_ok("Patient", {{"_total", "accurate"}}).total == TotalMode::kAccurate);
  CHECK(contains(parse_error("Patient", {{"_total", "some"}}), "_total"));

  SearchQuery count = parse_ok("Patient", {{"_summary", "count"}});
  CHECK(count.summary_count);
  CHECK(count.used == std::vector<std::pair<std::string, std::string>>{{"_summary", "count"}});
  CHECK_FALSE(parse_ok("Patient", {{"_summary", "false"}}).summary_count);
  CHECK(parse_ok("Patient", {{"_summary", "false"}}).view.full());
  CHECK(parse_ok("Patient", {{"_summary", "true"}}).view.summary == SummaryMode::kTrue);
  CHECK(parse_ok("Patient", {{"_summary", "text"}}).view.summary == SummaryMode::kText);
  CHECK(parse_ok("Patient", {{"_summary", "data"}}).view.summary == SummaryMode::kData);
  CHECK_FALSE(parse_ok("Patient", {{"_summary", "data"}}).summary_count);
  // The last one wins, count included.
  SearchQuery last = parse_ok("Patient", {{"_summary", "true"}, {"_summary", "count"}});
  CHECK(last.summary_count);
  CHECK(last.view.full());
  for (const char* other : {"bogus", "TRUE", "1"}) {
    std::string error = parse_error("Patient", {{"_summary", other}});
    CHECK(contains(error, "_summary"));
    CHECK(contains(error, other));
  }
}

TEST_CASE("search query: _elements") {
  SearchQuery query = parse_ok("Observation", {{"_elements", "status,,value,subject"}});
  CHECK(query.view.elements == std::vector<std::string>{"status", "value", "subject"});
  CHECK(query.used == Params{{"_elements", "status,,value,subject"}});
  CHECK(query.clauses.empty());
  // Names are top-level elements of the searched type: no paths, no [x], no other type's.
  for (const char* bad : {"value[x]", "code.coding", "birthDate", "nope"}) {
    std::string error = parse_error("Observation", {{"_elements", bad}});
    CHECK_MESSAGE(contains(error, bad), error);
    CHECK(contains(error, "Observation"));
  }
  CHECK(contains(parse_error("Patient", {{"_elements", std::string(65, 'a')}}), "64"));
  const SearchLimits three{.max_params = 100, .max_values = 3, .max_sort = 10};
  Result<SearchQuery> over =
      parse_search("Patient", {{"_elements", "name,gender,active,birthDate"}}, kBase, true, three);
  REQUIRE_FALSE(over.is_ok());
  CHECK(contains(over.status().message(), "--search-max-values"));
  CHECK(
      contains(parse_error("Patient", {{"_elements", "name"}, {"_summary", "true"}}), "_elements"));
  CHECK(parse_ok("Patient", {{"_elements", "name"}, {"_summary", "false"}}).view.elements.size() ==
        1);
}

TEST_CASE("search query: _format and _pretty are left to the HTTP layer") {
  SearchQuery query = parse_ok("Patient", {{"_format", "xml"}, {"_pretty", "true"}});
  CHECK(query.used.empty());
  CHECK(query.clauses.empty());
}

TEST_CASE("search query: used is canonical") {
  Params params = {{"gender", "female"}, {"_total", "none"},    {"family:exact", "B"},
                   {"_count", "10"},     {"family", "A"},       {"_sort", "family"},
                   {"_offset", "20"},    {"family:exact", "C"}, {"unknown", "1"}};
  SearchQuery query = parse_ok("Patient", params, false);
  std::vector<std::pair<std::string, std::string>> expected = {
      {"_sort", "family"},   {"_total", "none"},    {"family", "A"},
      {"family:exact", "B"}, {"family:exact", "C"}, {"gender", "female"}};
  CHECK(query.used == expected);
  // A repeated result parameter: the last one wins.
  SearchQuery twice = parse_ok("Patient", {{"_total", "none"}, {"_total", "accurate"}});
  CHECK(twice.total == TotalMode::kAccurate);
  CHECK(twice.used == std::vector<std::pair<std::string, std::string>>{{"_total", "accurate"}});
}

TEST_CASE("search query: the resource type must be one") {
  CHECK(contains(parse_error("Nope", {}), "Nope"));
  CHECK(contains(parse_error("Resource", {}), "Resource"));
}

TEST_CASE("search query: escape helpers keep unknown escapes and a trailing backslash") {
  CHECK(detail::unescape("a\\") == "a\\");
  CHECK(detail::unescape("\\x") == "\\x");
  CHECK(detail::unescape("\\,\\$\\|\\\\") == ",$|\\");
  CHECK(detail::split_unescaped("a|b\\|c|", '|') == std::vector<std::string>{"a", "b\\|c", ""});
  CHECK(detail::split_unescaped("", ',') == std::vector<std::string>{""});
}

TEST_CASE("search query: decimal precision helper") {
  Result<detail::Decimal> big = detail::parse_decimal("1.1e2", "p");
  REQUIRE(big);
  CHECK(big->value == doctest::Approx(110));
  CHECK(big->low == doctest::Approx(105));
  CHECK(big->high == doctest::Approx(115));
  Result<detail::Decimal> zero = detail::parse_decimal("0", "p");
  REQUIRE(zero);
  CHECK(zero->low == doctest::Approx(-0.5));
}

}  // namespace
}  // namespace hearth::fhir::search
