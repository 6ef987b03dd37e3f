// The FHIRPath engine through its public API (fhir/fhirpath/fhirpath.h): compile errors with
// positions and depth limits, model-driven navigation (choice types, contentReference, primitive
// extensions), the FHIR functions with their callbacks, environment variables, result helpers,
// and concurrent evaluation of one compiled expression.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"

namespace hearth::fhir::fhirpath {
namespace {

JsonDocument doc(std::string_view text) {
  auto d = parse_json(text);
  REQUIRE(d.is_ok());
  return std::move(*d);
}

const JsonDocument& patient() {
  static const JsonDocument d = doc(R"({"resourceType":"Patient","id":"p1",
    "contained":[{"resourceType":"Organization","id":"o1","name":"Clinic"}],
    "name":[{"use":"official","family":"Chalmers","given":["Peter","James"]},{"given":["Jim"]}],
    "birthDate":"1974-12-25",
    "_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                                "valueDateTime":"1974-12-25T14:35:45-05:00"}]},
    "gender":"male","active":true,"multipleBirthInteger":3,
    "managingOrganization":{"reference":"#o1"},
    "generalPractitioner":[{"reference":"Practitioner/7"}]})");
  return d;
}

// Evaluates on the patient (or `resource`) and returns the string forms, "!" + message on error.
std::vector<std::string> eval(std::string_view expression, const JsonValue& resource = patient(),
                              const EvalOptions& options = {}) {
  auto e = compile(expression);
  if (!e.is_ok()) return {"!" + e.status().message()};
  auto r = evaluate(*e, resource, options);
  if (!r.is_ok()) return {"!" + r.status().message()};
  std::vector<std::string> out;
  for (const Item& i : *r) out.push_back(to_string(i).value_or(std::string(type_name(i))));
  return out;
}

using V = std::vector<std::string>;

TEST_CASE("compile errors carry the 1-based position") {
  auto e = compile("1 + ");
  REQUIRE_FALSE(e.is_ok());
  CHECK(e.status().code() == Code::kInvalidArgument);
  CHECK(e.status().message().starts_with("at 5:"));
  CHECK(compile("name.frobnicate()").status().message().starts_with("at 6: unknown function"));
  CHECK(compile("name.where()").status().message().find("wrong number of arguments") !=
        std::string::npos);
  CHECK(compile("'unterminated").status().message().starts_with("at 1:"));
  CHECK(compile("name.as(NoSuchType)").status().message().find("unknown type") !=
        std::string::npos);
  CHECK(compile("2 + 2 /* open").status().message().find("comment") != std::string::npos);
}

TEST_CASE("nesting is bounded: deep input is an error, not a stack overflow") {
  std::string ok = std::string(100, '(') + "1" + std::string(100, ')');
  CHECK(compile(ok).is_ok());
  std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  CHECK_FALSE(compile(deep).is_ok());
  CHECK_FALSE(compile(std::string(100000, '-') + "1").is_ok());
  std::string chain = "a";
  for (int i = 0; i < 50000; ++i) chain += ".a";
  CHECK_FALSE(compile(chain).is_ok());
}

TEST_CASE("navigation follows the model: choice types, primitives and their extensions") {
  CHECK(eval("Patient.name.given") == V{"Peter", "James", "Jim"});
  CHECK(eval("name.family") == V{"Chalmers"});
  CHECK(eval("multipleBirth") == V{"3"});
  CHECK(eval("multipleBirth is integer") == V{"true"});
  CHECK(eval("birthDate.extension.value") == V{"1974-12-25T14:35:45-05:00"});
  CHECK(eval("birthDate.extension('http://hl7.org/fhir/StructureDefinition/patient-birthTime')"
             ".value.type().name") == V{"dateTime"});
  CHECK(eval("multipleBirthInteger")[0].starts_with("!"));  // a JSON name, not a FHIRPath one
  CHECK(eval("Encounter.status").empty());                  // another type: empty
  EvalOptions strict;
  strict.strict = true;
  CHECK(eval("name.given1", patient(), strict)[0].starts_with("!"));
  CHECK(eval("name.given1").empty());
}

// A choice element's value is found by one pass over the object's keys: only keys that name one
// of its types count, a value given only by its `_` sibling still navigates, and an object with
// more look-alike keys than the pass keeps (8) is still read exactly.
TEST_CASE("choice elements: look-alike keys, `_` siblings and many candidates") {
  auto ext = doc(R"({"resourceType":"Basic","code":{"text":"x"},"extension":[
    {"url":"a","valueNotAType":"no","valueString":"yes"},
    {"url":"b","_valueCode":{"id":"c1"}},
    {"url":"c","valueA":1,"valueB":2,"valueC":3,"valueD":4,"valueE":5,"valueF":6,"valueG":7,
     "valueH":8,"valueI":9,"valueInteger":42}]})");
  CHECK(eval("Basic.extension.where(url = 'b').value.id", ext) == V{"c1"});
  CHECK(eval("Basic.extension.where(url = 'b').value is code", ext) == V{"true"});
  CHECK(eval("Basic.extension.where(url = 'c').value", ext) == V{"42"});
  CHECK(eval("Basic.extension.where(url = 'a').value", ext) == V{"yes"});
}

