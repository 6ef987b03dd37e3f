// Mapping an accepted message: map, check, plan on the calling thread; the effect runs the plan
// in the archive's transaction and writes the Provenance.
#include "api/hl7/message_mapping.h"

#include <rapidjson/stringbuffer.h>

#include <optional>
#include <utility>

#include "api/hl7/merge_references.h"
#include "api/rest/bundle_entries.h"
#include "api/rest/entry_runner.h"
#include "api/rest/json_writer.h"
#include "api/rest/write_request.h"
#include "core/time_format.h"
#include "fhir/json.h"
#include "fhir/validate.h"
#include "hl7/to_fhir/bundle_repair.h"
#include "hl7/v2/charset.h"

namespace hearth::api {
namespace {

using hl7::to_fhir::MappingIssue;

hl7::AckError ack_error(hl7::ErrorCode code, std::string diagnostics,
                        hl7::AckSeverity severity = hl7::AckSeverity::kError) {
  hl7::AckError e;
  e.code = code;
  e.severity = severity;
  e.diagnostics = std::move(diagnostics);
  return e;
}

hl7::AckError issue_error(const MappingIssue& issue, hl7::AckSeverity severity) {
  hl7::AckError e = ack_error(hl7::ErrorCode::kDataTypeError, issue.message, severity);
  e.location.segment_id = issue.segment;
  e.location.segment_sequence = issue.sequence;
  e.location.field = issue.field;
  e.location.repetition = issue.repetition;
  e.location.component = issue.component;
  return e;
}

MessageMapping unmapped(std::string note) {
  MessageMapping m;
  m.outcome = MessageMapping::Outcome::kUnmapped;
  m.note = std::move(note);
  return m;
}

MessageMapping failed(std::string note, std::vector<hl7::AckError> errors) {
  MessageMapping m;
  m.outcome = MessageMapping::Outcome::kFailed;
  m.note = std::move(note);
  m.errors = std::move(errors);
  return m;
}

// A required FHIR element the message left empty ("Observation.code"), as v2 names it: ERR 101
// (required field missing) at the field the IG maps it from (OBX-3), in the first segment of
// that kind. nullopt when the issue is of another kind or no map writes the element.
std::optional<hl7::AckError> required_field_error(const hl7::Message& message, const Issue& issue,
                                                  const std::string& where) {
  if (issue.type != "required") return std::nullopt;
  const std::size_t dot = where.find('.');
  if (dot == std::string::npos || where.find('.', dot + 1) != std::string::npos) {
    return std::nullopt;  // a resource's own element only
  }
  const std::string type = where.substr(0, dot);
  const std::string element = where.substr(dot + 1);
  std::optional<hl7::to_fhir::V2Source> source = hl7::to_fhir::v2_source_of(type, element);
  if (!source) return std::nullopt;
  hl7::AckError e =
      ack_error(hl7::ErrorCode::kRequiredFieldMissing,
                std::string(source->segment) + "-" + std::to_string(source->field) +
                    " is required: " + type + "." + element + " cannot be made without it");
  e.location.segment_id = std::string(source->segment);
  e.location.field = source->field;
  for (std::size_t i = 0; i < message.segment_count(); ++i) {
    if (message.segment_id(i) == source->segment) {
      e.location.segment_sequence = static_cast<int>(i) + 1;
      break;
    }
  }
  return e;
}

// Everything one message's effect needs, alive until the archiving completed.
struct MappingState {
  explicit MappingState(const Hl7MappingContext& context) : ctx(context) {}
  const Hl7MappingContext& ctx;
  Request request;  // the base the entries' URLs are read against (none: relative URLs only)
  std::shared_ptr<EntryWork> work;
  std::shared_ptr<PlannedTransaction> planned;
  std::string sender, control_id, message_type;
  std::shared_ptr<std::vector<std::string>> written = std::make_shared<std::vector<std::string>>();
};

// Provenance/hl7-message-<id>: what the message produced (each version it stored), the message as
// its source entity, the sending application as its author.
std::string provenance_json(const MappingState& state, std::int64_t message_id,
                            std::int64_t now_micros) {
  const std::string id = std::to_string(message_id);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("resourceType");
  w.String("Provenance");
  w.Key("meta");
  w.StartObject();
  w.Key("source");
  write_str(w, std::string(kMessageSourcePrefix) + id);
  w.EndObject();
  w.Key("target");
  w.StartArray();
  for (const std::string& target : *state.written) {
    w.StartObject();
    w.Key("reference");
    write_str(w, target);
    w.EndObject();
  }
  w.EndArray();
  w.Key("recorded");
  write_str(w, format_instant(now_micros));
  w.Key("agent");
  w.StartArray();
  w.StartObject();
  w.Key("type");
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  w.StartObject();
  w.Key("system");
  w.String("http://terminology.hl7.org/CodeSystem/provenance-participant-type");
  w.Key("code");
  w.String("author");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.Key("who");
  w.StartObject();
  w.Key("display");
  write_str(w, state.sender);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.Key("entity");
  w.StartArray();
  w.StartObject();
  w.Key("role");
  w.String("source");
  w.Key("what");
  w.StartObject();
  w.Key("reference");
  write_str(w, std::string(kMessageSourcePrefix) + id);
  w.Key("display");
  write_str(w, state.message_type + " " + state.control_id + " from " + state.sender);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Status write_provenance(MappingState& state, storage::StoreTransaction& tx,
                        std::int64_t message_id) {
  if (state.written->empty()) return Status::ok();
  Result<fhir::JsonDocument> doc =
      fhir::parse_json(provenance_json(state, message_id, state.ctx.clock.now_micros()));
  if (!doc.is_ok()) return doc.status();
  const std::string id = std::string(kMessageProvenancePrefix) + std::to_string(message_id);
  auto write =
      build_write("Provenance", id, *doc, doc->GetAllocator(), state.ctx.limits.max_index_rows);
  if (!write.is_ok()) return write.status();
  HEARTH_RETURN_IF_ERROR(tx.update(*write).status());
  state.written->push_back("Provenance/" + id);  // listed last, after the targets it names
  return Status::ok();
}

}  // namespace

MessageMapping map_message(const hl7::Message& message, std::string_view message_type,
                           std::string_view sender, const Hl7MappingContext& context) {
  IdGenerator& ids = context.ids;
  Result<hl7::to_fhir::MappedMessage> mapped =
      context.mapper.map(message, [&ids] { return ids.next_id(); });
  if (!mapped.is_ok()) {
    if (mapped.status().code() == Code::kNotImplemented) {
      return unmapped("unmapped: the V2-to-FHIR IG has no map for " + std::string(message_type));
    }
    if (mapped.status().code() == Code::kMalformed) {  // a value JSON cannot carry
      return failed("not mapped: " + mapped.status().message(),
                    {ack_error(hl7::ErrorCode::kApplicationInternalError,
                               "the mapped resources are not valid JSON")});
    }
    return failed("not mapped: " + mapped.status().message(),
                  {ack_error(hl7::ErrorCode::kApplicationInternalError,
                             "the message could not be mapped: " + mapped.status().message())});
  }
  if (mapped->resources == 0) {
    return unmapped("unmapped: nothing in the message maps to a resource by the " +
                    mapped->map_name + " map");
  }
  auto doc = std::make_shared<fhir::JsonDocument>(std::move(mapped->bundle));
  // The resources are checked as a Bundle posted to the REST API would be: nothing the API
  // would refuse is stored through a message either. What can be repaired without inventing
  // data is (bundle_repair.h), and reported with the values the mapping left out.
  std::vector<MappingIssue> repairs = std::move(mapped->issues);
  if (Status valid = hl7::to_fhir::repair_bundle(*doc, message.trigger_event(), repairs);
      !valid.is_ok()) {
    // What the validator found first, then the values the mapping left out (one may be why).
    std::vector<hl7::AckError> errors;
    std::string note;
    for (const Issue& issue : valid.issues()) {
      if (issue.severity != Severity::kError && issue.severity != Severity::kFatal) continue;
      if (errors.size() >= 10) break;
      const std::string where = hl7::to_fhir::resource_expression(*doc, issue.expression);
      const std::string text = (where.empty() ? "" : where + ": ") + issue.diagnostics;
      if (note.empty()) note = text;
      errors.push_back(
          required_field_error(message, issue, where)
              .value_or(ack_error(hl7::ErrorCode::kApplicationInternalError,
                                  "the mapped resources are not valid FHIR: " + text)));
    }
    for (const MappingIssue& issue : repairs) {
      errors.push_back(issue_error(issue, hl7::AckSeverity::kWarning));
    }
    return failed("not mapped: " + note, std::move(errors));
  }
  std::vector<hl7::AckError> warnings;
  for (const MappingIssue& issue : repairs) {
    warnings.push_back(issue_error(issue, hl7::AckSeverity::kWarning));
  }
  MessageMapping m = plan_mapped_bundle(std::move(doc), mapped->resources, std::string(sender),
                                        hl7::to_utf8(message.control_id(), message.charset()),
                                        std::string(message_type), context, mapped->survivor_entry,
                                        mapped->merged_entry);
  if (m.outcome == MessageMapping::Outcome::kMapped) m.errors = std::move(warnings);
  return m;
}

MessageMapping plan_mapped_bundle(std::shared_ptr<fhir::JsonDocument> doc, std::size_t resources,
                                  std::string sender, std::string control_id,
                                  std::string message_type, const Hl7MappingContext& context,
                                  int survivor_entry, int merged_entry) {
  auto state = std::make_shared<MappingState>(context);
  state->sender = std::move(sender);
  state->control_id = std::move(control_id);
  state->message_type = std::move(message_type);
  BundleKind kind;
  Result<std::vector<BundleEntry>> entries = read_bundle_entries(*doc, "", kind);
  if (!entries.is_ok()) {
    return failed(
        "not mapped: " + entries.status().message(),
        {ack_error(hl7::ErrorCode::kApplicationInternalError,
                   "the mapped resources could not be planned: " + entries.status().message())});
  }
  state->work = std::make_shared<EntryWork>(
      EntryContext{context.store, context.clock, context.ids, context.limits, state->request});
  state->work->keep = doc;
  state->work->entries = std::move(entries).value();
  Result<std::shared_ptr<PlannedTransaction>> planned =
      plan_transaction(*state->work, /*at_run=*/true, context.resolve_before_commit);
  if (!planned.is_ok()) {
    return failed(
        "not mapped: " + planned.status().message(),
        {ack_error(hl7::ErrorCode::kApplicationInternalError,
                   "the mapped resources could not be planned: " + planned.status().message())});
  }
  state->planned = std::move(planned).value();

  MessageMapping m;
  m.outcome = MessageMapping::Outcome::kMapped;
  m.resources = resources;
  m.merge = survivor_entry >= 0 && merged_entry >= 0;
  m.written = state->written;
  m.effect = [state, survivor_entry, merged_entry](storage::StoreTransaction& tx,
                                                   std::int64_t message_id) -> Status {
    state->written->clear();
    const std::string source = std::string(kMessageSourcePrefix) + std::to_string(message_id);
    HEARTH_RETURN_IF_ERROR(state->planned->run(tx, source));
    // What the message produced: the versions it stored. A resource it only links (a match of a
    // conditional create, an update that changed nothing) is not a Provenance target (R4:
    // "generated or updated by the activity").
    for (const EntryResult& result : state->planned->results()) {
      if (!result.wrote || !result.version || result.version->version == 0) continue;
      const storage::ResourceVersion& v = *result.version;
      state->written->push_back(v.type + "/" + v.id + "/_history/" + std::to_string(v.version));
    }
    if (survivor_entry >= 0 && merged_entry >= 0) {
      const std::vector<EntryResult>& results = state->planned->results();
      const auto id_of = [&results](int entry) -> std::string {
        const std::size_t i = static_cast<std::size_t>(entry);
        return i < results.size() && results[i].version ? results[i].version->id : std::string();
      };
      const std::string survivor = id_of(survivor_entry);
      const std::string merged = id_of(merged_entry);
      if (survivor.empty() || merged.empty()) {
        return Status(Code::kInternal, "the merge's patients were not written");
      }
      HEARTH_ASSIGN_OR_RETURN(
          std::vector<storage::ResourceVersion> moved,
          move_patient_references(tx, merged, survivor, source, state->ctx.limits.max_index_rows));
      for (const storage::ResourceVersion& v : moved) {
        state->written->push_back(v.type + "/" + v.id + "/_history/" + std::to_string(v.version));
      }
    }
    return write_provenance(*state, tx, message_id);
  };
  return m;
}

}  // namespace hearth::api
