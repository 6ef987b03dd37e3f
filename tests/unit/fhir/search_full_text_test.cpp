// The words of _text and _content (fhir/search/full_text.h): narrative tags dropped and
// references decoded, every string of the resource but the server's own, folded, each once,
// bounded.
#include <doctest/doctest.h>

#include <string>

#include "fhir/json.h"
#include "fhir/search/full_text.h"
#include "fhir/search/index_values.h"

namespace hearth::fhir::search {
namespace {

FullText words_of(const std::string& json) {
  auto doc = parse_json(json);
  REQUIRE_MESSAGE(doc.is_ok(), json);
  return full_text(*doc);
}

TEST_CASE("full text: the narrative without its markup") {
  FullText t = words_of(
      R"({"resourceType":"Patient","id":"p1","text":{"status":"generated","div":)"
      R"("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\"x\">Jos&#233; <b>ALLERGIC</b>)"
      R"(&amp;&#x41;bc &bogus; x&lt;y<!-- hidden --></p><table><tr><td>a</td><td>b</td></tr>)"
      R"(</table></div>"}})");
  CHECK(t.narrative == "jose allergic abc bogus x y a b");
  // The content holds the narrative's words and the other strings; not the id.
  CHECK(t.content == "generated jose allergic abc bogus x y a b");
}

TEST_CASE("full text: content is every string but resourceType, id and the server's meta") {
  FullText t =
      words_of(R"({"resourceType":"Observation","id":"abc","meta":{"versionId":"7","lastUpdated":)"
               R"("2020-01-01T00:00:00Z","tag":[{"code":"Flagged"}]},"status":"final","code":)"
               R"j({"text":"Body-weight (kg)"},"valueQuantity":{"value":70.5,"unit":"kg"},)j"
               R"("contained":[{"resourceType":"Patient","id":"c1","name":[{"family":"Müller"}]}],)"
               R"("valueBoolean":true})");
  CHECK(t.narrative.empty());
  // Numbers and booleans are no words; the contained resource's strings are (its id too: only
  // the resource's own id is the server's).
  CHECK(t.content == "flagged final body weight kg c1 muller");
}

TEST_CASE("full text: words are bounded and kept once") {
  const std::string long_word(kMaxWordBytes + 1, 'a');
  FullText t =
      words_of(R"({"resourceType":"Basic","code":{"text":"x )" + long_word + R"( y x Y"}})");
  CHECK(t.content == "x y");
  std::string big;
  for (int i = 0; i < 60000; ++i) big += "w" + std::to_string(i) + " ";
  FullText capped = words_of(R"({"resourceType":"Basic","code":{"text":")" + big + "\"}}");
  CHECK(capped.content.size() <= kMaxTextBytes);
  CHECK(capped.content.size() > kMaxTextBytes - 16);
  CHECK(full_text_words("Straße, 東京 x") == std::vector<std::string>{"strasse", "東京", "x"});
  CHECK(full_text_words(" -- ").empty());
}

TEST_CASE("full text: extract_index fills it from the same document") {
  auto doc = parse_json(R"({"resourceType":"Patient","name":[{"family":"Smith"}]})");
  REQUIRE(doc.is_ok());
  auto values = extract_index(*doc);
  REQUIRE(values.is_ok());
  CHECK(values->text.content == "smith");
}

}  // namespace
}  // namespace hearth::fhir::search
