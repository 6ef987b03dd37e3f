// JSON Patch (fhir/patch/json_patch.h) beyond the official cases: pointer escapes, array ends,
// numbers kept as text, precise errors naming the operation, and the bounds of patch_limits.h.
#include "fhir/patch/json_patch.h"

#include <doctest/doctest.h>

#include <string>

#include "fhir/json.h"
#include "fhir/patch/json_equal.h"
#include "fhir/patch/json_pointer.h"
#include "fhir/patch/patch_limits.h"

namespace hearth::fhir::patch {
namespace {

JsonDocument json(std::string_view text) {
  auto doc = parse_json(text);
  REQUIRE_MESSAGE(doc.is_ok(), text);
  return std::move(*doc);
}

// Applies `patch` to `doc` and returns the status; `doc` holds the result.
Status apply(JsonDocument& doc, std::string_view patch) {
  JsonDocument p = json(patch);
  return apply_json_patch(p, doc);
}

void check_result(std::string_view doc_text, std::string_view patch, std::string_view expected) {
  JsonDocument doc = json(doc_text);
  Status s = apply(doc, patch);
  REQUIRE_MESSAGE(s.is_ok(), s.message());
  JsonDocument want = json(expected);
  CHECK_MESSAGE(json_equal(doc, want), write_json(doc));
}

Status failure(std::string_view doc_text, std::string_view patch) {
  JsonDocument doc = json(doc_text);
  Status s = apply(doc, patch);
  CHECK(!s.is_ok());
  return s;
}

}  // namespace

TEST_CASE("json pointer: escapes, indexes, errors") {
  auto tokens = parse_json_pointer("/a~1b/c~0d/~01");
  REQUIRE(tokens.is_ok());
  CHECK(*tokens == std::vector<std::string>{"a/b", "c~d", "~1"});
  CHECK(json_pointer_text(*tokens, 3) == "/a~1b/c~0d/~01");
  CHECK(parse_json_pointer("")->empty());
  CHECK(*parse_json_pointer("/") == std::vector<std::string>{""});
  CHECK(parse_json_pointer("a").status().code() == Code::kInvalidArgument);
  CHECK(parse_json_pointer("/~2").status().code() == Code::kInvalidArgument);
  CHECK(parse_json_pointer("/~").status().code() == Code::kInvalidArgument);
  CHECK(parse_json_pointer("/" + std::string(kMaxPatchPathBytes, 'a')).status().code() ==
        Code::kInvalidArgument);
  CHECK(parse_array_index("0") == 0u);
  CHECK(parse_array_index("12") == 12u);
  CHECK(!parse_array_index("01"));
  CHECK(!parse_array_index("-"));
  CHECK(!parse_array_index("1a"));
  CHECK(!parse_array_index("99999999999999999999999"));
}

TEST_CASE("json patch: add, remove, replace, move, copy on objects and arrays") {
  check_result(R"({"a":[1,2]})", R"([{"op":"add","path":"/a/-","value":3}])", R"({"a":[1,2,3]})");
  check_result(R"({"a":[1,2]})", R"([{"op":"add","path":"/a/0","value":0}])", R"({"a":[0,1,2]})");
  check_result(R"({"a":[1,2]})", R"([{"op":"add","path":"/a/2","value":3}])", R"({"a":[1,2,3]})");
  check_result(R"({"a":1})", R"([{"op":"add","path":"/a","value":2}])", R"({"a":2})");
  check_result(R"({"a":1})", R"([{"op":"add","path":"","value":[1]}])", R"([1])");
  check_result(R"({"a":1})", R"([{"op":"replace","path":"","value":{"b":2}}])", R"({"b":2})");
  check_result(R"({"a/b":1,"c~d":2})", R"([{"op":"remove","path":"/a~1b"},
      {"op":"replace","path":"/c~0d","value":3}])",
               R"({"c~d":3})");
  check_result(R"({"a":{"b":1},"c":[]})", R"([{"op":"copy","from":"/a","path":"/c/-"},
      {"op":"move","from":"/a/b","path":"/d"}])",
               R"({"a":{},"c":[{"b":1}],"d":1})");
  check_result(R"({"a":1})", R"([{"op":"move","from":"/a","path":"/a"}])", R"({"a":1})");
  // Numbers keep their text through every operation.
  JsonDocument doc = json(R"({"a":1.50})");
  REQUIRE(
      apply(doc, R"([{"op":"copy","from":"/a","path":"/b"},{"op":"add","path":"/c","value":1e2}])")
          .is_ok());
  CHECK(write_json(doc) == R"({"a":1.50,"b":1.50,"c":1e2})");
}