TEST_CASE("contentReference elements reuse their target's children") {
  auto q = doc(R"({"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1",
    "type":"group","item":[{"linkId":"1.1","type":"string","item":[{"linkId":"1.1.1",
    "type":"string"}]}]}]})");
  CHECK(eval("Questionnaire.item.item.item.linkId", q) == V{"1.1.1"});
  CHECK(eval("item.descendants().linkId", q) == V{"1.1", "1.1.1"});
  CHECK(eval("item.item.type().name", q) == V{"BackboneElement"});
  CHECK(eval("item.repeat(item).linkId", q) == V{"1.1", "1.1.1"});
}

TEST_CASE("string functions count characters, not bytes") {
  CHECK(eval("'Bénédicte'.length()") == V{"9"});
  CHECK(eval("'Bénédicte'.substring(1, 3)") == V{"éné"});
  CHECK(eval("'Bénédicte'.indexOf('d')") == V{"4"});
  CHECK(eval("'né'.toChars()") == V{"n", "é"});
  CHECK(eval("'Bénédicte'.matches('^B.n')") == V{"true"});
  CHECK(eval("'x'.matches('(')")[0].starts_with("!"));
  CHECK(eval("'zz'.decode('hex')").empty());
  CHECK(eval("'4869'.decode('hex')") == V{"Hi"});
  CHECK(eval("'99999999999999999999'.toInteger()").empty());
  CHECK(eval("'-42'.toInteger()") == V{"-42"});
}

TEST_CASE("runaway expressions fail instead of exhausting memory") {
  CHECK(eval("(1).repeat($this + 1).count()")[0].starts_with("!"));
  CHECK(eval("('ab').repeat($this & $this).count()")[0].starts_with("!"));
  std::string doubling = "1";
  for (int i = 0; i < 40; ++i) doubling = "(" + doubling + ").select($this | ($this + 1))";
  CHECK(eval(doubling + ".count()")[0].starts_with("!"));
}

TEST_CASE("type names of results") {
  auto e = compile("name.given.first() | birthDate | 1 | 1.5 | 'x' | @T10:00 | 2 'mg'");
  REQUIRE(e.is_ok());
  auto r = evaluate(*e, patient());
  REQUIRE(r.is_ok());
  REQUIRE(r->size() == 7);
  CHECK(type_namespace((*r)[0]) == "FHIR");
  CHECK(type_name((*r)[0]) == "string");
  CHECK(type_name((*r)[1]) == "date");
  CHECK(type_namespace((*r)[2]) == "System");
  CHECK(type_name((*r)[2]) == "Integer");
  CHECK(type_name((*r)[3]) == "Decimal");
  CHECK(type_name((*r)[4]) == "String");
  CHECK(type_name((*r)[5]) == "Time");
  CHECK(to_string((*r)[6]) == "2 'mg'");
}

