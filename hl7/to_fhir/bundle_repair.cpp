// Validate, repair each error by a default, a ContactPoint system or leaving the element out, and
// validate again, a bounded number of rounds.
#include "hl7/to_fhir/bundle_repair.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fhir/validate.h"
#include "hl7/to_fhir/primitive_conversion.h"

namespace hearth::hl7::to_fhir {
namespace {

// An absent required element and the value it takes, with the reason (docs/mapping/v2-to-fhir.md).
// `value` is JSON; "@patient" is a reference to the message's one Patient; "@start+duration" is
// the holder's `start` plus its `minutesDuration`. `event` limits a row
// to one trigger event (MSH-9.2), "" for every event.
struct RequiredDefault {
  std::string_view path;  // "Type.element" or "Type.backbone.element"
  std::string_view event;
  std::string_view value;
  std::string_view why;
};
constexpr RequiredDefault kDefaults[] = {
    {"Account.status", "", R"("unknown")", "no v2 field gives it; the value set has unknown"},
    {"DiagnosticReport.status", "", R"("unknown")", "OBR-25 empty; the value set has unknown"},
    {"Encounter.status", "", R"("unknown")", "no PV1/PV2 field gave it; the value set has unknown"},
    {"Encounter.class", "",
     R"({"system":"http://terminology.hl7.org/CodeSystem/v3-NullFlavor","code":"UNK"})",
     "PV1-2 (patient class) empty: unknown"},
    {"Observation.status", "", R"("unknown")", "OBX-11 empty; the value set has unknown"},
    {"ServiceRequest.status", "", R"("unknown")", "ORC-5 empty; the value set has unknown"},
    {"ServiceRequest.intent", "", R"("order")", "an order message places orders"},
    {"MedicationRequest.status", "", R"("unknown")", "ORC-5 empty; the value set has unknown"},
    {"MedicationRequest.intent", "", R"("order")", "an order message places orders"},
    {"MedicationAdministration.status", "", R"("unknown")",
     "RXA-20 empty; the value set has unknown"},
    {"Immunization.status", "", R"("completed")", "RXA-20 empty: v2 assumes CP (complete)"},
    {"Procedure.status", "", R"("completed")", "a PR1 segment reports a procedure performed"},
    {"Coverage.status", "", R"("active")", "an IN1 segment is the insurance on file"},
    {"Coverage.beneficiary", "", R"("@patient")", "an IN1 segment is the patient's insurance"},
    {"AllergyIntolerance.clinicalStatus", "",
     R"({"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]})",
     "an AL1 segment lists a current allergy (ait-1 needs a clinical status)"},
    {"DocumentReference.status", "", R"("current")",
     "the document a message carries is the current one"},
    {"EpisodeOfCare.status", "", R"("active")", "no v2 field gives it; the episode is open"},
    {"Appointment.status", "S12", R"("booked")", "SCH-25 empty; S12 is a new booking"},
    {"Appointment.status", "S13", R"("booked")", "SCH-25 empty; S13 reschedules a booking"},
    {"Appointment.status", "S14", R"("booked")", "SCH-25 empty; S14 modifies a booking"},
    {"Appointment.status", "S15", R"("cancelled")", "SCH-25 empty; S15 cancels a booking"},
    {"Appointment.status", "S16", R"("cancelled")",
     "SCH-25 empty; S16 discontinues the appointment"},
    {"Appointment.status", "S17", R"("entered-in-error")", "SCH-25 empty; S17 deletes it"},
    {"Appointment.status", "S26", R"("noshow")", "SCH-25 empty; S26 reports a no-show"},
    {"Appointment.end", "", R"("@start+duration")",
     "SCH-11 gives the start only: the end is the start plus SCH-9's minutes (app-2: both or "
     "neither)"},
    {"Appointment.participant.status", "", R"("needs-action")",
     "the AIS/AIG/AIL/AIP filler status (table 0278) is empty or not a participation status"},
};

