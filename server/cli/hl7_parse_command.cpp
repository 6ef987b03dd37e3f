// File -> hl7::Batch -> one hl7::MessageView per message -> text tree or JSON.
#include "server/cli/hl7_parse_command.h"

#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "fhir/json.h"
#include "hl7/to_fhir/bundle_repair.h"
#include "hl7/to_fhir/message_mapper.h"
#include "hl7/v2/batch.h"

namespace hearth::server {
namespace {

void line(std::string& out, int depth, std::string_view label, std::string_view value) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  out += indent;
  out += label;
  if (!value.empty()) {
    out += "  ";
    // A decoded line break (\.br\) continues under the label, keeping the tree readable.
    for (char c : value) {
      out.push_back(c);
      if (c == '\n') out += indent + "  ";
    }
  }
  out.push_back('\n');
}

bool empty(const hl7::ViewComponent& component) {
  for (const std::string& sub : component) {
    if (!sub.empty()) return false;
  }
  return true;
}

bool empty(const hl7::ViewRepetition& repetition) {
  for (const hl7::ViewComponent& component : repetition) {
    if (!empty(component)) return false;
  }
  return true;
}

void component_lines(std::string& out, int depth, const std::string& label,
                     const hl7::ViewComponent& component) {
  if (empty(component)) return;
  if (component.size() == 1) {
    line(out, depth, label, component.front());
    return;
  }
  line(out, depth, label, {});
  for (std::size_t k = 0; k < component.size(); ++k) {
    if (!component[k].empty()) {
      line(out, depth + 1, label + "." + std::to_string(k + 1), component[k]);
    }
  }
}

void repetition_lines(std::string& out, int depth, const std::string& label,
                      const hl7::ViewRepetition& repetition) {
  if (empty(repetition)) return;
  if (repetition.size() == 1) {
    component_lines(out, depth, label, repetition.front());
    return;
  }
  line(out, depth, label, {});
  for (std::size_t j = 0; j < repetition.size(); ++j) {
    component_lines(out, depth + 1, label + "." + std::to_string(j + 1), repetition[j]);
  }
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kNotFound, "cannot open '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(Code::kUnavailable, "cannot read '" + path + "'");
  return text.str();
}

}  // namespace

std::string hl7_tree_text(const hl7::MessageView& view) {
  std::string out;
  std::map<std::string, int> seen;
  for (const hl7::SegmentView& segment : view.segments) {
    const int occurrence = ++seen[segment.name];
    line(out, 0,
         occurrence == 1 ? segment.name : segment.name + "[" + std::to_string(occurrence) + "]",
         {});
    for (const hl7::FieldView& field : segment.fields) {
      const std::string label = segment.name + "-" + std::to_string(field.number);
      if (field.repetitions.size() == 1) {
        repetition_lines(out, 1, label, field.repetitions.front());
        continue;
      }
      for (std::size_t i = 0; i < field.repetitions.size(); ++i) {
        repetition_lines(out, 1, label + "[" + std::to_string(i + 1) + "]", field.repetitions[i]);
      }
    }
  }
  return out;
}

namespace {

// --fhir: each message's mapped and repaired Bundle on `out`, its issues on `err`.
int print_fhir(const hl7::Batch& batch, std::ostream& out, std::ostream& err) {
  const hl7::to_fhir::MessageMapper mapper;
  int n = 0, status = 0;
  for (const hl7::BatchGroup& group : batch.groups()) {
    for (const hl7::Message& message : group.messages) {
      ++n;
      const std::string prefix = "message " + std::to_string(n) + ": ";
      auto mapped = mapper.map(message, [&n, i = 0]() mutable {
        return "m" + std::to_string(n) + "-" + std::to_string(++i);
      });
      if (!mapped) {
        err << prefix << mapped.status().message() << '\n';
        status = 1;
        continue;
      }
      fhir::JsonDocument& doc = mapped->bundle;
      std::vector<hl7::to_fhir::MappingIssue> issues = std::move(mapped->issues);
      Status valid = hl7::to_fhir::repair_bundle(doc, message.trigger_event(), issues);
      for (const hl7::to_fhir::MappingIssue& issue : issues) {
        err << prefix
            << (issue.segment.empty() ? ""
                                      : issue.segment + "-" + std::to_string(issue.field) + ": ")
            << issue.message << '\n';
      }
      if (!valid.is_ok()) {
        for (const Issue& issue : valid.issues()) {
          if (issue.severity == Severity::kError || issue.severity == Severity::kFatal) {
            err << prefix << "refused: " << issue.expression << ": " << issue.diagnostics << '\n';
          }
        }
        status = 1;
      }
      out << fhir::write_json(doc) << '\n';
    }
  }
  return status;
}

}  // namespace

int run_hl7_parse(const Hl7ParseOptions& options, std::ostream& out, std::ostream& err) {
  auto text = read_file(options.path);
  if (!text) {
    err << text.status().message() << '\n';
    return 1;
  }
  hl7::ParseError error;
  auto batch = hl7::Batch::parse(std::string_view(*text), &error);
  if (!batch) {
    const std::string location = hl7::format_location(error.location);
    err << options.path << ": not a valid HL7 v2 message: " << error.message << " (code "
        << static_cast<int>(error.code) << " " << hl7::error_code_text(error.code)
        << (location.empty() ? std::string() : ", at " + location) << ")\n";
    return 1;
  }
  if (options.fhir) return print_fhir(*batch, out, err);
  std::vector<hl7::MessageView> views;
  for (const hl7::BatchGroup& group : batch->groups()) {
    for (const hl7::Message& message : group.messages) views.push_back(hl7::view_of(message));
  }
  if (options.json) {
    out << api::pretty_json([&](api::PrettyJsonWriter& w) {
      if (views.size() == 1) {
        api::write_hl7_view(w, views.front());
      } else {
        w.StartArray();
        for (const hl7::MessageView& view : views) api::write_hl7_view(w, view);
        w.EndArray();
      }
    });
    return 0;
  }
  for (std::size_t i = 0; i < views.size(); ++i) {
    if (views.size() > 1) {
      out << (i == 0 ? "" : "\n") << "# message " << i + 1 << " of " << views.size() << '\n';
    }
    out << hl7_tree_text(views[i]);
  }
  return 0;
}

}  // namespace hearth::server
