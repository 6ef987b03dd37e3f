// audit_event_json: an AuditRecord -> the AuditEvent resource.
#include "api/audit_event.h"

#include <array>
#include <utility>

#include "api/rest/json_writer.h"
#include "core/base64.h"
#include "core/time_format.h"
#include "fhir/json_builder.h"

namespace hearth::api {
namespace {

// Label -> action, a table (AuditEvent.action: http://hl7.org/fhir/audit-event-action).
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kActions{{
    {"read", "R"},
    {"vread", "R"},
    {"history-instance", "R"},
    {"history-type", "R"},
    {"history-system", "R"},
    {"search-type", "R"},
    {"search-compartment", "R"},
    {"search-system", "R"},
    {"everything", "R"},
    {"export-status", "R"},
    {"export-file", "R"},
    {"export-delete", "D"},
    {"hl7-list", "R"},
    {"hl7-read", "R"},
    {"create", "C"},
    {"hl7-message", "C"},
    {"update", "U"},
    {"patch", "U"},
    {"conditional-update", "U"},
    {"conditional-patch", "U"},
    {"delete", "D"},
    {"conditional-delete", "D"},
    {"transaction", "E"},
    {"hl7-replay", "E"},
}};

std::string base64(std::string_view bytes) {
  std::string out = encode_base64url(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

// A string value through either writer (RapidJSON's Writer or fhir::JsonBuilder).
template <class W>
void write_str(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <class W>
void coding(W& w, std::string_view system, std::string_view code) {
  w.StartObject();
  w.Key("system");
  write_str(w, system);
  w.Key("code");
  write_str(w, code);
  w.EndObject();
}

// The AuditEvent through `w`: one template, so the text and the document never differ.
template <class W>
void write_event(W& w, const AuditRecord& record, std::string_view id) {
  const bool message = record.interaction == "hl7-message";
  w.StartObject();
  w.Key("resourceType");
  w.String("AuditEvent");
  w.Key("id");
  write_str(w, id);
  w.Key("type");
  if (message) {
    coding(w, "http://terminology.hl7.org/CodeSystem/audit-event-type", "hl7v2");
  } else {
    coding(w, "http://terminology.hl7.org/CodeSystem/audit-event-type", "rest");
  }
  w.Key("subtype");
  w.StartArray();
  coding(w, message ? "urn:hearth:audit" : "http://hl7.org/fhir/restful-interaction",
         record.interaction.empty() ? std::string_view("unknown") : record.interaction);
  w.EndArray();
  w.Key("action");
  write_str(w, audit_action(record.interaction));
  w.Key("recorded");
  write_str(w, format_instant(record.recorded_micros));
  w.Key("outcome");
  w.String(record.status >= 500 ? "8" : record.status >= 400 ? "4" : "0");
  w.Key("outcomeDesc");
  write_str(w, std::to_string(record.status));
  w.Key("agent");
  w.StartArray();
  w.StartObject();
  w.Key("type");
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  coding(w, "http://dicom.nema.org/resources/ontology/DCM", "110153");  // Source Role ID
  w.EndArray();
  w.EndObject();
  if (!record.subject.empty()) {
    w.Key("who");
    w.StartObject();
    w.Key("identifier");
    w.StartObject();
    w.Key("value");
    write_str(w, record.subject);
    w.EndObject();
    w.EndObject();
    w.Key("name");
    write_str(w, record.subject);
  }
  if (!record.client_id.empty()) {
    w.Key("altId");
    write_str(w, record.client_id);
  }
  w.Key("requestor");
  w.Bool(true);
  if (!record.address.empty()) {
    w.Key("network");
    w.StartObject();
    w.Key("address");
    write_str(w, record.address);
    w.Key("type");
    w.String("2");  // IP address
    w.EndObject();
  }
  w.EndObject();
  w.EndArray();
  w.Key("source");
  w.StartObject();
  if (!record.tenant.empty()) {
    w.Key("site");
    write_str(w, record.tenant);
  }
  w.Key("observer");
  w.StartObject();
  w.Key("display");
  w.String("hearth");
  w.EndObject();
  w.Key("type");
  w.StartArray();
  coding(w, "http://terminology.hl7.org/CodeSystem/security-source-type", "4");  // app server
  w.EndArray();
  w.EndObject();
  if (!record.reference.empty() || !record.query.empty() || !record.description.empty()) {
    w.Key("entity");
    w.StartArray();
    w.StartObject();
    if (!record.reference.empty()) {
      w.Key("what");
      w.StartObject();
      w.Key("reference");
      write_str(w, record.reference);
      w.EndObject();
    }
    if (!record.description.empty()) {
      w.Key("description");
      write_str(w, record.description);
    }
    if (!record.query.empty()) {
      w.Key("query");
      write_str(w, base64(record.query));
    }
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

std::string_view audit_action(std::string_view interaction) {
  for (const auto& [label, action] : kActions) {
    if (label == interaction) return action;
  }
  return "E";
}

std::string audit_event_json(const AuditRecord& record, std::string_view id) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_event(w, record, id);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<fhir::JsonDocument> audit_event_document(const AuditRecord& record, std::string_view id) {
  return fhir::build_json([&](fhir::JsonBuilder& w) { write_event(w, record, id); });
}

}  // namespace hearth::api