// Resources a message mentions in passing: one that cannot be made valid is left out (with the
// references to it) rather than refuse the message. Anything else makes the message AE.
bool supporting(std::string_view type) {
  return type == "Basic" || type == "Coverage" || type == "Account" || type == "RelatedPerson" ||
         type == "Location" || type == "Organization" || type == "Practitioner" ||
         type == "PractitionerRole" || type == "Device" || type == "AllergyIntolerance" ||
         type == "Condition" || type == "Procedure";
}

constexpr int kMaxRounds = 16;

// One step of an expression: a member name and an array index (-1: none).
struct Step {
  std::string name;
  int index = -1;
};

// "Bundle.entry[2].resource.contact[0].name" -> steps; false when it is not of that shape.
bool parse_expression(std::string_view text, std::vector<Step>& steps) {
  while (!text.empty()) {
    const std::size_t dot = text.find('.');
    std::string_view part = text.substr(0, dot);
    text = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    // "value.ofType(Quantity)" is the JSON member "valueQuantity".
    if (part.starts_with("ofType(") && part.ends_with(")") && !steps.empty()) {
      steps.back().name += std::string(part.substr(7, part.size() - 8));
      continue;
    }
    Step step;
    const std::size_t open = part.find('[');
    if (open != std::string_view::npos) {
      if (part.back() != ']') return false;
      step.index = 0;
      for (char c : part.substr(open + 1, part.size() - open - 2)) {
        if (c < '0' || c > '9') return false;
        step.index = step.index * 10 + (c - '0');
      }
      part = part.substr(0, open);
    }
    if (part.empty()) return false;
    step.name = std::string(part);
    steps.push_back(std::move(step));
  }
  return !steps.empty();
}

// The member `name` of `object`, or its primitive-extension twin "_name" (a primitive's
// extensions live there in JSON) when the step goes on below a primitive (`container`).
fhir::JsonValue::MemberIterator member(fhir::JsonValue& object, const std::string& name,
                                       bool container = false) {
  auto it = object.FindMember(name.c_str());
  if (it != object.MemberEnd() && (!container || it->value.IsObject() || it->value.IsArray())) {
    return it;
  }
  auto twin = object.FindMember(("_" + name).c_str());
  return twin != object.MemberEnd() ? twin : it;
}

// The value `steps` name below `root` (steps[0] being the root's own name), or nullptr.
// `holder`: the last step names something that holds others (an object, never a primitive).
fhir::JsonValue* locate(fhir::JsonValue& root, const std::vector<Step>& steps, std::size_t count,
                        bool holder = false) {
  fhir::JsonValue* at = &root;
  if (steps[0].index >= 0) return nullptr;
  for (std::size_t i = 1; i < count; ++i) {
    if (!at->IsObject()) return nullptr;
    auto it = member(*at, steps[i].name, /*container=*/holder || i + 1 < count);
    if (it == at->MemberEnd()) return nullptr;
    at = &it->value;
    if (steps[i].index >= 0) {
      if (!at->IsArray() || static_cast<std::size_t>(steps[i].index) >= at->Size()) {
        return nullptr;
      }
      at = &(*at)[static_cast<rapidjson::SizeType>(steps[i].index)];
    }
  }
  return at;
}

// Removes what steps[0..count) names (`container`: the object holding others, "_birthDate"
// rather than "birthDate"); a member left an empty array or object goes with it.
bool remove(fhir::JsonValue& root, const std::vector<Step>& steps, std::size_t count,
            bool container = false) {
  if (count < 2) return false;
  fhir::JsonValue* holder = locate(root, steps, count - 1, /*holder=*/true);
  if (holder == nullptr || !holder->IsObject()) return false;
  const Step& last = steps[count - 1];
  auto it = member(*holder, last.name, container);
  if (it == holder->MemberEnd()) return false;
  if (last.index >= 0) {
    if (!it->value.IsArray() || static_cast<std::size_t>(last.index) >= it->value.Size()) {
      return false;
    }
    it->value.Erase(it->value.Begin() + last.index);
    if (!it->value.Empty()) return true;
  }
  holder->RemoveMember(it);
  // An object left empty by it (a "_birthDate" without extensions) goes too.
  if (holder->MemberCount() == 0 && count >= 3) remove(root, steps, count - 1, true);
  return true;
}

