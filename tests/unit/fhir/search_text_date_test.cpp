// The two normal forms shared by search indexing and search queries: folded text and the
// instant range a date value covers.
#include <doctest/doctest.h>

#include "core/time_format.h"
#include "fhir/search/date_range.h"
#include "fhir/search/text_fold.h"

namespace hearth::fhir::search {
namespace {

std::int64_t at(const char* instant) {
  return *parse_instant_lower_bound(instant);
}

TEST_CASE("fold_text drops case and accents, keeps everything else") {
  CHECK(fold_text("Chalmers") == "chalmers");
  CHECK(fold_text("CHALMERS") == "chalmers");
  CHECK(fold_text("Ch\xc3\xa4lmers") == "chalmers");  // ä
  CHECK(fold_text("\xc3\x89"
                  "ric M\xc3\xbcller") == "eric muller");  // É, ü
  CHECK(fold_text("Stra\xc3\x9f"
                  "e") == "strasse");  // ß folds to ss
  CHECK(fold_text("O'Brien-Smith 3") == "o'brien-smith 3");
  CHECK(fold_text("") == "");
  CHECK(fold_text("\xe6\x9d\xb1\xe4\xba\xac") == "\xe6\x9d\xb1\xe4\xba\xac");  // 東京 unchanged
}

TEST_CASE("date_range covers the whole precision of the value") {
  auto year = date_range("2020");
  REQUIRE(year);
  CHECK(year->low == at("2020-01-01T00:00:00Z"));
  CHECK(year->high == at("2021-01-01T00:00:00Z") - 1);

  auto month = date_range("2020-02");
  REQUIRE(month);
  CHECK(month->low == at("2020-02-01T00:00:00Z"));
  CHECK(month->high == at("2020-03-01T00:00:00Z") - 1);  // leap year: 29 days

  auto december = date_range("2019-12");
  REQUIRE(december);
  CHECK(december->high == at("2020-01-01T00:00:00Z") - 1);

  auto day = date_range("1974-12-25");
  REQUIRE(day);
  CHECK(day->low == at("1974-12-25T00:00:00Z"));
  CHECK(day->high == at("1974-12-26T00:00:00Z") - 1);

  auto minute = date_range("2020-03-04T10:15+02:00");
  REQUIRE(minute);
  CHECK(minute->low == at("2020-03-04T08:15:00Z"));
  CHECK(minute->high == at("2020-03-04T08:16:00Z") - 1);

  auto second = date_range("2020-03-04T10:15:07Z");
  REQUIRE(second);
  CHECK(second->high - second->low == 999'999);

  auto millis = date_range("2020-03-04T10:15:07.250-05:00");
  REQUIRE(millis);
  CHECK(millis->low == at("2020-03-04T15:15:07.250Z"));
  CHECK(millis->high == millis->low + 999);

  auto before_epoch = date_range("1900-01-01");
  REQUIRE(before_epoch);
  CHECK(before_epoch->low == at("1900-01-01T00:00:00Z"));
}

TEST_CASE("date_range rejects what is not a date") {
  CHECK_FALSE(date_range(""));
  CHECK_FALSE(date_range("yesterday"));
  CHECK_FALSE(date_range("2020-13"));
  CHECK_FALSE(date_range("2021-02-30"));
  CHECK_FALSE(date_range("2020-01-01T25:00Z"));
}

}  // namespace
}  // namespace hearth::fhir::search
