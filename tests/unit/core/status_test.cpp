#include "core/status.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/clock.h"
#include "core/code_table.h"

using namespace hearth;

TEST_CASE("Status carries a code and its issues") {
  Status ok;
  CHECK(ok.is_ok());
  Status err(Code::kUnprocessable, "bad date", "Patient.birthDate", "value");
  CHECK_FALSE(err.is_ok());
  CHECK(err.code() == Code::kUnprocessable);
  REQUIRE(err.issues().size() == 1);
  CHECK(err.issues()[0].expression == "Patient.birthDate");
  CHECK(err.message() == "bad date");
}

TEST_CASE("Result holds a value or an error") {
  Result<int> value = 7;
  CHECK(value.is_ok());
  CHECK(*value == 7);
  Result<int> error = Status(Code::kNotFound, "no such thing");
  CHECK_FALSE(error.is_ok());
  CHECK(error.status().code() == Code::kNotFound);
}

namespace {
Result<std::string> word(bool ok) {
  if (!ok) return Status(Code::kInvalidArgument, "no word");
  return std::string("word");
}

// Two values through the macros; the first error ends the function.
Result<std::size_t> total_length(bool first_ok, bool second_ok, int* reached) {
  HEARTH_ASSIGN_OR_RETURN(std::string first, word(first_ok));
  ++*reached;
  std::string second;
  HEARTH_ASSIGN_OR_RETURN(second, word(second_ok));
  ++*reached;
  return first.size() + second.size();
}

Status check_both(bool first_ok, bool second_ok) {
  int reached = 0;
  HEARTH_RETURN_IF_ERROR(total_length(first_ok, second_ok, &reached).status());
  return Status::ok();
}
}  // namespace

TEST_CASE("HEARTH_ASSIGN_OR_RETURN: the value on success, the first error returned as it is") {
  int reached = 0;
  Result<std::size_t> both = total_length(true, true, &reached);
  REQUIRE(both.is_ok());
  CHECK(*both == 8);
  CHECK(reached == 2);
  reached = 0;
  Result<std::size_t> second = total_length(true, false, &reached);
  CHECK(second.status().code() == Code::kInvalidArgument);
  CHECK(second.status().message() == "no word");
  CHECK(reached == 1);
  reached = 0;
  CHECK_FALSE(total_length(false, true, &reached).is_ok());
  CHECK(reached == 0);
  CHECK(check_both(true, true).is_ok());
  CHECK(check_both(true, false).code() == Code::kInvalidArgument);
}

TEST_CASE("code table maps codes to HTTP statuses and IssueTypes") {
  CHECK(http_status(Code::kMalformed) == 400);
  CHECK(http_status(Code::kNotFound) == 404);
  CHECK(http_status(Code::kGone) == 410);
  CHECK(http_status(Code::kPreconditionFailed) == 412);
  CHECK(http_status(Code::kPayloadTooLarge) == 413);
  CHECK(http_status(Code::kUnsupportedMediaType) == 415);
  CHECK(http_status(Code::kUnprocessable) == 422);
  CHECK(http_status(Code::kInternal) == 500);
  CHECK(issue_type(Code::kGone) == "deleted");
  CHECK(issue_type(Code::kNotFound) == "not-found");
  CHECK(severity_code(Severity::kWarning) == "warning");
}

namespace {
class SteppingClock final : public Clock {
 public:
  std::int64_t now_micros() const override { return micros; }
  std::int64_t micros = 1'700'000'000'123'456;  // 2023-11-14T22:13:20.123456Z
};
}  // namespace

TEST_CASE("uuid ids are distinct, valid FHIR ids, version 7") {
  SteppingClock clock;
  auto ids = make_uuid_generator(clock);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = ids->next_id();
    CHECK(id.size() == 36);
    CHECK(id[14] == '7');
    CHECK((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
    CHECK(id.find_first_not_of("0123456789abcdef-") == std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("uuid ids carry the millisecond and sort in the order they were made") {
  SteppingClock clock;
  auto ids = make_uuid_generator(clock);
  const std::string first = ids->next_id();
  // 1700000000123 ms = 0x18bcfe5687b: the first 48 bits, as 12 hex digits with one dash.
  CHECK(first.substr(0, 13) == "018bcfe5-687b");
  std::string previous = first;
  // More ids than the 4096 a millisecond's counter holds, with the clock frozen, moving on and
  // stepping back: every id still sorts after the one before.
  for (int i = 0; i < 10'000; ++i) {
    if (i == 5'000) clock.micros += 2'000;
    if (i == 7'000) clock.micros -= 60'000'000;
    std::string id = ids->next_id();
    REQUIRE(id > previous);
    previous = id;
  }
}
