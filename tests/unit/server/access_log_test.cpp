// What the access log shows of a request target: the path and the query parameter names, not
// their values (PHI), unless --log-query-values asks for them.
#include "server/access_log.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth::server {
namespace {

std::string logged(std::string_view target, bool values = false) {
  std::string out;
  append_logged_target(out, target, values);
  return out;
}

TEST_CASE("access log target: parameter names only by default") {
  CHECK(logged("/fhir/Patient?family=Smith&birthdate=1970-01-01") ==
        "/fhir/Patient?family=&birthdate=");
  CHECK(logged("/fhir/Patient/123/_history/2") == "/fhir/Patient/123/_history/2");
  CHECK(logged("/fhir/Patient?identifier=http://x%7C123&name:exact=Ann#frag") ==
        "/fhir/Patient?identifier=&name:exact=");
  CHECK(logged("/fhir/Patient?_summary&&x=1&") == "/fhir/Patient?_summary=&x=");
  CHECK(logged("/fhir/Patient?") == "/fhir/Patient");
  CHECK(logged("/fhir/metadata#x=1") == "/fhir/metadata");
}

TEST_CASE("access log target: --log-query-values writes the target as sent") {
  CHECK(logged("/fhir/Patient?family=Smith", true) == "/fhir/Patient?family=Smith");
}

}  // namespace
}  // namespace hearth::server
