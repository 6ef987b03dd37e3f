// A hand-written scanner over the path text: steps separated by '.', each a name, an optional
// "[n]" or "[n-m]", and an optional "(Type[k].rest)" whose rest continues the same step list.
#include "hl7/to_fhir/target_path.h"

#include <cctype>

namespace hearth::hl7::to_fhir {
namespace {

class PathScanner {
 public:
  explicit PathScanner(std::string_view text) : text_(text) {}

  Result<TargetPath> scan() {
    TargetPath path;
    HEARTH_RETURN_IF_ERROR(steps(path, 0));
    if (peek() == '=') {
      ++pos_;
      std::string_view constant = text_.substr(pos_);
      if (constant.size() < 2 || constant.front() != '"' || constant.back() != '"') {
        return fail("expected a quoted constant after '='");
      }
      path.constant = std::string(constant.substr(1, constant.size() - 2));
      pos_ = text_.size();
    }
    if (pos_ != text_.size()) return fail("unexpected character");
    if (path.steps.empty()) return fail("no element");
    return path;
  }

 private:
  // Steps until the end, or the ')' closing a reference at `depth` > 0.
  Status steps(TargetPath& path, int depth) {
    for (;;) {
      TargetStep step;
      if (peek() == '$') {
        ++pos_;
        step.name = "$" + name();
        if (step.name == "$") return fail("expected a name after '$'");
      } else {
        step.name = name();
      }
      if (peek() == '[') HEARTH_RETURN_IF_ERROR(instance(step.instance, step.instance_to));
      if (step.name.empty() && step.instance == 0) return fail("expected an element");
      if (peek() == '.' && peek(1) == '(') ++pos_;  // "organization.(Organization)"
      const bool opens = peek() == '(';
      if (opens) {
        ++pos_;
        step.reference_type = name();
        while (peek() == '|') {  // "(Organization|Device)"
          ++pos_;
          const std::string alternative = name();
          if (alternative.empty()) return fail("expected a resource type after '|'");
        }
        if (step.reference_type.empty() ||
            std::isupper(static_cast<unsigned char>(step.reference_type[0])) == 0) {
          return fail("expected a resource type after '('");
        }
        int ignored = 0;
        if (peek() == '[') HEARTH_RETURN_IF_ERROR(instance(step.reference_instance, ignored));
      }
      path.steps.push_back(std::move(step));
      if (opens) {
        if (peek() == '.') {
          ++pos_;
          HEARTH_RETURN_IF_ERROR(steps(path, depth + 1));
        }
        if (peek() == ')') {
          ++pos_;
        } else if (pos_ != text_.size()) {
          return fail("expected ')'");
        }  // a missing ')' at the end is forgiven
      }
      if (depth > 0 && peek() == ')') return Status();
      if (peek() != '.') return Status();
      ++pos_;
    }
  }

  Status instance(int& from, int& to) {
    ++pos_;  // '['
    if (text_.substr(pos_, 5) == "each]") {
      pos_ += 5;
      from = to = kEachInstance;
      return Status();
    }
    from = number();
    to = from;
    if (peek() == '-') {
      ++pos_;
      to = number();
    }
    if (from <= 0 || to < from || peek() != ']') return fail("expected [n] or [n-m]");
    ++pos_;
    return Status();
  }

  std::string name() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '_')) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  int number() {
    int value = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0 &&
           value < 10000) {
      value = value * 10 + (text_[pos_++] - '0');
    }
    return value;
  }

  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  Status fail(std::string_view what) const {
    return Status(Code::kInvalidArgument, std::string(what) + " at offset " + std::to_string(pos_) +
                                              " of \"" + std::string(text_) + "\"");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<TargetPath> parse_target_path(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return PathScanner(text).scan();
}

}  // namespace hearth::hl7::to_fhir
