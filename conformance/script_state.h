// The mutable state of one TestScript run: its fixtures (static resources, and the requests and
// responses recorded under requestId/responseId), the last exchange, and its variables, with the
// ${name} substitution every operation and assert applies to its strings.
//
// Variables are evaluated when used (a variable over a response fixture sees the latest
// response), in this order: a --var override, then `expression` (FHIRPath) or `headerField`
// against `sourceId` (else the last response), then `defaultValue`. `path` is evaluated when it
// is in the XPath subset of simple_xpath.h, else reported unsupported. Not thread-safe; owned by
// one engine run.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "conformance/http_transport.h"
#include "core/status.h"
#include "fhir/json.h"

namespace hearth::conformance {

struct Fixture {
  std::shared_ptr<fhir::JsonDocument> resource;  // the parsed body; null when none or unparsable
  std::string body_error;                        // why `resource` is null although a body exists
  // Recorded exchanges (responseId/requestId and the last response) also keep the HTTP parts.
  bool is_exchange = false;
  HttpRequest request;
  int status = 0;
  Headers headers;
  std::string raw_body;
  // The resource's identity on the server once created/updated from this fixture (autocreate,
  // or an operation with this fixture as sourceId); used by targetId and autodelete.
  std::string server_type;
  std::string server_id;
  std::string server_version;

  // resourceType of `resource`, or "".
  std::string resource_type() const;
};

// Parses a response or request body: FHIR XML when `content_type` says xml or the body starts
// with '<', else FHIR JSON. An empty body gives a fixture with no resource and no error.
Fixture fixture_from_body(std::string_view body, std::string_view content_type);

class ScriptState {
 public:
  // `script` outlives the state; `overrides` are --var NAME=VALUE.
  ScriptState(const fhir::JsonValue& script, std::map<std::string, std::string> overrides);

  // The TestScript being run.
  const fhir::JsonValue& script() const { return script_; }
  std::map<std::string, Fixture>& fixtures() { return fixtures_; }
  // The fixture with this id, or nullptr.
  Fixture* find(std::string_view id);
  // The last exchange (nullptr before the first operation).
  const Fixture* last() const { return last_ ? &*last_ : nullptr; }
  void set_last(Fixture exchange) { last_ = std::move(exchange); }

  // The value of variable `name`. Errors: kNotFound for an unknown variable;
  // kNotImplemented for a `path` outside the XPath subset; kInvalidArgument when its expression
  // does not compile or evaluate, or when it has no value and no defaultValue (the message includes
  // its hint).
  Result<std::string> variable(std::string_view name);
  // `text` with every ${name} replaced by its variable's value; errors as variable().
  Result<std::string> substitute(std::string_view text);

 private:
  const fhir::JsonValue& script_;
  std::map<std::string, std::string> overrides_;
  std::map<std::string, Fixture> fixtures_;
  std::optional<Fixture> last_;
};

}  // namespace hearth::conformance
