// Hearth's transaction Bundles beside the outputs other converters give for the same corpus
// messages (FHIR-Converter, Google's Whistle; tests/data/corpus/hl7v2/*/*.expected.json):
// the key values of the patient (identifiers, family names, birth date, gender), the codes,
// values and units of the observations, and how many resources of each clinical type. The IG
// wins where the projects differ from it (docs/mapping/v2-to-fhir.md lists the deliberate
// differences). The patient's values agree or differ for a reason this test checks (a value the
// other converter took from a segment the IG maps to no Patient element, or made up; a code the
// IG's vocabulary map lacks), and every other difference fails; the observation codes, which
// also differ where the engine has no map yet, are counted and held to a floor.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/to_fhir/map_tables.h"
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

struct Tally {
  std::size_t checked = 0, agreed = 0;
  void add(bool agree) {
    ++checked;
    agreed += agree ? 1 : 0;
  }
};

// The segments of `segments` (CR-separated) as their fields.
std::vector<std::vector<std::string_view>> fields_of(std::string_view segments) {
  std::vector<std::vector<std::string_view>> out;
  while (!segments.empty()) {
    const std::size_t end = segments.find('\r');
    std::string_view segment = segments.substr(0, end);
    segments = end == std::string_view::npos ? std::string_view() : segments.substr(end + 1);
    if (segment.empty()) continue;
    std::vector<std::string_view>& fields = out.emplace_back();
    while (true) {
      const std::size_t bar = segment.find('|');
      fields.push_back(segment.substr(0, bar));
      if (bar == std::string_view::npos) break;
      segment.remove_prefix(bar + 1);
    }
  }
  return out;
}

// Segments the IG maps to no Patient element. FHIR-Converter takes patient identifiers and
// names from them too (DB1-3, GT1-2/-3/-12, IN1-36, IN2-6/-7/-8/-10, CON-24); Hearth leaves
// them where the IG puts them (Coverage, RelatedPerson, Consent) or unmapped.
constexpr std::string_view kNotPatientSegments[] = {"CON", "DB1", "GT1", "IN1", "IN2"};

// Why the other converter's Patient has `value` and Hearth's does not: "" when nothing explains
// it (a difference this test fails on).
std::string why_missing(const std::vector<std::vector<std::string_view>>& segments,
                        std::string_view value) {
  // Where a field, component or subcomponent is exactly `value`.
  std::set<std::string> holding;
  for (const auto& fields : segments) {
    for (std::size_t i = 1; i < fields.size(); ++i) {
      std::string_view rest = fields[i];
      while (true) {
        const std::size_t end = rest.find_first_of("^~&");
        if (rest.substr(0, end) == value) holding.insert(std::string(fields[0]));
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
      }
    }
  }
  if (holding.empty()) return "made up by the converter (not in the message)";
  for (const std::string& id : holding) {
    if (std::find(std::begin(kNotPatientSegments), std::end(kNotPatientSegments), id) ==
        std::end(kNotPatientSegments)) {
      return "";
    }
  }
  return "from segments the IG maps to no Patient element (CON, DB1, GT1, IN1, IN2)";
}

// True when `code` is a v2 code of the IG's vocabulary map `name`.
bool in_vocabulary(std::string_view name, std::string_view code) {
  for (const ConceptMapTable& map : concept_maps()) {
    if (map.name != name) continue;
    for (const ConceptRow& row : map.rows) {
      if (row.v2_code == code) return true;
    }
  }
  return false;
}

// A patient value compared: agreed, or differing for a reason (counted by reason), or not
// explained (the file and value kept for the failure message).
struct PatientTally {
  std::size_t checked = 0, agreed = 0;
  std::map<std::string, std::size_t> explained;
  std::vector<std::string> unexplained;
};

