// X12 mapping: map, repair, plan on the calling thread (see the header).
#include "api/hl7/x12_mapping.h"

#include <memory>
#include <string>
#include <utility>

#include "hl7/to_fhir/bundle_repair.h"
#include "hl7/to_fhir/x12_mapper.h"

namespace hearth::api {
namespace {

MessageMapping outcome(MessageMapping::Outcome kind, std::string note) {
  MessageMapping m;
  m.outcome = kind;
  m.note = std::move(note);
  return m;
}

hl7::AckError warning(const hl7::to_fhir::MappingIssue& issue) {
  hl7::AckError e;
  e.code = hl7::ErrorCode::kDataTypeError;
  e.severity = hl7::AckSeverity::kWarning;
  e.diagnostics = issue.message;
  e.location.segment_id = issue.segment;
  e.location.segment_sequence = issue.sequence;
  e.location.field = issue.field;
  e.location.component = issue.component;
  return e;
}

}  // namespace

MessageMapping map_x12(const hl7::x12::Document& document, const std::vector<X12SetRef>& sets,
                       std::string_view message_type, std::string_view sender,
                       std::string_view control_id, const Hl7MappingContext& context) {
  std::vector<hl7::to_fhir::X12SetIndex> indices;
  indices.reserve(sets.size());
  for (const X12SetRef& s : sets) indices.push_back({s.interchange, s.group, s.transaction});
  IdGenerator& ids = context.ids;
  Result<hl7::to_fhir::MappedMessage> mapped =
      hl7::to_fhir::map_x12(document, indices, [&ids] { return ids.next_id(); });
  if (!mapped.is_ok()) {
    if (mapped.status().code() == Code::kNotImplemented) {
      return outcome(MessageMapping::Outcome::kUnmapped,
                     "unmapped: Hearth has no X12 map for " + std::string(message_type));
    }
    return outcome(MessageMapping::Outcome::kFailed, "not mapped: " + mapped.status().message());
  }
  if (mapped->resources == 0) {
    return outcome(MessageMapping::Outcome::kUnmapped,
                   "unmapped: nothing in the interchange maps to a resource");
  }
  auto doc = std::make_shared<fhir::JsonDocument>(std::move(mapped->bundle));
  std::vector<hl7::to_fhir::MappingIssue> repairs = std::move(mapped->issues);
  if (Status valid = hl7::to_fhir::repair_bundle(*doc, "", repairs); !valid.is_ok()) {
    std::string note = "not mapped: the resources are not valid FHIR";
    for (const Issue& issue : valid.issues()) {
      if (issue.severity != Severity::kError && issue.severity != Severity::kFatal) continue;
      const std::string where = hl7::to_fhir::resource_expression(*doc, issue.expression);
      note += ": " + (where.empty() ? "" : where + ": ") + issue.diagnostics;
      break;
    }
    return outcome(MessageMapping::Outcome::kFailed, std::move(note));
  }
  MessageMapping m =
      plan_mapped_bundle(std::move(doc), mapped->resources, std::string(sender),
                         std::string(control_id), std::string(message_type), context);
  if (m.outcome == MessageMapping::Outcome::kMapped) {
    for (const hl7::to_fhir::MappingIssue& issue : repairs) m.errors.push_back(warning(issue));
  }
  return m;
}

}  // namespace hearth::api
