// The keys mapped mentions are found again by (resource_identity.h): the same organisations and
// practitioners of one sender get the same condition in every message, another sender's get
// others, and what a mention says (its content, what it references) is part of its key.
#include "hl7/to_fhir/resource_identity.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/url_encoding.h"
#include "to_fhir/mapped_bundle.h"

namespace hearth::hl7::to_fhir {
namespace {

using testing::Bundle;
using testing::map_text;

// An ORU^R01 from `sender` (MSH-3^MSH-4 fields) for patient `pid`, whose ordering provider is
// `provider` (XCN) and whose PID-3 authority is "MRN" (no system: a namespace id only).
std::string oru(const std::string& sender, const std::string& pid, const std::string& provider) {
  return "MSH|^~\\&|" + sender + "|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|" + pid +
         "|P|2.5.1\r"
         "PID|1||" +
         pid +
         "^^^MRN^MR||SMITH^JANE||19901215|F\r"
         "ORC|RE|ORD1^EMR|" +
         pid + "^LIS||CM||||20260309093000|||" + provider +
         "\r"
         "OBR|1|ORD1^EMR|" +
         pid + "^LIS|58410-2^CBC panel^LN|||20260309093000||||||||||" + provider +
         "\r"
         "OBX|1|NM|718-7^Hemoglobin^LN||13.2|g/dL^^UCUM|12.0-16.0|N|||F\r";
}

// Type -> the ifNoneExist of each mentioned resource's entry ("" for one without).
std::multimap<std::string, std::string> mention_conditions(const std::string& raw) {
  Bundle bundle;
  Result<MappedMessage> mapped = map_text(raw, bundle);
  REQUIRE(mapped.is_ok());
  std::multimap<std::string, std::string> out;
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    const std::string type = entry["resource"]["resourceType"].GetString();
    if (!mentioned(type)) continue;
    const auto& request = entry["request"];
    out.emplace(type, request.HasMember("ifNoneExist") ? request["ifNoneExist"].GetString() : "");
  }
  return out;
}

// Every entry's ifNoneExist of `raw` mapped with ids made by `prefix` + a counter.
std::vector<std::string> conditions_with_ids(const std::string& raw, const std::string& prefix) {
  Result<Message> message = Message::parse(raw);
  REQUIRE(message.is_ok());
  auto n = std::make_shared<int>(0);
  Result<MappedMessage> mapped =
      MessageMapper().map(*message, [n, prefix] { return prefix + std::to_string(++*n); });
  std::vector<std::string> out;
  if (!mapped.is_ok()) return out;
  rapidjson::Document doc;
  doc.Parse(fhir::write_json(mapped->bundle).c_str());
  REQUIRE_FALSE(doc.HasParseError());
  for (const auto& entry : doc["entry"].GetArray()) {
    const auto& request = entry["request"];
    out.emplace_back(request.HasMember("ifNoneExist") ? request["ifNoneExist"].GetString() : "");
  }
  return out;
}

constexpr std::string_view kMentionCondition = "identifier=urn:hearth:hl7-mention%7C";

}  // namespace

TEST_CASE("identifier_at: instance n, repeating or not, and the same node writable") {
  auto next = std::make_shared<int>(0);
  ResourceBuilder builder([next] { return "id-" + std::to_string(++*next); });
  Result<Resource*> added = builder.add("Patient");
  REQUIRE(added.is_ok());
  Node& root = *(*added)->root;
  CHECK(identifier_at(root, 2) == nullptr);  // nothing made: nothing found, nothing made
  CHECK(root.existing("identifier", {2}) == nullptr);
  Result<Node*> repeated = root.child("identifier", {2, 1});  // a field that repeats
  REQUIRE(repeated.is_ok());
  Result<Node*> single = root.child("identifier", {3});  // one that does not
  REQUIRE(single.is_ok());
  const Node& read_only = root;
  CHECK(identifier_at(read_only, 2) == *repeated);
  CHECK(identifier_at(read_only, 3) == *single);
  CHECK(identifier_at(read_only, 4) == nullptr);
  Node* writable = identifier_at(root, 2);
  REQUIRE(writable == *repeated);
  Result<Node*> value = writable->child("value", {});
  REQUIRE(value.is_ok());
  (*value)->set("MRN-7");
  CHECK(identifier_text(root, 2).value == "MRN-7");
}

TEST_CASE("a sender's mentions have the same key in each of its messages") {
  const auto first = mention_conditions(oru("LAB|HOSP", "P1", "1234^WELBY^MARCUS"));
  const auto second = mention_conditions(oru("LAB|HOSP", "P2", "1234^WELBY^MARCUS"));
  CHECK(first == second);
  REQUIRE(first.count("Organization") == 1);  // "MRN", PID-3's assigning authority
  REQUIRE(first.count("Practitioner") == 1);  // ORC-12 and OBR-16 name one provider
  for (const auto& entry : first) {
    INFO(entry.first, " ", entry.second);
    CHECK(entry.second.starts_with(kMentionCondition));
    CHECK(entry.second.size() == kMentionCondition.size() + 32);
  }
}