TEST_CASE("json patch: test compares numbers by value, never equal to strings") {
  check_result(R"({"a":1.50})", R"([{"op":"test","path":"/a","value":1.5}])", R"({"a":1.5})");
  check_result(R"({"a":100})", R"([{"op":"test","path":"/a","value":1e2}])", R"({"a":100})");
  check_result(R"({"a":0})", R"([{"op":"test","path":"/a","value":-0.0}])", R"({"a":0})");
  check_result(R"({"a":{"x":[1,{"y":true}],"z":null}})",
               R"([{"op":"test","path":"/a","value":{"z":null,"x":[1.0,{"y":true}]}}])",
               R"({"a":{"x":[1,{"y":true}],"z":null}})");
  CHECK(failure(R"({"a":10})", R"([{"op":"test","path":"/a","value":"10"}])").code() ==
        Code::kUnprocessable);
  CHECK(failure(R"({"a":[1,2]})", R"([{"op":"test","path":"/a","value":[2,1]}])").code() ==
        Code::kUnprocessable);
  CHECK(failure(R"({"a":true})", R"([{"op":"test","path":"/a","value":false}])").code() ==
        Code::kUnprocessable);
  CHECK(failure(R"({"a":1})", R"([{"op":"test","path":"/a","value":1.0000000001}])").code() ==
        Code::kUnprocessable);
}

TEST_CASE("json patch: errors name the operation and the path") {
  Status s = failure(R"({"name":[1]})", R"([{"op":"test","path":"/name/0","value":1},
      {"op":"replace","path":"/name/5","value":2}])");
  CHECK(s.code() == Code::kUnprocessable);
  CHECK(s.message() == "operation 1 (replace): path /name/5 does not exist");
  s = failure(R"({"q":{}})", R"([{"op":"add","path":"/a/b","value":1}])");
  CHECK(s.message() == "operation 0 (add): path /a/b does not exist (its parent /a is missing)");
  s = failure(R"({"a":[1]})", R"([{"op":"add","path":"/a/01","value":1}])");
  CHECK(s.message() == "operation 0 (add): path /a/01: '01' is not an index of 0..1 or '-'");
  CHECK(failure(R"({"a":[1]})", R"([{"op":"add","path":"/a/2","value":1}])").code() ==
        Code::kUnprocessable);
  CHECK(failure(R"({"a":[1]})", R"([{"op":"remove","path":"/a/-"}])").code() ==
        Code::kUnprocessable);
  CHECK(failure(R"({"a":"s"})", R"([{"op":"add","path":"/a/b","value":1}])").code() ==
        Code::kUnprocessable);
  CHECK(failure(R"({"a":1})", R"([{"op":"remove","path":""}])").code() == Code::kUnprocessable);
  CHECK(failure(R"({"a":1})", R"([{"op":"move","from":"/x","path":"/y"}])").message() ==
        "operation 0 (move): from /x does not exist");
  // Malformed patches are 400s.
  CHECK(failure("{}", R"({"op":"add"})").code() == Code::kInvalidArgument);
  CHECK(failure("{}", "[1]").message() == "operation 0 (?): is not a JSON object");
  CHECK(failure("{}", R"([{"path":"/a"}])").message() == "operation 0 (?): has no 'op' string");
  CHECK(failure("{}", R"([{"op":"frob","path":"/a"}])").code() == Code::kInvalidArgument);
  CHECK(failure("{}", R"([{"op":"add","path":"/a"}])").message() ==
        "operation 0 (add): has no 'value'");
  CHECK(failure("{}", R"([{"op":"add","value":1}])").message() ==
        "operation 0 (add): has no 'path'");
  CHECK(failure("{}", R"([{"op":"copy","path":"/a"}])").message() ==
        "operation 0 (copy): has no 'from'");
  CHECK(failure("{}", R"([{"op":"add","path":"a","value":1}])").code() == Code::kInvalidArgument);
  CHECK(failure("{}", R"([{"op":"add","path":5,"value":1}])").code() == Code::kInvalidArgument);
  CHECK(failure(R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a/b/c"}])").code() ==
        Code::kInvalidArgument);
}

TEST_CASE("json patch: bounds on operations, created values and depth") {
  std::string many = "[";
  for (std::size_t i = 0; i <= kMaxPatchOperations; ++i) {
    many += R"({"op":"test","path":"","value":{}},)";
  }
  many.back() = ']';
  Status s = failure("{}", many);
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK(s.message().find("at most 10000") != std::string::npos);

  // copy doubles the document each time: stopped by the created-values budget.
  std::string doubling = R"([{"op":"add","path":"/a","value":[1,2,3,4]})";
  for (int i = 0; i < 40; ++i) doubling += R"(,{"op":"copy","from":"","path":"/a/-"})";
  doubling += "]";
  s = failure("{}", doubling);
  CHECK(s.code() == Code::kUnprocessable);
  CHECK(s.message().find("more than 1048576 JSON values") != std::string::npos);

  // Nesting grows by adding into what was added: stopped at kMaxPatchedDepth.
  std::string deep = "[";
  std::string path;
  for (int i = 0; i < 300; ++i) {
    deep += R"({"op":"add","path":")" + path + R"(/a","value":{}},)";
    path += "/a";
  }
  deep.back() = ']';
  s = failure("{}", deep);
  CHECK(s.code() == Code::kUnprocessable);
  CHECK(s.message().find("deeper than 256") != std::string::npos);
}

}  // namespace hearth::fhir::patch