// "Appointment.participant.status" for steps below the resource ("participant[0]", "status").
std::string definition_path(std::string_view type, const std::vector<Step>& steps,
                            std::size_t from) {
  std::string path(type);
  for (std::size_t i = from; i < steps.size(); ++i) path += "." + steps[i].name;
  return path;
}

std::string_view string_member(const fhir::JsonValue& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !fhir::is_json_string(it->value)) return {};
  return fhir::json_string(it->value);
}

// The system a ContactPoint's value shows: an address with '@' is email, digits a phone.
std::string_view contact_system(std::string_view value) {
  if (value.find('@') != std::string_view::npos) return "email";
  for (char c : value) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) return "phone";
  }
  return "other";
}

// Invariants a default meets: the element whose kDefaults row satisfies it.
struct InvariantDefault {
  std::string_view key, path;
};
constexpr InvariantDefault kInvariantDefaults[] = {
    {"ait-1", "AllergyIntolerance.clinicalStatus"},
    {"app-2", "Appointment.end"},
};

// The fullUrl of the Bundle's one Patient entry ("" when none or several).
std::string patient_url(const fhir::JsonDocument& bundle) {
  std::string found;
  auto entries = bundle.FindMember("entry");
  if (entries == bundle.MemberEnd() || !entries->value.IsArray()) return {};
  for (const fhir::JsonValue& entry : entries->value.GetArray()) {
    auto resource = entry.FindMember("resource");
    if (resource == entry.MemberEnd() || !resource->value.IsObject()) continue;
    if (string_member(resource->value, "resourceType") != "Patient") continue;
    if (!found.empty()) return {};
    found = std::string(string_member(entry, "fullUrl"));
  }
  return found;
}

// Removes every Reference to `url` below `value` (an array item, or the member holding it).
void drop_references(fhir::JsonValue& value, std::string_view url) {
  auto is_reference_to = [url](const fhir::JsonValue& v) {
    return v.IsObject() && string_member(v, "reference") == url;
  };
  if (value.IsArray()) {
    for (auto it = value.Begin(); it != value.End();) {
      if (is_reference_to(*it)) {
        it = value.Erase(it);
      } else {
        drop_references(*it, url);
        ++it;
      }
    }
    return;
  }
  if (!value.IsObject()) return;
  for (auto it = value.MemberBegin(); it != value.MemberEnd();) {
    if (is_reference_to(it->value) || (it->value.IsArray() && it->value.Empty())) {
      it = value.EraseMember(it);
      continue;
    }
    drop_references(it->value, url);
    if (it->value.IsArray() && it->value.Empty()) {
      it = value.EraseMember(it);
      continue;
    }
    ++it;
  }
}

class Repairer {
 public:
  Repairer(fhir::JsonDocument& bundle, std::string_view event, std::vector<MappingIssue>& repairs)
      : bundle_(bundle), event_(event), repairs_(repairs) {}

  enum class Done { kNothing, kSet, kRemoved };

  // Meets one validation error, by setting a value or (when `may_remove`) by leaving something
  // out; kNothing when no repair applies.
  Done repair(const Issue& issue, bool may_remove) {
    may_remove_ = may_remove;
    removed_ = false;
    const bool repaired = repair_one(issue);
    if (!repaired) return Done::kNothing;
    return removed_ ? Done::kRemoved : Done::kSet;
  }

