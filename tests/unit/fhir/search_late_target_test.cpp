// bind_late_targets (fhir/search/late_target.h): every official example extracted with its
// relative references standing in as late targets, then bound, gives the rows and words that
// extracting it as written gives (counts printed); and the cases where binding must refuse.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/json.h"
#include "fhir/search/full_text.h"
#include "fhir/search/index_values.h"
#include "fhir/search/late_target.h"
#include "official_examples.h"

namespace hearth::fhir::search {
namespace {

std::string num(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// Every row as text, in the order extraction gave them (words are compared apart).
std::vector<std::string> row_texts(const IndexValues& v) {
  std::vector<std::string> out;
  auto add = [&](std::string_view kind, std::string_view param, const std::string& rest) {
    out.push_back(std::string(kind) + " " + std::string(param) + " " + rest);
  };
  for (const auto& r : v.strings) add("s", r.param, r.folded + "|" + r.exact);
  for (const auto& r : v.tokens) add("t", r.param, r.system + "|" + r.code + "|" + r.text);
  for (const auto& r : v.dates) {
    add("d", r.param, std::to_string(r.low) + "|" + std::to_string(r.high));
  }
  for (const auto& r : v.numbers) add("n", r.param, num(r.value));
  for (const auto& r : v.quantities)
    add("q", r.param, num(r.value) + "|" + r.system + "|" + r.code);
  for (const auto& r : v.references) {
    add("r", r.param, r.target_type + "|" + r.target_id + "|" + r.url);
  }
  for (const auto& r : v.uris) add("u", r.param, r.uri);
  for (const auto& r : v.composites) {
    add("c", r.param,
        std::to_string(r.group) + "|" + std::to_string(r.component) + "|" + r.system + "|" +
            r.code + "|" + r.text + "|" + r.folded + "|" + r.exact + "|" + std::to_string(r.low) +
            "|" + std::to_string(r.high) + "|" + num(r.value) + "|" + r.target_type + "|" +
            r.target_id + "|" + r.url);
  }
  for (const auto& p : v.phonetic_names) add("p", "", p.key + "|" + p.folded);
  return out;
}

std::vector<std::string> sorted_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  std::sort(words.begin(), words.end());
  return words;
}

// Replaces every relative "Type/id" reference of `value` by "Type/<stand-in>", one stand-in per
// distinct reference (its id in `ids`). Returns how many it replaced.
int stand_in(JsonValue& value, JsonAllocator& allocator, std::map<std::string, std::size_t>& seen,
             std::vector<std::string>& ids) {
  int replaced = 0;
  if (value.IsArray()) {
    for (auto& item : value.GetArray()) replaced += stand_in(item, allocator, seen, ids);
    return replaced;
  }
  if (!value.IsObject()) return 0;
  for (auto& m : value.GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "reference" && is_json_string(m.value)) {
      const std::string reference(json_string(m.value));
      const std::size_t slash = reference.find('/');
      if (slash == std::string::npos || reference.find('/', slash + 1) != std::string::npos ||
          reference.find_first_of("?#|:") != std::string::npos ||
          !is_resource_type(reference.substr(0, slash)) || slash + 1 == reference.size()) {
        continue;
      }
      auto [it, fresh] = seen.emplace(reference, ids.size());
      if (fresh) ids.push_back(reference.substr(slash + 1));
      m.value =
          make_json_string(reference.substr(0, slash + 1) + late_target_id(it->second), allocator);
      ++replaced;
    } else if (m.value.IsObject() || m.value.IsArray()) {
      replaced += stand_in(m.value, allocator, seen, ids);
    }
  }
  return replaced;
}

TEST_CASE("bind_late_targets: every official example with stand-ins gives its rows as written") {
  int examples = 0, with_references = 0, references = 0, differ = 0, refused = 0;
  for (const std::filesystem::path& path : testing::official_example_files()) {
    const std::string text = testing::read_example(path);
    auto written = parse_json(text);
    auto early = parse_json(text);
    if (!written.is_ok() || !early.is_ok() || !written->IsObject()) continue;
    auto direct = extract_index(*written);
    if (!direct.is_ok()) continue;
    ++examples;
    std::map<std::string, std::size_t> seen;
    std::vector<std::string> ids;
    const int replaced = stand_in(*early, early->GetAllocator(), seen, ids);
    if (replaced == 0) continue;
    ++with_references;
    references += replaced;
    auto late = extract_index(*early);
    REQUIRE_MESSAGE(late.is_ok(), path.filename().string());
    if (!bind_late_targets(*late, ids)) {
      // Only where the text is long enough for its cap to matter: the caller extracts again.
      CHECK_MESSAGE(late->text.content.size() > kMaxTextBytes / 2, path.filename().string());
      ++refused;
      continue;
    }
    const bool same = row_texts(*late) == row_texts(*direct) &&
                      sorted_words(late->text.content) == sorted_words(direct->text.content) &&
                      late->text.narrative == direct->text.narrative;
    if (!same) {
      if (++differ <= 5) MESSAGE("differs: " << path.filename().string());
    }
  }
  std::printf(
      "late targets: %d examples, %d with relative references (%d references), %d "
      "refused (long texts), %d differ\n",
      examples, with_references, references, refused, differ);
  CHECK(examples >= testing::at_least(2000));
  CHECK(with_references >= testing::at_least(400));
  CHECK(differ == 0);
}

IndexValues extract(std::string_view json) {
  auto doc = parse_json(json);
  REQUIRE(doc.is_ok());
  auto values = extract_index(*doc);
  REQUIRE(values.is_ok());
  return std::move(*values);
}

std::string observation(std::string_view subject, std::string_view performer) {
  return R"({"resourceType":"Observation","status":"final","code":{"text":"hb"},)"
         R"("subject":{"reference":")" +
         std::string(subject) + R"("},"performer":[{"reference":")" + std::string(performer) +
         R"("},{"reference":"Practitioner/p1"}]})";
}

