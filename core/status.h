// Hearth's one error model: a Status is a code plus the issues that explain it, and a
// Result<T> is either a value or a non-ok Status. Errors travel as these values across every
// layer boundary; the edge (REST, MLLP, CLI) turns them into an OperationOutcome, an ERR
// segment or a message. See code_table.h for how a code maps to HTTP and FHIR IssueType.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace hearth {

// A small closed set; each has one HTTP status and one default FHIR IssueType (code_table.h).
enum class Code {
  kOk,
  kMalformed,             // 400: unparsable request or body
  kInvalidArgument,       // 400: parsable but wrong parameter (bad _count, bad id in URL)
  kUnauthorized,          // 401
  kForbidden,             // 403
  kNotFound,              // 404: unknown type, id or version
  kMethodNotAllowed,      // 405
  kNotAcceptable,         // 406: no representation we serve matches Accept/_format
  kConflict,              // 409: version conflict without If-Match, duplicate id
  kGone,                  // 410: resource deleted
  kPreconditionFailed,    // 412: If-Match mismatch
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kUnprocessable,         // 422: well-formed but invalid FHIR content
  kNotImplemented,        // 501
  kUnavailable,           // 503: store unreachable, shutting down
  kInternal,              // 500: a bug or an unexpected backend failure
};

enum class Severity { kFatal, kError, kWarning, kInformation };

// One problem found in data or a request. `type` is a FHIR IssueType code ("invalid",
// "structure", "required", "value", "not-found", ...); empty means "the code's default".
// `expression` is a FHIRPath location such as "Patient.name[1].given[0]" (may be empty).
struct Issue {
  Severity severity = Severity::kError;
  std::string type;
  std::string diagnostics;
  std::string expression;
};

class Status {
 public:
  Status() = default;  // ok
  Status(Code code, std::string diagnostics, std::string expression = {}, std::string type = {})
      : code_(code) {
    issues_.push_back(
        Issue{Severity::kError, std::move(type), std::move(diagnostics), std::move(expression)});
  }
  Status(Code code, std::vector<Issue> issues) : code_(code), issues_(std::move(issues)) {}

  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::vector<Issue>& issues() const { return issues_; }
  std::vector<Issue>& issues() { return issues_; }
  // The first issue's diagnostics, or "" when there is none; handy for logs and tests.
  std::string message() const { return issues_.empty() ? std::string() : issues_[0].diagnostics; }

 private:
  Code code_ = Code::kOk;
  std::vector<Issue> issues_;
};

// A value or an error. Access to value() on an error is a bug in the caller (asserted).
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).is_ok());
  }

  bool is_ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return is_ok(); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; Status::ok() when this holds a value.
  Status status() const { return is_ok() ? Status() : std::get<Status>(data_); }
  Status&& take_status() && { return std::get<Status>(std::move(data_)); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace hearth

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define HEARTH_RETURN_IF_ERROR(expr)                    \
  do {                                                  \
    ::hearth::Status hearth_status_ = (expr);           \
    if (!hearth_status_.is_ok()) return hearth_status_; \
  } while (0)

// Evaluates `expr` (a Result<T>) once: on an error returns its Status from the enclosing
// function (which returns a Status or any Result), else moves the value into `lhs`, a
// declaration (`auto doc`, `std::int64_t count`) or an assignable variable. It expands to
// several statements: give it braces as the body of an if or a loop.
#define HEARTH_ASSIGN_OR_RETURN(lhs, ...) \
  HEARTH_ASSIGN_OR_RETURN_IMPL_(HEARTH_STATUS_CONCAT_(hearth_result_, __LINE__), lhs, __VA_ARGS__)

#define HEARTH_ASSIGN_OR_RETURN_IMPL_(result, lhs, ...)        \
  auto result = (__VA_ARGS__);                                 \
  if (!result.is_ok()) return std::move(result).take_status(); \
  lhs = std::move(result).value()
#define HEARTH_STATUS_CONCAT_(a, b) HEARTH_STATUS_CONCAT_INNER_(a, b)
#define HEARTH_STATUS_CONCAT_INNER_(a, b) a##b