 private:
  bool repair_one(const Issue& issue) {
    std::vector<Step> steps;
    // Errors point into a resource: Bundle.entry[n].resource....
    if (!parse_expression(issue.expression, steps) || steps.size() < 3 ||
        steps[0].name != "Bundle" || steps[1].name != "entry" || steps[1].index < 0 ||
        steps[2].name != "resource") {
      return false;
    }
    fhir::JsonValue* resource = locate(bundle_, steps, 3);
    if (resource == nullptr || !resource->IsObject()) return false;
    const std::string type(string_member(*resource, "resourceType"));
    // The resource's own path ("Patient.contact[0]") for messages.
    const std::string where = resource_expression(bundle_, issue.expression);
    if (steps.size() == 3) {  // an invariant of the resource itself
      for (const InvariantDefault& d : kInvariantDefaults) {
        if (!issue.diagnostics.starts_with(std::string(d.key) + ":")) continue;
        const std::string element(d.path.substr(d.path.find('.') + 1));
        if (set_default(*resource, element, d.path, where + "." + element)) return true;
      }
      return may_remove_ && drop_resource(steps, type, issue);
    }
    if (issue.type == "required") {
      const std::string path = definition_path(type, steps, 3);
      fhir::JsonValue* holder = locate(bundle_, steps, steps.size() - 1);
      if (holder != nullptr && holder->IsObject() &&
          set_default(*holder, steps.back().name, path, where)) {
        return true;
      }
      if (!may_remove_) return false;
      if (steps.size() == 4) return drop_resource(steps, type, issue);
      // A required child missing from an element inside the resource: that element goes.
      if (!remove(bundle_, steps, steps.size() - 1)) return false;
      removed_ = true;
      report(where.substr(0, where.rfind('.')) + " left out: " + issue.diagnostics);
      return true;
    }
    if (issue.diagnostics.starts_with("cpt-2")) {
      fhir::JsonValue* point = locate(bundle_, steps, steps.size());
      if (point == nullptr || !point->IsObject() || point->HasMember("system")) return false;
      const std::string_view system = contact_system(string_member(*point, "value"));
      point->AddMember("system", fhir::make_json_string(system, bundle_.GetAllocator()),
                       bundle_.GetAllocator());
      report(where + ".system set to '" + std::string(system) + "' from its value (XTN-3 empty)");
      return true;
    }
    if (!may_remove_ || !remove(bundle_, steps, steps.size())) return false;
    removed_ = true;
    report(where + " left out: " + issue.diagnostics);
    return true;
  }

  // Sets `element` of `holder` from the kDefaults row for `path` (and this event).
  bool set_default(fhir::JsonValue& holder, const std::string& element, std::string_view path,
                   const std::string& where) {
    for (const RequiredDefault& d : kDefaults) {
      if (d.path != path || (!d.event.empty() && d.event != event_)) continue;
      fhir::JsonDocument value(&bundle_.GetAllocator());
      std::string shown(d.value);  // what the report says was set
      if (d.value == R"("@start+duration")") {
        auto start = holder.FindMember("start");
        auto duration = holder.FindMember("minutesDuration");
        if (start == holder.MemberEnd() || duration == holder.MemberEnd() ||
            !fhir::is_json_string(start->value)) {
          return false;
        }
        const std::string minutes(fhir::json_number_text(duration->value));
        if (minutes.empty() || minutes.find_first_not_of("0123456789") != std::string::npos) {
          return false;
        }
        const std::string end =
            add_seconds(fhir::json_string(start->value), std::stoll(minutes) * 60);
        if (end.empty()) return false;
        shown = "\"" + end + "\"";
        value.SetString(end.c_str(), static_cast<rapidjson::SizeType>(end.size()),
                        bundle_.GetAllocator());
      } else if (d.value == R"("@patient")") {
        const std::string patient = patient_url(bundle_);
        if (patient.empty()) return false;
        value.SetObject();
        value.AddMember("reference", fhir::make_json_string(patient, bundle_.GetAllocator()),
                        bundle_.GetAllocator());
      } else {
        value.Parse(d.value.data(), d.value.size());
        if (value.HasParseError()) return false;
      }
      if (holder.HasMember(element.c_str())) holder.RemoveMember(element.c_str());
      holder.AddMember(fhir::make_json_string(element, bundle_.GetAllocator()),
                       fhir::JsonValue(value, bundle_.GetAllocator()), bundle_.GetAllocator());
      report(where + " set to " + shown + ": " + std::string(d.why));
      return true;
    }
    return false;
  }

