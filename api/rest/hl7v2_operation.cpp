// GET [base]/Patient/[id]/$hl7v2?event=A08 and GET [base]/DiagnosticReport/[id]/$hl7v2: stored
// resources rendered as an outbound HL7 v2 message (hl7/to_v2/message_renderer.h), answered as
// x-application/hl7-v2+er7. This file reads: the resource asked for, then for a Patient its
// current Encounter (an Encounter of the patient whose status is in-progress, arrived, triaged
// or onleave, else the latest by period; among the first kMaxEncounters by date), for a report
// its subject Patient and its results in order (a result the store no longer has is left out).
// Every resource read is held to the token's grant as a read is.
// Errors: kNotFound / kGone for the resource asked for, kInvalidArgument for an event the
// message type does not have or a parameter other than `event` (and _format / _pretty, which
// shape only an error's OperationOutcome).
#include <rapidjson/document.h>

#include <algorithm>

#include "api/rest/interactions.h"
#include "api/rest/reachable_read.h"
#include "core/time_format.h"
#include "hl7/to_v2/message_renderer.h"

namespace hearth::api {
namespace {

constexpr int kMaxEncounters = 100;
constexpr std::string_view kEr7MediaType = "x-application/hl7-v2+er7";

Result<std::string> event_param(const Request& request, std::string_view fallback) {
  std::string event(fallback);
  for (const auto& [name, value] : request.query) {
    if (name == "event") {
      event = value;
    } else if (name != "_format" && name != "_pretty") {
      return Status(Code::kInvalidArgument,
                    "$hl7v2 does not support the parameter '" + name + "' (supported: event)",
                    name);
    }
  }
  return event;
}

std::string reference_of(const rapidjson::Value& element) {
  if (!element.IsObject()) return {};
  const auto it = element.FindMember("reference");
  return it != element.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

Result<std::string> current_encounter(const InteractionContext& ctx) {
  const std::vector<std::pair<std::string, std::string>> params = {
      {"subject", "Patient/" + ctx.route.id}, {"_sort", "-date"}};
  HEARTH_ASSIGN_OR_RETURN(
      fhir::search::SearchQuery query,
      fhir::search::parse_search("Encounter", params, ctx.request.base_url, true));
  query.count = kMaxEncounters;
  query.total = fhir::search::TotalMode::kNone;
  HEARTH_ASSIGN_OR_RETURN(storage::SearchPage page, ctx.reader.search(query));
  const storage::ResourceVersion* chosen = nullptr;
  for (const storage::ResourceVersion& v : page.entries) {
    rapidjson::Document doc;
    doc.Parse(v.body.data(), v.body.size());
    const auto status = doc.IsObject() ? doc.FindMember("status") : doc.MemberEnd();
    const std::string_view s =
        doc.IsObject() && status != doc.MemberEnd() && status->value.IsString()
            ? status->value.GetString()
            : "";
    if (s == "in-progress" || s == "arrived" || s == "triaged" || s == "onleave") {
      chosen = &v;
      break;
    }
    if (chosen == nullptr) chosen = &v;
  }
  if (chosen == nullptr) return std::string();
  return read_reachable(ctx, "Encounter", chosen->id);
}

// The resources of `type` the report's `element` references, in order, into `out`: one the store
// no longer has is left out; more than one message carries is 422.
Status read_all(const InteractionContext& ctx, const rapidjson::Value& report, const char* element,
                std::string_view type, std::vector<std::string>& out) {
  const auto refs = report.FindMember(element);
  if (refs == report.MemberEnd() || !refs->value.IsArray()) return Status();
  if (refs->value.Size() > hl7::to_v2::kMaxObservations) {
    return Status(Code::kUnprocessable, "the report has more " + std::string(element) +
                                            " references than one message carries (at most " +
                                            std::to_string(hl7::to_v2::kMaxObservations) + ")");
  }
  for (const rapidjson::Value& ref : refs->value.GetArray()) {
    const auto [ref_type, id] = type_and_id(reference_of(ref));
    if (ref_type != type) continue;
    Result<std::string> found = read_reachable(ctx, ref_type, id);
    if (found.is_ok()) {
      out.push_back(std::move(*found));
    } else if (found.status().code() != Code::kNotFound && found.status().code() != Code::kGone) {
      return found.status();
    }
  }
  return Status();
}

hl7::to_v2::MessageHeaderValues header_values(const InteractionContext& ctx) {
  hl7::to_v2::MessageHeaderValues header;
  header.control_id = ctx.ids.next_id();
  header.timestamp = format_instant(ctx.clock.now_micros());
  return header;
}

Response er7_response(std::string message) {
  Response response;
  response.status = 200;
  response.content_type = std::string(kEr7MediaType);
  response.body = std::move(message);
  return response;
}

Result<Response> patient_message(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(std::string event, event_param(ctx.request, "A08"));
  // The event first: a wrong one is 400 whether or not the patient exists.
  const std::vector<std::string> events = hl7::to_v2::adt_events();
  if (std::find(events.begin(), events.end(), event) == events.end()) {
    HEARTH_RETURN_IF_ERROR(hl7::to_v2::render_adt(event, "", "", {}).status());
  }
  HEARTH_ASSIGN_OR_RETURN(std::string patient, read_reachable(ctx, "Patient", ctx.route.id));
  HEARTH_ASSIGN_OR_RETURN(std::string encounter, current_encounter(ctx));
  HEARTH_ASSIGN_OR_RETURN(std::string message,
                          hl7::to_v2::render_adt(event, patient, encounter, header_values(ctx)));
  return er7_response(std::move(message));
}

Result<Response> report_message(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(std::string event, event_param(ctx.request, "R01"));
  if (event != "R01") {
    return Status(
        Code::kInvalidArgument,
        "event '" + event + "' cannot be rendered from a DiagnosticReport (supported: R01)",
        "event");
  }
  HEARTH_ASSIGN_OR_RETURN(std::string report,
                          read_reachable(ctx, "DiagnosticReport", ctx.route.id));
  rapidjson::Document doc;
  doc.Parse(report.data(), report.size());
  std::string patient, order;
  std::vector<std::string> observations, specimens;
  if (doc.IsObject()) {
    // ORC from the first order the report is based on that can be read; SPM from its specimens.
    if (const auto based_on = doc.FindMember("basedOn");
        based_on != doc.MemberEnd() && based_on->value.IsArray()) {
      for (const rapidjson::Value& ref : based_on->value.GetArray()) {
        const auto [type, id] = type_and_id(reference_of(ref));
        if (type != "ServiceRequest") continue;
        Result<std::string> found = read_reachable(ctx, type, id);
        if (found.is_ok()) {
          order = std::move(*found);
          break;
        }
      }
    }
    HEARTH_RETURN_IF_ERROR(read_all(ctx, doc, "specimen", "Specimen", specimens));
    if (const auto subject = doc.FindMember("subject"); subject != doc.MemberEnd()) {
      const auto [type, id] = type_and_id(reference_of(subject->value));
      if (type == "Patient") {
        Result<std::string> found = read_reachable(ctx, type, id);
        if (found.is_ok()) patient = std::move(*found);
      }
    }
    HEARTH_RETURN_IF_ERROR(read_all(ctx, doc, "result", "Observation", observations));
  }
  HEARTH_ASSIGN_OR_RETURN(
      std::string message,
      hl7::to_v2::render_oru(hl7::to_v2::OruResources{.patient = patient,
                                                      .order = order,
                                                      .report = report,
                                                      .observations = std::move(observations),
                                                      .specimens = std::move(specimens)},
                             header_values(ctx)));
  return er7_response(std::move(message));
}

}  // namespace

Result<Response> hl7v2_operation(const InteractionContext& ctx) {
  if (ctx.route.type == "Patient") return patient_message(ctx);
  return report_message(ctx);
}

}  // namespace hearth::api
