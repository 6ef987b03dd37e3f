// JUnit XML writer; text is escaped for XML 1.0 (control characters dropped, bad UTF-8 replaced).
#include "conformance/junit.h"

#include "conformance/json_util.h"

namespace hearth::conformance {
namespace {

// XML 1.0 text: markup escaped, control characters dropped, invalid UTF-8 (a binary response
// excerpt) replaced by U+FFFD so the document always parses.
std::string escape(const std::string& raw) {
  std::string text = valid_utf8(raw);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string details(const TestResult& test, Outcome wanted) {
  std::string out;
  for (const auto& a : test.actions) {
    bool match = wanted == Outcome::kFail
                     ? (a.outcome == Outcome::kFail || a.outcome == Outcome::kError)
                     : a.outcome == wanted;
    if (!match) continue;
    out += "[" + std::string(outcome_code(a.outcome)) + "] " + a.label + ": " + a.message + "\n";
    if (!a.request.empty()) {
      out += "  request: " + a.request + (a.status ? " -> " + std::to_string(a.status) : "") + "\n";
    }
    if (!a.response_excerpt.empty()) out += "  response: " + a.response_excerpt + "\n";
  }
  return out;
}

std::string first_message(const TestResult& test, Outcome wanted) {
  for (const auto& a : test.actions) {
    bool match = wanted == Outcome::kFail
                     ? (a.outcome == Outcome::kFail || a.outcome == Outcome::kError)
                     : a.outcome == wanted;
    if (match) return a.label + ": " + a.message;
  }
  return {};
}

void write_case(std::string& out, const std::string& suite, const TestResult& test) {
  out += "    <testcase classname=\"" + escape(suite) + "\" name=\"" + escape(test.name) + "\"";
  Outcome o = test.outcome();
  if (o == Outcome::kPass) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (o == Outcome::kFail) {
    out += "      <failure message=\"" + escape(first_message(test, Outcome::kFail)) + "\">" +
           escape(details(test, Outcome::kFail)) + "</failure>\n";
  } else {
    out += "      <skipped message=\"" + escape(first_message(test, Outcome::kSkip)) + "\"/>\n";
  }
  out += "    </testcase>\n";
}

}  // namespace

std::string junit_xml(const std::vector<ScriptResult>& results) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  for (const auto& r : results) {
    std::vector<TestResult> cases;
    if (!r.load_error.empty()) {
      TestResult load;
      load.name = "load";
      load.actions.push_back(ActionResult{.is_operation = true,
                                          .outcome = Outcome::kError,
                                          .label = "load",
                                          .message = r.load_error,
                                          .request = "",
                                          .status = 0,
                                          .response_excerpt = ""});
      cases.push_back(std::move(load));
    }
    if (r.setup.outcome() == Outcome::kFail) cases.push_back(r.setup);
    for (const auto& t : r.tests) cases.push_back(t);
    if (r.teardown.outcome() == Outcome::kFail) cases.push_back(r.teardown);
    int failures = 0;
    int skipped = 0;
    for (const auto& c : cases) {
      failures += c.outcome() == Outcome::kFail ? 1 : 0;
      skipped += c.outcome() == Outcome::kSkip ? 1 : 0;
    }
    out += "  <testsuite name=\"" + escape(r.name) + "\" tests=\"" + std::to_string(cases.size()) +
           "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
           std::to_string(skipped) + "\"";
    if (!r.issued.empty()) out += " timestamp=\"" + escape(r.issued) + "\"";
    out += ">\n";
    if (!r.file.empty()) {
      out += "    <properties><property name=\"file\" value=\"" + escape(r.file) +
             "\"/></properties>\n";
    }
    for (const auto& c : cases) write_case(out, r.name, c);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace hearth::conformance