TEST_CASE("bind_late_targets: ids, URLs and words bound; rows made equal dropped") {
  const std::string subject = "Patient/" + late_target_id(0);
  const std::string performer = "Practitioner/" + late_target_id(1);
  IndexValues v = extract(observation(subject, performer));
  CHECK(v.text.content.find(late_target_id(1)) != std::string::npos);
  const std::vector<std::string> ids = {"pat-9", "p1"};
  REQUIRE(bind_late_targets(v, ids));
  const IndexValues direct = extract(observation("Patient/pat-9", "Practitioner/p1"));
  CHECK(row_texts(v) == row_texts(direct));
  CHECK(sorted_words(v.text.content) == sorted_words(direct.text.content));
  CHECK(v.text.content.find("late") == std::string::npos);
  int performers = 0;
  for (const ReferenceIndex& r : v.references) performers += r.param == "performer" ? 1 : 0;
  CHECK(performers == 1);  // Practitioner/p1 twice is one row, as extraction gives it
}

TEST_CASE("bind_late_targets: refuses a stand-in without an id") {
  IndexValues v =
      extract(observation("Patient/" + late_target_id(0), "Practitioner/" + late_target_id(3)));
  CHECK_FALSE(bind_late_targets(v, std::vector<std::string>{"a"}));  // no id for 3
  IndexValues w = extract(observation("Patient/" + late_target_id(0), "Practitioner/x"));
  CHECK_FALSE(bind_late_targets(w, std::vector<std::string>{""}));  // an empty id
  IndexValues plain = extract(observation("Patient/a", "Practitioner/x"));
  const std::vector<std::string> before = row_texts(plain);
  CHECK(bind_late_targets(plain, std::vector<std::string>{}));  // nothing to bind
  CHECK(row_texts(plain) == before);
}

TEST_CASE("bind_late_targets: refuses a text near its cap") {
  std::string note;
  for (int i = 0; note.size() < kMaxTextBytes / 2 + 100; ++i) note += "w" + std::to_string(i) + " ";
  const std::string json = R"({"resourceType":"Observation","status":"final","code":{"text":")" +
                           note + R"("},"subject":{"reference":"Patient/)" + late_target_id(0) +
                           R"("}})";
  IndexValues v = extract(json);
  CHECK_FALSE(bind_late_targets(v, std::vector<std::string>{"a"}));
}

TEST_CASE("late_target_id: a valid id, one word, distinct per n") {
  const std::string id = late_target_id(12);
  CHECK(id != late_target_id(1));
  CHECK(id.size() <= 64);
  CHECK(full_text_words("Patient/" + id) == std::vector<std::string>{"patient", id});
}

}  // namespace
}  // namespace hearth::fhir::search
