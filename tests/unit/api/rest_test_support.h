// In-process REST fixture: a RestHandler over an in-memory SQLite store with a fixed clock and
// counting ids, plus request helpers.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "api/rest/rest_handler.h"
#include "fhir/json.h"
#include "storage/store.h"

namespace hearth::api::testing {

class FixedClock final : public Clock {
 public:
  std::int64_t now_micros() const override { return micros.load(); }
  std::atomic<std::int64_t> micros{1'795'456'920'000'000};
};

class CountingIds final : public IdGenerator {
 public:
  std::string next_id() override { return "id" + std::to_string(++n); }
  std::atomic<int> n{0};
};

struct RestFixture {
  RestFixture();
  Response call(std::string method, std::string path, std::string body = {},
                std::vector<std::pair<std::string, std::string>> query = {});
  Response call(Request request);

  FixedClock clock;
  CountingIds ids;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<RestHandler> handler;
};

std::string header(const Response& response, std::string_view name);
fhir::JsonDocument body_json(const Response& response);
// `text` parsed as JSON; a test failure when it does not parse.
fhir::JsonDocument json_doc(std::string_view text);
// The Bundle.total of `GET type?param=value` (a test failure unless it answers 200 with one).
int search_total(RestFixture& f, std::string type, std::string param, std::string value);

}  // namespace hearth::api::testing