TEST_CASE("resolve(): contained references and the resolver callback") {
  CHECK(eval("managingOrganization.resolve().name") == V{"Clinic"});
  CHECK(eval("generalPractitioner.resolve()").empty());  // no resolver: dropped
  auto practitioner = doc(R"({"resourceType":"Practitioner","id":"7","active":false})");
  EvalOptions options;
  options.resolver = [&](std::string_view ref) -> const JsonValue* {
    return ref == "Practitioner/7" ? &practitioner : nullptr;
  };
  CHECK(eval("generalPractitioner.resolve().active", patient(), options) == V{"false"});
  CHECK(eval("generalPractitioner.resolve() is Practitioner", patient(), options) == V{"true"});
}

TEST_CASE("resolve() finds entries of the Bundle that is %rootResource") {
  auto bundle = doc(R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"fullUrl":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a",
     "resource":{"resourceType":"Patient","id":"a","active":true}},
    {"fullUrl":"http://example.org/fhir/Observation/o1",
     "resource":{"resourceType":"Observation","id":"o1","status":"final",
       "code":{"text":"x"},"subject":{"reference":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a"},
       "performer":[{"reference":"Patient/a"}]}}]})");
  const JsonValue& observation = bundle["entry"][1]["resource"];
  EvalOptions options;
  options.root_resource = &bundle;
  CHECK(eval("subject.resolve().active", observation, options) == V{"true"});
  CHECK(eval("performer.resolve().id", observation, options) == V{"a"});
  CHECK(eval("%rootResource.type", observation, options) == V{"transaction"});
  CHECK(eval("subject.resolve()", observation).empty());  // outside the Bundle
}

TEST_CASE("memberOf() and conformsTo() go through the callbacks") {
  CHECK(eval("gender.memberOf(%vs-administrative-gender)").empty());
  EvalOptions options;
  std::string seen;
  options.member_of = [&](const Item& item, std::string_view vs) -> Result<bool> {
    seen = std::string(vs);
    return to_string(item) == "male";
  };
  CHECK(eval("gender.memberOf(%`vs-administrative-gender`)", patient(), options) == V{"true"});
  CHECK(seen == "http://hl7.org/fhir/ValueSet/administrative-gender");
  CHECK(eval("conformsTo('http://hl7.org/fhir/StructureDefinition/Patient')") == V{"true"});
  CHECK(eval("conformsTo('http://hl7.org/fhir/StructureDefinition/Person')") == V{"false"});
  options.conforms_to = [](const Item&, std::string_view) -> Result<bool> {
    return Status(Code::kNotFound, "no such profile");
  };
  CHECK(eval("conformsTo('http://example.org/p')", patient(), options)[0].starts_with("!"));
}

TEST_CASE("environment variables") {
  CHECK(eval("%ucum") == V{"http://unitsofmeasure.org"});
  CHECK(eval("%sct") == V{"http://snomed.info/sct"});
  CHECK(eval("%loinc") == V{"http://loinc.org"});
  CHECK(eval("%`ext-patient-birthTime`") ==
        V{"http://hl7.org/fhir/StructureDefinition/patient-birthTime"});
  CHECK(eval("%resource.id") == V{"p1"});
  CHECK(eval("%context.id") == V{"p1"});
  CHECK(eval("%rootResource.id") == V{"p1"});
  CHECK(eval("%nope")[0].starts_with("!"));
  EvalOptions options;
  Item limit;
  limit.kind = ItemKind::kInteger;
  limit.integer = 2;
  options.variables["limit"] = {limit};
  CHECK(eval("name.given.take(%limit)", patient(), options) == V{"Peter", "James"});
}

