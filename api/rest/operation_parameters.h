// The inputs of a FHIR operation (operations.html#request) read the same way whether they come
// in the query string (GET) or as a Parameters body (POST), and the Parameters answer most
// operations give. What Hearth's terminology operations ($lookup, $expand, $subsumes,
// $translate, $validate-code) share.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/rest/interactions.h"
#include "api/rest/json_writer.h"
#include "core/status.h"

namespace hearth::api {

// Parameters one operation request may carry, and the longest value read.
inline constexpr std::size_t kMaxOperationParams = 64;
inline constexpr std::size_t kMaxOperationValue = 4096;

// Name -> text pairs in order. A Parameters body's value[x] of a primitive type is its text
// (booleans and numbers as written in JSON); a valueCoding becomes "<name>.system",
// "<name>.code" and "<name>.display"; parts and resources are not read.
class OperationParams {
 public:
  // The first value of `name`, or nullptr.
  const std::string* get(std::string_view name) const;
  void add(std::string name, std::string value);
  const std::vector<std::pair<std::string, std::string>>& all() const { return values_; }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// The request's parameters: its query string, and for POST also its body, which must be a
// Parameters. Errors: kMalformed for a body that is not JSON, kInvalidArgument for a body that
// is not a Parameters, more than kMaxOperationParams parameters, or a value longer than
// kMaxOperationValue.
Result<OperationParams> read_operation_params(const InteractionContext& ctx);

// Builds a Parameters answer: {"resourceType":"Parameters","parameter":[...]}.
class ParametersWriter {
 public:
  ParametersWriter();
  void add_string(std::string_view name, std::string_view value);
  void add_code(std::string_view name, std::string_view value);
  void add_uri(std::string_view name, std::string_view value);
  void add_bool(std::string_view name, bool value);
  void add_coding(std::string_view name, std::string_view system, std::string_view code,
                  std::string_view display);
  // A parameter with parts: begin_part(), add_* for each part, end_part().
  void begin_part(std::string_view name);
  void end_part();
  // The body, as a 200 response in `format`.
  Response finish(ResponseFormat format);

 private:
  void value(std::string_view name, const char* key, std::string_view value);

  rapidjson::StringBuffer buffer_;
  JsonWriter w_;
};

}  // namespace hearth::api