TEST_CASE("another sender's mentions, or a mention that says something else, are other ones") {
  const auto base = mention_conditions(oru("LAB|HOSP", "P1", "1234^WELBY^MARCUS"));
  const auto other_facility = mention_conditions(oru("LAB|CLINIC", "P1", "1234^WELBY^MARCUS"));
  const auto other_application = mention_conditions(oru("LIS|HOSP", "P1", "1234^WELBY^MARCUS"));
  const auto other_name = mention_conditions(oru("LAB|HOSP", "P1", "1234^WELBY^MARCUS^J"));
  auto condition = [](const auto& conditions, const std::string& type) {
    REQUIRE(conditions.count(type) == 1);
    return conditions.find(type)->second;
  };
  for (const std::string type : {"Organization", "Practitioner"}) {
    INFO(type);
    CHECK(condition(base, type) != condition(other_facility, type));
    CHECK(condition(base, type) != condition(other_application, type));
  }
  CHECK(condition(base, "Practitioner") != condition(other_name, "Practitioner"));
  CHECK(condition(base, "Organization") == condition(other_name, "Organization"));
}

TEST_CASE("a mention with an identifier that has a system is found by it, not by content") {
  // XCN.9, the assigning authority, gives the provider's number a system.
  const auto conditions = mention_conditions(oru("LAB|HOSP", "P1", "1234^WELBY^MARCUS^^^^^^NPI"));
  REQUIRE(conditions.count("Practitioner") == 1);
  CHECK(conditions.find("Practitioner")->second == "identifier=NPI%7C1234");
}

TEST_CASE("corpus: a message's mention keys do not depend on the ids its resources get") {
  // A key that took in a fullUrl (a reference not replaced by its target's key) would differ
  // between two mappings of one message, and never find the resource again.
  int messages = 0, keyed = 0;
  for (const auto& path : testing::corpus_files(".hl7")) {
    const std::string raw = testing::cr_segments(testing::read_file(path));
    if (raw.empty() || !Message::parse(raw).is_ok()) continue;
    const std::vector<std::string> a = conditions_with_ids(raw, "a-");
    const std::vector<std::string> b = conditions_with_ids(raw, "b-");
    INFO(path.filename().string());
    CHECK(a == b);
    ++messages;
    for (const std::string& condition : a) keyed += condition.starts_with(kMentionCondition);
  }
  std::printf("mention keys: %d keyed mentions over %d corpus messages, the same both ways\n",
              keyed, messages);
  CHECK(messages > 200);
  CHECK(keyed > 100);
}

}  // namespace hearth::hl7::to_fhir

namespace hearth::hl7::to_fhir {

TEST_CASE("local keys: a bare PID-3 and PV1-19 within the facility; bare OBX-21 never merges") {
  Bundle bundle;
  REQUIRE(map_text("MSH|^~\\&|ADT|HOSP|HEARTH|HUB|20260309140000||ADT^A01^ADT_A01|1|P|2.5.1\r"
                   "EVN|A01|20260309140000\r"
                   "PID|1||55501||SMITH^JANE||19901215|F\r"
                   "PV1|1|I|WARD1^101^A||||||||||||||||V7001\r"
                   "OBX|1|NM|29463-7^Body weight^LN||80|kg^^UCUM|||||F||||||||||X1\r"
                   "OBX|2|NM|8302-2^Body height^LN||180|cm^^UCUM|||||F||||||||||X1\r",
                   bundle)
              .is_ok());
  std::map<std::string, std::string> urls;
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    urls[entry["resource"]["resourceType"].GetString()] = entry["request"]["url"].GetString();
  }
  CHECK(urls["Patient"] == "Patient?identifier=" + url_encode("urn:hearth:hl7-local|HOSP^2^55501"));
  CHECK(urls["Encounter"] ==
        "Encounter?identifier=" + url_encode("urn:hearth:hl7-local|HOSP^1^V7001"));
  // The sender repeated OBX-21 without a system: two results, each its own (the visit's key).
  REQUIRE(bundle.by_type["Observation"].size() == 2);
  int observation_entries = 0;
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    if (std::string_view(entry["resource"]["resourceType"].GetString()) != "Observation") continue;
    ++observation_entries;
    CHECK(std::string_view(entry["request"]["url"].GetString()).find("hl7-local") ==
          std::string_view::npos);
  }
  CHECK(observation_entries == 2);
}

}  // namespace hearth::hl7::to_fhir
