// Identifier systems per sending facility (system_base.h): the flag's value checked, the base
// chosen by MSH-4, and every identity lookup of a mapped message keyed by it.
#include "hl7/to_fhir/system_base.h"

#include <doctest/doctest.h>

#include <string>

#include "core/url_encoding.h"
#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::map_text;

ConversionOptions with_bases() {
  ConversionOptions options;
  options.system_bases = {{"GHH", "https://ghh.example.org/id"}, {"*", "urn:example:any"}};
  return options;
}

// The request url (or ifNoneExist) of each entry of `type`.
std::vector<std::string> keys_of(const Bundle& bundle, std::string_view type) {
  std::vector<std::string> out;
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    if (type != entry["resource"]["resourceType"].GetString()) continue;
    const auto& request = entry["request"];
    out.emplace_back(request.HasMember("ifNoneExist") ? request["ifNoneExist"].GetString()
                                                      : request["url"].GetString());
  }
  return out;
}

}  // namespace

TEST_CASE("system base: FACILITY=URI values, and the base for a message") {
  Result<SystemBase> ok = parse_system_base("NIST EHR=urn:oid:2.16.840.1/");
  REQUIRE(ok.is_ok());
  CHECK(ok->facility == "NIST EHR");
  CHECK(ok->uri == "urn:oid:2.16.840.1");
  CHECK_FALSE(parse_system_base("no-equals").is_ok());
  CHECK_FALSE(parse_system_base("=http://x.org").is_ok());
  CHECK_FALSE(parse_system_base("A=x y:z").is_ok());
  CHECK_FALSE(parse_system_base("A=" + std::string(1100, 'a') + ":b").is_ok());

  CHECK(system_under_base("https://b.org", "MRN") == "https://b.org/MRN");
  CHECK(system_under_base("https://b.org", "") == "https://b.org");
  CHECK(system_under_base("https://b.org", "urn:oid:1.2.3") == "urn:oid:1.2.3");
  CHECK(system_under_base("", "MRN") == "MRN");

  const std::vector<SystemBase> bases = {{"GHH", "https://ghh.org"}, {"2.16.1", "urn:x:oid"}};
  Result<Message> by_name =
      Message::parse("MSH|^~\\&|APP|GHH^2.16.9^ISO|R|F|2026||ADT^A01|1|P|2.5\r");
  Result<Message> by_oid = Message::parse("MSH|^~\\&|APP|^2.16.1^ISO|R|F|2026||ADT^A01|1|P|2.5\r");
  Result<Message> other = Message::parse("MSH|^~\\&|APP|ELSE|R|F|2026||ADT^A01|1|P|2.5\r");
  REQUIRE((by_name.is_ok() && by_oid.is_ok() && other.is_ok()));
  CHECK(system_base_for(*by_name, bases) == "https://ghh.org");
  CHECK(system_base_for(*by_oid, bases) == "urn:x:oid");
  CHECK(system_base_for(*other, bases).empty());
}

TEST_CASE("system base: a sender's local namespaces in every identity key") {
  const std::string adt =
      "MSH|^~\\&|ADT|GHH|HEARTH|H|20260101120000||ADT^A01^ADT_A01|1|P|2.5.1\r"
      "EVN|A01|20260101120000\r"
      "PID|1||123^^^MRN^MR~555^^^urn:oid:1.2.3^SS||DOE^JANE||19700101|F|||||||||AC1^^^ACC\r"
      "PV1|1|I|WARD1^101^A||||||||||||||||V1^^^VISITS\r";
  Bundle bundle;
  REQUIRE(map_text(adt, bundle, with_bases()).is_ok());
  CHECK(keys_of(bundle, "Patient") ==
        std::vector<std::string>{"Patient?identifier=" +
                                 url_encode("https://ghh.example.org/id/MRN|123")});
  CHECK(keys_of(bundle, "Encounter") ==
        std::vector<std::string>{"Encounter?identifier=" +
                                 url_encode("https://ghh.example.org/id/VISITS|V1")});
  // A URI system stays (PID-3's second repetition is not the identity, but is kept as sent).
  const auto& patient = *bundle.by_type["Patient"][0];
  bool oid_kept = false;
  for (const auto& id : patient["identifier"].GetArray()) {
    if (id.HasMember("system") && std::string(id["system"].GetString()) == "urn:oid:1.2.3") {
      oid_kept = true;
    }
  }
  CHECK(oid_kept);

  // Without a base the same message keeps the bare namespace (as before).
  Bundle plain;
  REQUIRE(map_text(adt, plain).is_ok());
  CHECK(keys_of(plain, "Patient") ==
        std::vector<std::string>{"Patient?identifier=" + url_encode("MRN|123")});
}

TEST_CASE("system base: orders without a system get the sender's base, found again") {
  // The IG's EI[Identifier-Extension] leaves a placer number's namespace in an extension it does
  // not finish: without a base an order has no system, and is found again by Hearth's local key
  // within the sending facility (resource_identity.h, key_local_identities).
  const std::string orm =
      "MSH|^~\\&|EHR|ELSEWHERE|LAB|H|20260101120000||ORM^O01^ORM_O01|1|P|2.5.1\r"
      "PID|1||123^^^MRN^MR||DOE^JANE\r"
      "ORC|NW|P1^EHR\r"
      "OBR|1|P1^EHR||24725-4^CT Head^LN\r";
  Bundle bundle;
  REQUIRE(map_text(orm, bundle, with_bases()).is_ok());  // "*": urn:example:any
  CHECK(keys_of(bundle, "ServiceRequest") ==
        std::vector<std::string>{"ServiceRequest?identifier=" + url_encode("urn:example:any|P1")});
  CHECK(keys_of(bundle, "Patient") ==
        std::vector<std::string>{"identifier=" + url_encode("urn:example:any/MRN|123")});
  Bundle plain;
  REQUIRE(map_text(orm, plain).is_ok());
  CHECK(keys_of(plain, "ServiceRequest") ==
        std::vector<std::string>{"ServiceRequest?identifier=" +
                                 url_encode("urn:hearth:hl7-local|ELSEWHERE^1^P1")});
}

TEST_CASE("system base: a merge finds the merged patient under the base") {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(
      "MSH|^~\\&|ADT|GHH|HEARTH|H|20260101120000||ADT^A40^ADT_A39|1|P|2.5.1\r"
      "EVN|A40|20260101120000\r"
      "PID|1||123^^^MRN^MR||DOE^JANE\r"
      "MRG|456^^^MRN^MR\r",
      bundle, with_bases());
  REQUIRE(mapped.is_ok());
  REQUIRE(mapped->merged_entry >= 0);
  const auto& merged = bundle.doc["entry"][static_cast<rapidjson::SizeType>(mapped->merged_entry)];
  CHECK(std::string(merged["request"]["url"].GetString()) ==
        "Patient?identifier=" + url_encode("https://ghh.example.org/id/MRN|456"));
}

}  // namespace hearth::hl7::to_fhir
