// The generated model tables and their lookups (fhir/model.h), checked against facts of the
// official R4 definitions.
#include "fhir/model.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

namespace hearth::fhir {

TEST_CASE("146 concrete resource types, sorted") {
  auto types = resource_types();
  CHECK(types.size() == 146);
  CHECK(std::is_sorted(types.begin(), types.end()));
  CHECK(is_resource_type("Patient"));
  CHECK(is_resource_type("Observation"));
  CHECK(is_resource_type("Bundle"));
  CHECK_FALSE(is_resource_type("Resource"));
  CHECK_FALSE(is_resource_type("DomainResource"));
  CHECK_FALSE(is_resource_type("HumanName"));
  CHECK_FALSE(is_resource_type("patient"));
}

TEST_CASE("types: kinds, bases, abstract flags") {
  CHECK(all_types().size() == 209);
  const TypeDef* patient = find_type("Patient");
  REQUIRE(patient != nullptr);
  CHECK(patient->kind == TypeKind::kResource);
  CHECK(patient->base == "DomainResource");
  CHECK_FALSE(patient->is_abstract);
  CHECK(find_type("DomainResource")->is_abstract);
  CHECK(find_type("Resource")->is_abstract);
  CHECK(find_type("Resource")->base.empty());
  CHECK(find_type("Element")->kind == TypeKind::kComplex);
  CHECK(find_type("BackboneElement")->is_abstract);
  CHECK(find_type("HumanName")->kind == TypeKind::kComplex);
  CHECK(find_type("dateTime")->kind == TypeKind::kPrimitive);
  CHECK(find_type("decimal")->regex == "-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  CHECK(find_type("SimpleQuantity") == nullptr);  // a constraint profile
  CHECK(find_type("Nope") == nullptr);
}

TEST_CASE("Patient elements in definition order") {
  const TypeDef& p = *find_type("Patient");
  std::vector<std::string> top;
  for (std::uint32_t i : children(p, 0)) top.emplace_back(p.elements[i].name);
  const std::vector<std::string> expected = {"id",
                                             "meta",
                                             "implicitRules",
                                             "language",
                                             "text",
                                             "contained",
                                             "extension",
                                             "modifierExtension",
                                             "identifier",
                                             "active",
                                             "name",
                                             "telecom",
                                             "gender",
                                             "birthDate",
                                             "deceased[x]",
                                             "address",
                                             "maritalStatus",
                                             "multipleBirth[x]",
                                             "photo",
                                             "contact",
                                             "communication",
                                             "generalPractitioner",
                                             "managingOrganization",
                                             "link"};
  CHECK(top == expected);
  CHECK(p.elements[0].path.empty());
  CHECK(p.elements[0].name == "Patient");

  const ElementDef* contact_name = find_element("Patient.contact.name");
  REQUIRE(contact_name != nullptr);
  CHECK(contact_name->path == "contact.name");
  CHECK(contact_name->min == 0);
  CHECK(contact_name->max == 1);
  CHECK(contact_name->types[0].code == "HumanName");
  const ElementDef* contact = find_element("Patient.contact");
  CHECK(contact->is_backbone());
  CHECK(contact->max == kUnbounded);
  CHECK(find_element("Patient.gender")->binding_strength == BindingStrength::kRequired);
  CHECK(find_element("Patient.gender")
            ->value_set.starts_with("http://hl7.org/fhir/ValueSet/administrative-gender"));
  CHECK(find_element("Patient.link.other")->min == 1);
  CHECK(find_element("Patient.link.other")->types[0].targets.size() == 2);
  CHECK(find_element("Patient.nope") == nullptr);
}

TEST_CASE("system types on id and primitive values") {
  CHECK(find_element("Patient.id")->types[0].code ==
        "id");  // resource.html, not the 4.0.1 snapshot
  CHECK(find_element("HumanName.id")->types[0].code == "string");
  CHECK(find_element("Extension.url")->types[0].code == "uri");
  CHECK(find_element("string.value")->types[0].code == "http://hl7.org/fhirpath/System.String");
  CHECK(find_element("string.value")->types[0].type_index == -1);
  CHECK((find_element("xhtml.value")->flags & kElementXhtml) != 0);
  CHECK(find_element("Narrative.div")->types[0].code == "xhtml");
  CHECK((find_element("Narrative.div")->flags & kElementXhtml) != 0);
  CHECK((find_element("Element.id")->flags & kElementXmlAttr) != 0);
}

TEST_CASE("choice element lookup by JSON name") {
  const TypeDef& obs = *find_type("Observation");
  ChildMatch q = find_child(obs, 0, "valueQuantity");
  REQUIRE(q.found());
  CHECK(obs.elements[q.index].name == "value[x]");
  CHECK(obs.elements[q.index].is_choice());
  CHECK(q.type->code == "Quantity");
  ChildMatch s = find_child(obs, 0, "valueString");
  REQUIRE(s.found());
  CHECK(s.type->code == "string");
  CHECK(find_child(obs, 0, "valueCodeableConcept").type->code == "CodeableConcept");
  CHECK(find_child(obs, 0, "effectiveDateTime").type->code == "dateTime");
  CHECK_FALSE(find_child(obs, 0, "valueUri").found());
  CHECK_FALSE(find_child(obs, 0, "valuestring").found());
  CHECK_FALSE(find_child(obs, 0, "value").found());
  CHECK(find_child(obs, 0, "status").type->code == "code");
  CHECK(find_element("Observation.value[x]")->types.size() == 11);
}

// The scan in definition order that find_child's table stands for: the first child whose name,
// or (for a choice) prefix and capitalised type, is the JSON name.
ChildMatch scan_child(const TypeDef& type, std::uint32_t parent, std::string_view json_name) {
  for (std::uint32_t i : children(type, parent)) {
    const ElementDef& e = type.elements[i];
    if (!e.is_choice()) {
      if (e.name == json_name) {
        return ChildMatch{static_cast<std::int32_t>(i), e.types.empty() ? nullptr : &e.types[0]};
      }
      continue;
    }
    std::string_view prefix = e.name.substr(0, e.name.size() - 3);
    if (!json_name.starts_with(prefix)) continue;
    for (const TypeRef& t : e.types) {
      if (is_capitalised(json_name.substr(prefix.size()), t.code)) {
        return ChildMatch{static_cast<std::int32_t>(i), &t};
      }
    }
  }
  return ChildMatch{};
}

TEST_CASE("find_child answers as a scan of the children for every name of every type") {
  std::size_t names = 0;
  for (const TypeDef& type : all_types()) {
    for (std::uint32_t parent = 0; parent < type.elements.size(); ++parent) {
      std::vector<std::string> candidates = {"", "x", "value", "valuestring", "extension"};
      for (std::uint32_t i : children(type, parent)) {
        const ElementDef& e = type.elements[i];
        candidates.emplace_back(e.name);
        if (!e.is_choice()) continue;
        const std::string prefix(e.name.substr(0, e.name.size() - 3));
        candidates.push_back(prefix);
        for (const TypeRef& t : e.types) {
          std::string typed = prefix + std::string(t.code);
          candidates.push_back(typed);  // lower-case first letter: not a JSON name
          if (!t.code.empty()) typed[prefix.size()] = static_cast<char>(std::toupper(t.code[0]));
          candidates.push_back(typed);
        }
      }
      for (const std::string& name : candidates) {
        const ChildMatch want = scan_child(type, parent, name);
        const ChildMatch got = find_child(type, parent, name);
        ++names;
        if (got.index != want.index || got.type != want.type) {
          FAIL_CHECK(type.name << " element " << parent << " name '" << name << "'");
        }
      }
    }
  }
  MESSAGE("find_child checked against the scan for ", names, " names");
  CHECK(names > 10000);
}

TEST_CASE("contentReference") {
  const TypeDef& q = *find_type("Questionnaire");
  const ElementDef* nested = find_element("Questionnaire.item.item");
  REQUIRE(nested != nullptr);
  CHECK(nested->content_reference == "#Questionnaire.item");
  REQUIRE(nested->content_ref_index >= 0);
  CHECK(q.elements[nested->content_ref_index].path == "item");
  ChildMatch item = find_child(q, 0, "item");
  ChildMatch inner = find_child(q, item.index, "item");
  REQUIRE(inner.found());
  std::uint32_t resolved = resolve_content_reference(q, inner.index);
  CHECK(resolved == static_cast<std::uint32_t>(item.index));
  CHECK(find_child(q, resolved, "linkId").found());
  CHECK(find_element("Questionnaire.item.item.item.linkId") != nullptr);
}

TEST_CASE("search parameters") {
  CHECK(search_params().size() == 1400);
  CHECK(std::is_sorted(search_params().begin(), search_params().end(),
                       [](const auto& a, const auto& b) { return a.id < b.id; }));
  const SearchParamDef* name = find_search_param("Patient", "name");
  REQUIRE(name != nullptr);
  CHECK(name->type == SearchParamType::kString);
  CHECK(name->expression == "Patient.name");
  CHECK(name->xpath_usage == "normal");
  const SearchParamDef* id = find_search_param("Patient", "_id");
  REQUIRE(id != nullptr);
  CHECK(id->base[0] == "Resource");
  CHECK(find_search_param("Patient", "_text") != nullptr);  // DomainResource
  const SearchParamDef* subject = find_search_param("Observation", "patient");
  REQUIRE(subject != nullptr);
  CHECK(subject->type == SearchParamType::kReference);
  CHECK(subject->base.size() > 20);
  CHECK(std::find(subject->target.begin(), subject->target.end(), "Patient") !=
        subject->target.end());
  const SearchParamDef* composite = find_search_param("Observation", "code-value-quantity");
  REQUIRE(composite != nullptr);
  CHECK(composite->type == SearchParamType::kComposite);
  CHECK(composite->components.size() == 2);
  CHECK(find_search_param_by_url("http://hl7.org/fhir/SearchParameter/Patient-name") == name);
  CHECK(find_search_param("Patient", "nope") == nullptr);
  CHECK(search_params_for("Patient").size() > 10);
  CHECK(search_params_for("Nope").empty());
}

TEST_CASE("patient compartment") {
  auto obs = compartment_params("Patient", "Observation");
  REQUIRE(obs.size() >= 2);
  CHECK(std::find(obs.begin(), obs.end(), "subject") != obs.end());
  CHECK(std::find(obs.begin(), obs.end(), "performer") != obs.end());
  CHECK(compartment_params("Patient", "Patient").size() >= 1);
  CHECK(compartment_params("Patient", "ValueSet").empty());
  CHECK(compartment_params("Encounter", "Encounter").size() >= 1);
  int compartments = 0;
  std::string_view last;
  for (const CompartmentEntry& e : compartment_entries()) {
    if (e.compartment != last) ++compartments;
    last = e.compartment;
  }
  CHECK(compartments == 5);
}

}  // namespace hearth::fhir
