// The transaction Bundle of a builder: one entry per identity key, and references to a resource
// with the identity of an earlier one written as references to that one (in a primitive and in
// a primitive's extension alike).
#include "hl7/to_fhir/transaction_bundle.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace hearth::hl7::to_fhir {
namespace {

Node* at(Node* node, std::string_view name, InstanceKey key = {}) {
  Result<Node*> child = node->child(name, key);
  REQUIRE_MESSAGE(child.is_ok(), std::string(name));
  return *child;
}

}  // namespace

TEST_CASE("transaction bundle: a resource with an earlier one's identity is that one") {
  auto next = std::make_shared<int>(0);
  ResourceBuilder builder([next] { return "id-" + std::to_string(++*next); });
  Resource* observation = *builder.add("Observation");
  at(observation->root, "status")->set("final");
  Node* performer = at(observation->root, "performer", {1});
  Resource* first = *builder.referenced(*performer, "Organization", 1);
  at(at(first->root, "identifier", {1}), "value")->set("LAB");
  Node* second_ref = at(observation->root, "performer", {2});
  Resource* second = *builder.referenced(*second_ref, "Organization", 2);
  at(at(second->root, "identifier", {1}), "value")->set("LAB");
  // The same fullUrl as text in an extension of a primitive, which is replaced too.
  Node* ext = at(at(observation->root, "status"), "extension", {1});
  at(ext, "url")->set("http://example.org/source");
  at(ext, "valueString")->set(second->full_url);

  std::size_t entries = 0;
  Result<fhir::JsonDocument> bundle = write_transaction_bundle(
      builder,
      [](const Resource& r) {
        EntryRequest request;
        request.url = r.type;
        if (r.type == "Organization") request.key = "Organization?identifier=LAB";
        return request;
      },
      &entries);
  REQUIRE(bundle.is_ok());
  CHECK(entries == 2);
  CHECK(fhir::write_json(*bundle) ==
        R"({"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:id-1",)"
        R"("resource":{"resourceType":"Observation","status":"final","_status":{"extension":[{)"
        R"("url":"http://example.org/source","valueString":"urn:uuid:id-2"}]},"performer":[{)"
        R"("reference":"urn:uuid:id-2"},{"reference":"urn:uuid:id-2"}]},"request":{)"
        R"("method":"POST","url":"Observation"}},{"fullUrl":"urn:uuid:id-2","resource":{)"
        R"("resourceType":"Organization","identifier":[{"value":"LAB"}]},"request":{)"
        R"("method":"POST","url":"Organization"}}]})");
}

}  // namespace hearth::hl7::to_fhir
