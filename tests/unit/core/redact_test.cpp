#include "core/redact.h"

#include <doctest/doctest.h>

namespace hearth {

TEST_CASE("redact_credentials: URL passwords are masked, user and host stay") {
  CHECK(redact_credentials("postgresql://hearth:s3cret@db:5432/hearth") ==
        "postgresql://hearth:***@db:5432/hearth");
  CHECK(redact_credentials("cannot open store 'postgres://u:p%40ss@h/db': refused") ==
        "cannot open store 'postgres://u:***@h/db': refused");
  CHECK(redact_credentials("postgresql://only-user@h/db") == "postgresql://only-user@h/db");
  CHECK(redact_credentials("postgresql://h:5432/db") == "postgresql://h:5432/db");
  CHECK(redact_credentials("http://127.0.0.1:8080/fhir") == "http://127.0.0.1:8080/fhir");
  CHECK(redact_credentials("sqlite:./hearth-data/hearth.db") == "sqlite:./hearth-data/hearth.db");
}

TEST_CASE("redact_credentials: password= keywords, bare, quoted, in a query string") {
  CHECK(redact_credentials("host='db' password='s3 \\' cret' dbname='x'") ==
        "host='db' password=*** dbname='x'");
  CHECK(redact_credentials("user=a password=s3cret host=b") == "user=a password=*** host=b");
  CHECK(redact_credentials("PASSWORD = s3cret") == "PASSWORD = ***");
  CHECK(redact_credentials("postgresql://h/db?user=a&password=s3cret&sslmode=off") ==
        "postgresql://h/db?user=a&password=***&sslmode=off");
  CHECK(redact_credentials("password authentication failed for user \"a\"") ==
        "password authentication failed for user \"a\"");
  CHECK(redact_credentials("password=") == "password=***");
  CHECK(redact_credentials("for 'postgresql://h/db?password=s3cret': refused") ==
        "for 'postgresql://h/db?password=***': refused");
}

}  // namespace hearth
