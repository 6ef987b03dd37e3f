// Resources built element by element over the R4 model: arrays where the model repeats,
// instances ordered by key, primitives with their JSON types and "_name" extensions,
// references to resources the builder makes, and paths the model refuses.
#include "hl7/to_fhir/resource_builder.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth::hl7::to_fhir {
namespace {

std::function<std::string()> counter() {
  auto next = std::make_shared<int>(0);
  return [next] { return "id-" + std::to_string(++*next); };
}

Node* at(Node* node, std::string_view name, InstanceKey key = {}) {
  Result<Node*> child = node->child(name, key);
  REQUIRE_MESSAGE(child.is_ok(), std::string(name));
  return *child;
}

}  // namespace

TEST_CASE("resource builder: arrays, instance order, primitives and their extensions") {
  ResourceBuilder builder(counter());
  Result<Resource*> added = builder.add("Patient");
  REQUIRE(added.is_ok());
  Node* patient = (*added)->root;
  // Written out of order: instance keys put identifier[1] before the repetitions of [2].
  at(at(patient, "identifier", {2, 2}), "value")->set("MRN-2");
  at(at(patient, "identifier", {2, 1}), "value")->set("MRN-1");
  at(at(patient, "identifier", {1, 1}), "value")->set("SSN");
  Node* name = at(patient, "name", {1, 1});
  at(name, "family")->set("Everywoman");
  at(name, "given", {1})->set("Eve");
  at(name, "given", {2})->set("E");
  Node* birth = at(patient, "birthDate");
  birth->set("1962-03-20");
  birth->set("1999-01-01");  // a later set does not overwrite
  Node* ext = at(birth, "extension", {1});
  at(ext, "url")->set("http://hl7.org/fhir/StructureDefinition/patient-birthTime");
  at(ext, "valueDateTime")->set("1962-03-20T12:30:00Z");
  at(patient, "active")->set("true");
  at(patient, "multipleBirthInteger")->set("2");
  at(patient, "telecom", {1, 1});  // made but left empty: not written
  CHECK(ResourceBuilder::to_json(**added) ==
        R"({"resourceType":"Patient","identifier":[{"value":"SSN"},{"value":"MRN-1"},)"
        R"({"value":"MRN-2"}],"name":[{"family":"Everywoman","given":["Eve","E"]}],)"
        R"("birthDate":"1962-03-20","_birthDate":{"extension":[{"url":)"
        R"("http://hl7.org/fhir/StructureDefinition/patient-birthTime","valueDateTime":)"
        R"("1962-03-20T12:30:00Z"}]},"active":true,"multipleBirthInteger":2})");
  CHECK((*added)->full_url == "urn:uuid:id-1");
}

TEST_CASE("resource builder: backbone elements and references") {
  ResourceBuilder builder(counter());
  Resource* observation = *builder.add("Observation");
  Node* component = at(observation->root, "component", {-1});
  at(at(at(component, "code"), "coding", {1}), "code")->set("8480-6");
  Node* performer = at(observation->root, "performer", {1, 1});
  Result<Resource*> practitioner = builder.referenced(*performer, "Practitioner", 0);
  REQUIRE(practitioner.is_ok());
  CHECK(*builder.referenced(*performer, "Practitioner", 0) == *practitioner);  // the same one
  at(at((*practitioner)->root, "name", {1}), "family")->set("Careful");
  REQUIRE(builder.resources().size() == 2);
  CHECK(ResourceBuilder::to_json(*observation) ==
        R"({"resourceType":"Observation","component":[{"code":{"coding":[{"code":"8480-6"}]}}],)"
        R"("performer":[{"reference":"urn:uuid:id-2"}]})");
  CHECK(ResourceBuilder::to_json(**practitioner) ==
        R"({"resourceType":"Practitioner","name":[{"family":"Careful"}]})");
}

TEST_CASE("resource builder: what the model refuses") {
  ResourceBuilder builder(counter());
  CHECK_FALSE(builder.add("HumanName").is_ok());
  CHECK_FALSE(builder.add("Nonsense").is_ok());
  Resource* patient = *builder.add("Patient");
  CHECK_FALSE(patient->root->child("colour", {}).is_ok());
  CHECK_FALSE(patient->root->child("valueString", {}).is_ok());
  Node* gender = at(patient->root, "gender");
  CHECK_FALSE(builder.referenced(*gender, "Practitioner", 0).is_ok());
}

}  // namespace hearth::hl7::to_fhir