  // Leaves out a supporting resource that cannot be made valid, and every reference to it.
  bool drop_resource(const std::vector<Step>& steps, const std::string& type, const Issue& issue) {
    if (!supporting(type)) return false;
    auto entries = bundle_.FindMember("entry");
    const auto index = static_cast<rapidjson::SizeType>(steps[1].index);
    if (entries == bundle_.MemberEnd() || !entries->value.IsArray() ||
        index >= entries->value.Size()) {
      return false;
    }
    const std::string url(string_member(entries->value[index], "fullUrl"));
    entries->value.Erase(entries->value.Begin() + index);
    if (!url.empty()) drop_references(entries->value, url);
    removed_ = true;
    report(type + " left out (with the references to it): " + issue.diagnostics);
    return true;
  }

  void report(std::string text) {
    MappingIssue issue;
    issue.message = std::move(text);
    repairs_.push_back(std::move(issue));
  }

  fhir::JsonDocument& bundle_;
  std::string_view event_;
  std::vector<MappingIssue>& repairs_;
  bool may_remove_ = false;
  bool removed_ = false;
};

}  // namespace

std::string resource_expression(const fhir::JsonDocument& bundle, std::string_view expression) {
  constexpr std::string_view kEntry = "Bundle.entry[";
  constexpr std::string_view kResource = "].resource";
  if (!expression.starts_with(kEntry)) return std::string(expression);
  const std::size_t close = expression.find(kResource, kEntry.size());
  if (close == std::string::npos) return std::string(expression);
  const std::string_view index = expression.substr(kEntry.size(), close - kEntry.size());
  std::size_t n = 0;
  for (char c : index) {
    if (c < '0' || c > '9') return std::string(expression);
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  auto entries = bundle.FindMember("entry");
  if (entries == bundle.MemberEnd() || !entries->value.IsArray() || n >= entries->value.Size()) {
    return std::string(expression);
  }
  const fhir::JsonValue& entry = entries->value[static_cast<rapidjson::SizeType>(n)];
  auto resource = entry.FindMember("resource");
  if (resource == entry.MemberEnd() || !resource->value.IsObject()) return std::string(expression);
  auto type = resource->value.FindMember("resourceType");
  if (type == resource->value.MemberEnd() || !fhir::is_json_string(type->value))
    return std::string(expression);
  return std::string(fhir::json_string(type->value)) +
         std::string(expression.substr(close + kResource.size()));
}

Status repair_bundle(fhir::JsonDocument& bundle, std::string_view event,
                     std::vector<MappingIssue>& repairs) {
  Repairer repairer(bundle, event, repairs);
  for (int round = 0;; ++round) {
    // The Bundle is the mapper's own envelope: its entries are validated, not its bdl-* rules
    // (which the corpus test checks hold for every mapped message).
    Status valid = fhir::validate_resource(bundle, "Bundle", fhir::Invariants::kBelowEnvelope);
    if (valid.is_ok() || round == kMaxRounds) return valid;
    // Values are set for every error they meet; one element is left out per round, after
    // which the other errors' expressions may point elsewhere: the next round sees them anew.
    bool done = false;
    for (const Issue& issue : valid.issues()) {
      if (issue.severity != Severity::kError && issue.severity != Severity::kFatal) continue;
      const Repairer::Done d = repairer.repair(issue, /*may_remove=*/true);
      done = done || d != Repairer::Done::kNothing;
      if (d == Repairer::Done::kRemoved) break;
    }
    if (!done) return valid;
  }
}

}  // namespace hearth::hl7::to_fhir