void compare_values(PatientTally& tally, const std::set<std::string>& theirs,
                    const std::set<std::string>& ours,
                    const std::vector<std::vector<std::string_view>>& segments,
                    const std::string& file) {
  ++tally.checked;
  std::set<std::string> reasons;
  for (const std::string& value : theirs) {
    if (value.empty() || ours.count(value) != 0) continue;
    const std::string why = why_missing(segments, value);
    if (why.empty()) {
      tally.unexplained.push_back(file + ": " + value);
      return;
    }
    reasons.insert(why);
  }
  if (reasons.empty()) ++tally.agreed;
  for (const std::string& why : reasons) ++tally.explained[why];
}

}  // namespace

TEST_CASE("structural comparison with other converters' outputs (counts)") {
  std::map<std::string, Tally> tallies;
  std::map<std::string, PatientTally> patient;
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
      const std::string segment_text = testing::cr_segments(raw);
      const auto segments = fields_of(segment_text);
      const std::string file = path.parent_path().filename().string() + "/" + name;
      compare_values(patient["identifiers"], identifier_values(tp), identifier_values(op), segments,
                     file);
      compare_values(patient["family names"], families(tp), families(op), segments, file);
      if (!string_at(tp, "birthDate").empty()) {
        PatientTally& birth = patient["birth date"];
        ++birth.checked;
        if (string_at(tp, "birthDate") == string_at(op, "birthDate")) {
          ++birth.agreed;
        } else {
          birth.unexplained.push_back(file + ": " + string_at(tp, "birthDate"));
        }
      }
      if (!string_at(tp, "gender").empty()) {
        PatientTally& gender = patient["gender"];
        ++gender.checked;
        std::string_view pid8;
        for (const auto& fields : segments) {
          if (fields[0] == "PID" && fields.size() > 8) pid8 = fields[8];
        }
        if (string_at(tp, "gender") == string_at(op, "gender")) {
          ++gender.agreed;
        } else if (string_at(op, "gender").empty() && !pid8.empty() &&
                   !in_vocabulary("AdministrativeSex", pid8)) {
          ++gender.explained["PID-8 not a code of the IG's AdministrativeSex map"];
        } else {
          gender.unexplained.push_back(file + ": " + string_at(tp, "gender"));
        }
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
  for (const auto& [what, tally] : patient) {
    std::printf("  patient %-20s %zu of %zu agree\n", what.c_str(), tally.agreed, tally.checked);
    for (const auto& [why, n] : tally.explained) {
      std::printf("    %zu differ: %s\n", n, why.c_str());
    }
    for (const std::string& unexplained : tally.unexplained) {
      std::printf("    differs, no reason known: %s\n", unexplained.c_str());
    }
  }
  for (const auto& [what, tally] : tallies) {
    std::printf("  %-28s %zu of %zu agree\n", what.c_str(), tally.agreed, tally.checked);
  }
  for (const auto& [type, n] : counts) {
    std::printf("  %-28s theirs %zu, Hearth %zu\n", type.c_str(), n.first, n.second);
  }
  CHECK(files > 40);
  for (const char* what : {"identifiers", "family names", "birth date", "gender"}) {
    CAPTURE(what);
    CHECK(patient[what].checked > 40);
    CHECK(patient[what].unexplained.empty());
  }
  for (const auto& tally : tallies) {
    // Floors below today's figures: a regression fails, the open gaps (docs) do not.
    const std::string& what = tally.first;  // not a structured binding: clang's CHECK lambda
    // Observation codes: FHIR-Converter also makes Observations the IG does not (from PID/PV2
    // fields of ADT messages: injury-incident, death-certificate, autopsy, coroner), which no
    // OBX of ours answers; 117 of 183 agree since VXU's OBX are mapped (map_errata.h).
    const std::size_t floor = what == "observation codes" ? 60 : 90;
    CHECK_MESSAGE(tally.second.agreed * 100 >= tally.second.checked * floor, what);
  }
}

}  // namespace hearth::hl7::to_fhir
