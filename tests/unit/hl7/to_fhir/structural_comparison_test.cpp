// Hearth's transaction Bundles beside the outputs other converters give for the same corpus
// messages (FHIR-Converter, Google's Whistle; tests/data/corpus/hl7v2/*/*.expected.json):
// the key values of the patient (identifiers, family names, birth date, gender), the codes,
// values and units of the observations, and how many resources of each clinical type. The IG
// wins where the projects differ from it (docs/mapping/v2-to-fhir.md lists the deliberate
// differences), so agreement is counted and printed, and held to a floor rather than to 100%.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "hl7/to_fhir/message_mapper.h"
#include "to_fhir/corpus_support.h"

namespace hearth::hl7::to_fhir {
namespace {

namespace fs = std::filesystem;

using Resources = std::map<std::string, std::vector<const rapidjson::Value*>>;

Resources by_type(const rapidjson::Document& bundle) {
  Resources out;
  if (!bundle.IsObject() || !bundle.HasMember("entry")) return out;
  for (const auto& entry : bundle["entry"].GetArray()) {
    if (!entry.HasMember("resource")) continue;
    out[entry["resource"]["resourceType"].GetString()].push_back(&entry["resource"]);
  }
  return out;
}

std::string string_at(const rapidjson::Value& v, const char* name) {
  return v.IsObject() && v.HasMember(name) && v[name].IsString() ? v[name].GetString() : "";
}

std::set<std::string> identifier_values(const rapidjson::Value& r) {
  std::set<std::string> out;
  if (!r.HasMember("identifier")) return out;
  for (const auto& i : r["identifier"].GetArray()) out.insert(string_at(i, "value"));
  return out;
}

std::set<std::string> families(const rapidjson::Value& r) {
  std::set<std::string> out;
  if (!r.HasMember("name")) return out;
  for (const auto& n : r["name"].GetArray()) {
    if (!string_at(n, "family").empty()) out.insert(string_at(n, "family"));
  }
  return out;
}

std::string first_code(const rapidjson::Value& r) {
  if (!r.HasMember("code") || !r["code"].HasMember("coding")) return {};
  return string_at(r["code"]["coding"][0], "code");
}

bool subset(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& x : a) {
    if (!x.empty() && b.count(x) == 0) return false;
  }
  return true;
}

struct Tally {
  std::size_t checked = 0, agreed = 0;
  void add(bool agree) {
    ++checked;
    agreed += agree ? 1 : 0;
  }
};

}  // namespace

TEST_CASE("structural comparison with other converters' outputs (counts)") {
  std::map<std::string, Tally> tallies;
  std::map<std::string, std::pair<std::size_t, std::size_t>> counts;  // type -> (theirs, ours)
  std::size_t files = 0;
  const std::string suffix = ".expected.json";
  for (const auto& path : testing::corpus_files(suffix)) {
    const std::string name = path.filename().string();
    const fs::path hl7 =
        path.parent_path() / (name.substr(0, name.size() - suffix.size()) + ".hl7");
    const std::string raw = testing::read_file(hl7);
    Result<Message> message = Message::parse(raw);
    if (!message.is_ok()) continue;
    int ids = 0;
    Result<MappedMessage> mapped =
        MessageMapper().map(*message, [&ids] { return std::to_string(++ids); });
    if (!mapped.is_ok()) continue;  // a type the IG has no map for
    rapidjson::Document theirs;
    const std::string expected = testing::read_file(path);
    theirs.Parse(expected.c_str());
    rapidjson::Document ours;
    ours.Parse(::hearth::fhir::write_json(mapped->bundle).c_str());
    REQUIRE_FALSE(ours.HasParseError());
    if (theirs.HasParseError()) continue;
    ++files;
    const Resources t = by_type(theirs);
    const Resources o = by_type(ours);
    for (const char* type : {"Patient", "Encounter", "Observation", "DiagnosticReport",
                             "AllergyIntolerance", "Condition", "Procedure", "Immunization",
                             "Coverage", "RelatedPerson", "ServiceRequest", "Specimen"}) {
      auto ti = t.find(type);
      auto oi = o.find(type);
      counts[type].first += ti == t.end() ? 0 : ti->second.size();
      counts[type].second += oi == o.end() ? 0 : oi->second.size();
    }
    if (t.count("Patient") != 0 && o.count("Patient") != 0) {
      const rapidjson::Value& tp = *t.at("Patient").front();
      const rapidjson::Value& op = *o.at("Patient").front();
      tallies["patient identifiers"].add(subset(identifier_values(tp), identifier_values(op)));
      tallies["patient family names"].add(subset(families(tp), families(op)));
      if (!string_at(tp, "birthDate").empty()) {
        tallies["patient birth date"].add(string_at(tp, "birthDate") == string_at(op, "birthDate"));
      }
      if (!string_at(tp, "gender").empty()) {
        tallies["patient gender"].add(string_at(tp, "gender") == string_at(op, "gender"));
      }
    }
    if (t.count("Observation") != 0) {
      std::map<std::string, const rapidjson::Value*> ours_by_code;
      if (o.count("Observation") != 0) {
        for (const rapidjson::Value* obs : o.at("Observation"))
          ours_by_code[first_code(*obs)] = obs;
      }
      for (const rapidjson::Value* obs : t.at("Observation")) {
        const std::string code = first_code(*obs);
        if (code.empty()) continue;
        auto mine = ours_by_code.find(code);
        tallies["observation codes"].add(mine != ours_by_code.end());
        if (mine == ours_by_code.end() || !obs->HasMember("valueQuantity")) continue;
        const rapidjson::Value& tq = (*obs)["valueQuantity"];
        const bool has = mine->second->HasMember("valueQuantity");
        tallies["observation quantity values"].add(
            has && tq.HasMember("value") && (*mine->second)["valueQuantity"].HasMember("value") &&
            tq["value"].GetDouble() == (*mine->second)["valueQuantity"]["value"].GetDouble());
        if (!string_at(tq, "unit").empty()) {
          tallies["observation units"].add(
              has && string_at(tq, "unit") == string_at((*mine->second)["valueQuantity"], "unit"));
        }
      }
    }
  }
  std::printf("structural comparison over %zu corpus messages with another converter's output:\n",
              files);
  for (const auto& [what, tally] : tallies) {
    std::printf("  %-28s %zu of %zu agree\n", what.c_str(), tally.agreed, tally.checked);
  }
  for (const auto& [type, n] : counts) {
    std::printf("  %-28s theirs %zu, Hearth %zu\n", type.c_str(), n.first, n.second);
  }
  CHECK(files > 40);
  for (const auto& tally : tallies) {
    // Floors below today's figures: a regression fails, the open gaps (docs) do not.
    const std::string& what = tally.first;  // not a structured binding: clang's CHECK lambda
    // Observation codes: FHIR-Converter also makes Observations the IG does not (from PID/PV2
    // fields of ADT messages: injury-incident, death-certificate, autopsy, coroner), which no
    // OBX of ours answers; 100 of 175 agree since ADT^A04/A08/A13/A28/A31 are mapped.
    const std::size_t floor = what == "observation codes" ? 55 : 60;
    CHECK_MESSAGE(tally.second.agreed * 100 >= tally.second.checked * floor, what);
  }
}

}  // namespace hearth::hl7::to_fhir