TEST_CASE("now(), today() and timeOfDay() use the injected instant") {
  EvalOptions options;
  options.now_micros = 1700000000123000;  // 2023-11-14T22:13:20.123Z
  CHECK(eval("now()", patient(), options) == V{"2023-11-14T22:13:20.123Z"});
  CHECK(eval("today()", patient(), options) == V{"2023-11-14"});
  CHECK(eval("timeOfDay()", patient(), options) == V{"22:13:20.123"});
  CHECK(eval("now() = now()", patient(), options) == V{"true"});
}

TEST_CASE("a subtree free of the focus inside an iteration gives each item the same result") {
  // `%resource.name.given.count()` reads no focus: evaluated once for the three items, and the
  // answers are those of an evaluation per item.
  CHECK(eval("name.given.where(length() < %resource.name.given.count() + 1)") == V{"Jim"});
  CHECK(eval("name.given.all($this.length() > %resource.name.count())") == V{"true"});
  CHECK(eval("name.given.all(length() = %resource.name.given.first().length())") == V{"false"});
  CHECK(eval("name.select(given.count() = iif(%resource.gender = 'male', 2, 1))") ==
        V{"true", "false"});
  // Reused at another depth (nested iterations) and alongside $this/$index, which stay per item.
  CHECK(eval("name.select(given.select($index + %resource.name.count()))") == V{"2", "3", "2"});
  CHECK(eval("name.given.where($this in %resource.name.where(use = 'official').given)") ==
        V{"Peter", "James"});
  // trace() sees every call, also on a focus-free input.
  EvalOptions options;
  int traced = 0;
  options.trace = [&](std::string_view, const Collection&) { ++traced; };
  CHECK(eval("name.given.select(%resource.gender.trace('g'))", patient(), options) ==
        V{"male", "male", "male"});
  CHECK(traced == 3);
}

TEST_CASE("trace() reports to the sink and passes its input through") {
  EvalOptions options;
  std::vector<std::string> traced;
  options.trace = [&](std::string_view name, const Collection& items) {
    traced.push_back(std::string(name) + ":" + std::to_string(items.size()));
  };
  CHECK(eval("name.given.trace('g').count()", patient(), options) == V{"3"});
  CHECK(traced == std::vector<std::string>{"g:3"});
}

TEST_CASE("as_boolean() is singleton evaluation") {
  auto check = [](std::string_view expression) {
    auto e = compile(expression);
    REQUIRE(e.is_ok());
    auto r = evaluate(*e, patient());
    REQUIRE(r.is_ok());
    return as_boolean(*r);
  };
  CHECK(check("active").value() == std::optional<bool>(true));
  CHECK(check("name.where(use = 'nickname')").value() == std::nullopt);
  CHECK(check("gender").value() == std::optional<bool>(true));
  CHECK_FALSE(check("name.given").is_ok());
}

TEST_CASE("evaluation without a resource, and errors as values") {
  auto e = compile("(1 | 2 | 3).where($this > 1).sum()");
  CHECK_FALSE(e.is_ok());  // sum() is not a FHIRPath N1 function
  auto ok = compile("(1 | 2 | 3).aggregate($this + $total, 0)");
  REQUIRE(ok.is_ok());
  auto r = evaluate(*ok);
  REQUIRE(r.is_ok());
  CHECK(to_string(r->at(0)) == "6");
  auto bad = compile("(1 | 2) + 1");
  REQUIRE(bad.is_ok());
  auto err = evaluate(*bad);
  REQUIRE_FALSE(err.is_ok());
  CHECK(err.status().message().starts_with("at 9:"));
  CHECK(err.status().issues()[0].expression == "(1 | 2) + 1");
}

TEST_CASE("one compiled expression evaluates concurrently") {
  auto e = compile("name.where(use = 'official').given.first() & ' ' & birthDate.toString()");
  REQUIRE(e.is_ok());
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        auto r = evaluate(*e, patient());
        if (r.is_ok() && r->size() == 1 && to_string((*r)[0]) == "Peter 1974-12-25") ++good[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(good == std::vector<int>{500, 500, 500, 500});
}

}  // namespace
}  // namespace hearth::fhir::fhirpath
