// Writes one synthetic history (synthetic_history.h) straight to JSON text with RapidJSON's
// Writer: no document tree, so generating a population costs little next to sending it.
#include "synthetic_history.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "synthetic_codes.h"

namespace hearth::bench {
namespace {

namespace c = codes;
using std::string_view;

constexpr std::int64_t kDay = 86400;
constexpr string_view kZones[] = {"-04:00", "-05:00", "-06:00", "-07:00", "-08:00"};

// splitmix64: tiny, fast, and the same sequence everywhere (std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  bool chance(unsigned percent) { return below(100) < percent; }
  std::int64_t range(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low + 1)));
  }
  double real(double low, double high) {
    return low + (high - low) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

// Days since 1970-01-01 for a proleptic Gregorian date, and back (H. Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day;
};
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

std::string format_date(std::int64_t seconds) {
  const Civil c = civil_from_days(seconds / kDay);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

// Local wall time `seconds` (since the epoch, as if UTC) with the patient's zone offset.
std::string format_date_time(std::int64_t seconds, string_view zone, bool millis = false) {
  const std::int64_t in_day = seconds % kDay;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld%s%.*s", format_date(seconds).c_str(),
                static_cast<long long>(in_day / 3600), static_cast<long long>(in_day / 60 % 60),
                static_cast<long long>(in_day % 60), millis ? ".000" : "",
                static_cast<int>(zone.size()), zone.data());
  return buf;
}

std::string fixed(double value, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

class Builder {
 public:
  Builder(std::uint64_t seed, std::uint64_t index, const HistoryOptions& options)
      : rng_(seed * 0x9e3779b97f4a7c15ULL ^ (index + 1) * 0xc2b2ae3d27d4eb4fULL),
        options_(options),
        writer_(buffer_) {}

  History build() {
    writer_.StartObject();
    kv("resourceType", "Bundle");
    kv("type", "transaction");
    key("entry");
    writer_.StartArray();
    patient();
    std::int64_t day = first_visit_day_;
    while (room() > 0) {
      encounter(day);
      day += rng_.range(20, 300);
    }
    writer_.EndArray();
    writer_.EndObject();
    return History{std::string(buffer_.GetString(), buffer_.GetSize()), written_};
  }

 private:
  std::size_t room() const { return options_.entries > written_ ? options_.entries - written_ : 0; }

  // --- JSON helpers ----------------------------------------------------------------------------
  void key(string_view k) { writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void str(string_view v) { writer_.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); }
  void kv(string_view k, string_view v) {
    key(k);
    str(v);
  }
  void number(string_view k, const std::string& text) {
    key(k);
    writer_.RawValue(text.data(), text.size(), rapidjson::kNumberType);
  }
  void coding(string_view system, string_view code, string_view display) {
    writer_.StartObject();
    kv("system", system);
    kv("code", code);
    if (!display.empty()) kv("display", display);
    writer_.EndObject();
  }
  // "k": {"coding": [{system, code, display}], "text": display}
  void codeable(string_view k, string_view system, string_view code, string_view display,
                bool text = true) {
    key(k);
    writer_.StartObject();
    key("coding");
    writer_.StartArray();
    coding(system, code, display);
    writer_.EndArray();
    if (text) kv("text", display);
    writer_.EndObject();
  }
  void codeable_list(string_view k, string_view system, string_view code, string_view display,
                     bool text = true) {
    key(k);
    writer_.StartArray();
    writer_.StartObject();
    key("coding");
    writer_.StartArray();
    coding(system, code, display);
    writer_.EndArray();
    if (text) kv("text", display);
    writer_.EndObject();
    writer_.EndArray();
  }
  void reference(string_view k, const std::string& uuid, string_view display = {}) {
    key(k);
    writer_.StartObject();
    kv("reference", "urn:uuid:" + uuid);
    if (!display.empty()) kv("display", display);
    writer_.EndObject();
  }
  void quantity(string_view k, const std::string& value, string_view unit) {
    key(k);
    writer_.StartObject();
    number("value", value);
    kv("unit", unit);
    kv("system", c::kUcum);
    kv("code", unit);
    writer_.EndObject();
  }
  void identifier_typed(string_view type_code, string_view type_display, string_view system,
                        string_view value) {
    writer_.StartObject();
    codeable("type", "http://terminology.hl7.org/CodeSystem/v2-0203", type_code, type_display);
    kv("system", system);
    kv("value", value);
    writer_.EndObject();
  }

  // Names as Synthea writes them: "Jane123". Every draw in its own statement, since the order
  // in which the operands of one expression are evaluated is unspecified.
  template <std::size_t N>
  std::string numbered(const string_view (&names)[N]) {
    std::string out(rng_.pick(names));
    out += std::to_string(rng_.range(100, 999));
    return out;
  }
  template <std::size_t N>
  std::string full_name(const string_view (&given)[N]) {
    std::string out = numbered(given);
    out += ' ';
    out += numbered(c::kFamily);
    return out;
  }
  std::string digits(string_view prefix, std::int64_t low, std::int64_t high) {
    std::string out(prefix);
    out += std::to_string(rng_.range(low, high));
    return out;
  }

  std::string uuid() {
    const std::uint64_t hi = rng_.next(), lo = rng_.next();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                  static_cast<unsigned long long>(hi >> 32),
                  static_cast<unsigned long long>((hi >> 16) & 0xffff),
                  static_cast<unsigned long long>(hi & 0x0fff),
                  static_cast<unsigned long long>(0x8000 | ((lo >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(lo & 0xffffffffffffULL));
    return buf;
  }

  // --- entries ---------------------------------------------------------------------------------
  // Opens an entry and its resource; returns the entry's uuid.
  std::string begin(string_view type) {
    std::string id = uuid();
    writer_.StartObject();
    kv("fullUrl", "urn:uuid:" + id);
    key("resource");
    writer_.StartObject();
    kv("resourceType", type);
    return id;
  }
  void end(string_view type) {
    writer_.EndObject();
    key("request");
    writer_.StartObject();
    kv("method", "POST");
    kv("url", type);
    writer_.EndObject();
    writer_.EndObject();
    ++written_;
  }

  void patient();
  void encounter(std::int64_t day);
  void vitals(const std::string& encounter, std::int64_t at);
  void observation(const std::string& encounter, std::int64_t at, string_view category,
                   const c::Measure& measure, double value);
  void blood_pressure(const std::string& encounter, std::int64_t at);
  std::string condition(const std::string& encounter, std::int64_t at, const c::Condition& cond);
  void medication(const std::string& encounter, std::int64_t at, const c::Condition& cond,
                  const std::string& condition_uuid);
  void procedure(const std::string& encounter, std::int64_t at, const std::string& reason);
  void immunization(const std::string& encounter, std::int64_t at);
  void observation_head(const std::string& encounter, std::int64_t at, string_view category,
                        string_view code, string_view display);

  Rng rng_;
  HistoryOptions options_;
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
  std::size_t written_ = 0;

  std::string patient_uuid_;
  std::string patient_display_;
  std::string zone_;
  std::int64_t first_visit_day_ = 0;
  double height_ = 0;
  double weight_ = 0;
};

void Builder::patient() {
  const bool female = rng_.chance(50);
  const std::string given = female ? numbered(c::kGivenFemale) : numbered(c::kGivenMale);
  const std::string family = numbered(c::kFamily);
  const bool married = rng_.chance(55);
  const string_view prefix = !female ? "Mr." : married ? "Mrs." : "Ms.";
  const std::int64_t birth_day = days_from_civil(1940, 1, 1) + rng_.range(0, 65 * 365);
  zone_ = rng_.pick(kZones);
  first_visit_day_ =
      std::max(birth_day + 18 * 365, days_from_civil(2008, 1, 1)) + rng_.range(0, 365);
  height_ = rng_.real(female ? 150 : 160, female ? 180 : c::kHeight.high);
  weight_ = rng_.real(c::kWeight.low, c::kWeight.high);
  patient_display_ = std::string(prefix) + " " + given + " " + family;

  patient_uuid_ = begin("Patient");
  writer_.Key("text");
  writer_.StartObject();
  kv("status", "generated");
  kv("div",
     "<div xmlns=\"http://www.w3.org/1999/xhtml\">Generated by <a "
     "href=\"https://github.com/synthetichealth/synthea\">Synthea</a>. Version identifier: "
     "hearth-bench . Person seed: " +
         std::to_string(rng_.next() >> 12) + "</div>");
  writer_.EndObject();

  key("extension");
  writer_.StartArray();
  const c::Code* omb[2] = {&rng_.pick(c::kRaces), &rng_.pick(c::kEthnicities)};
  const string_view omb_urls[2] = {
      "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
      "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"};
  for (int i = 0; i < 2; ++i) {
    writer_.StartObject();
    kv("url", omb_urls[i]);
    key("extension");
    writer_.StartArray();
    writer_.StartObject();
    kv("url", "ombCategory");
    key("valueCoding");
    coding(c::kOmb, omb[i]->code, omb[i]->display);
    writer_.EndObject();
    writer_.StartObject();
    kv("url", "text");
    kv("valueString", omb[i]->display);
    writer_.EndObject();
    writer_.EndArray();
    writer_.EndObject();
  }
  writer_.StartObject();
  kv("url", "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName");
  kv("valueString", full_name(c::kGivenFemale));
  writer_.EndObject();
  writer_.StartObject();
  kv("url", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex");
  kv("valueCode", female ? "F" : "M");
  writer_.EndObject();
  const c::Town& birth_town = rng_.pick(c::kTowns);
  writer_.StartObject();
  kv("url", "http://hl7.org/fhir/StructureDefinition/patient-birthPlace");
  key("valueAddress");
  writer_.StartObject();
  kv("city", birth_town.city);
  kv("state", "Massachusetts");
  kv("country", "US");
  writer_.EndObject();
  writer_.EndObject();
  writer_.StartObject();
  kv("url", "http://synthetichealth.github.io/synthea/disability-adjusted-life-years");
  number("valueDecimal", fixed(rng_.real(0, 5), 6));
  writer_.EndObject();
  writer_.StartObject();
  kv("url", "http://synthetichealth.github.io/synthea/quality-adjusted-life-years");
  number("valueDecimal", fixed(rng_.real(20, 70), 6));
  writer_.EndObject();
  writer_.EndArray();

  key("identifier");
  writer_.StartArray();
  writer_.StartObject();
  kv("system", "https://github.com/synthetichealth/synthea");
  kv("value", patient_uuid_);
  writer_.EndObject();
  identifier_typed("MR", "Medical Record Number", "http://hospital.smarthealthit.org",
                   patient_uuid_);
  identifier_typed("SS", "Social Security Number", "http://hl7.org/fhir/sid/us-ssn",
                   digits("999-", 10, 99) + digits("-", 1000, 9999));
  identifier_typed("DL", "Driver's License", "urn:oid:2.16.840.1.113883.4.3.25",
                   "S99" + std::to_string(rng_.range(100000, 999999)));
  writer_.EndArray();

  key("name");
  writer_.StartArray();
  writer_.StartObject();
  kv("use", "official");
  kv("family", family);
  key("given");
  writer_.StartArray();
  str(given);
  writer_.EndArray();
  key("prefix");
  writer_.StartArray();
  str(prefix);
  writer_.EndArray();
  writer_.EndObject();
  writer_.EndArray();

  key("telecom");
  writer_.StartArray();
  writer_.StartObject();
  kv("system", "phone");
  const std::string phone = digits("555-", 100, 999);
  kv("value", phone + digits("-", 1000, 9999));
  kv("use", "home");
  writer_.EndObject();
  writer_.EndArray();

  kv("gender", female ? "female" : "male");
  kv("birthDate", format_date(birth_day * kDay));

  const c::Town& town = rng_.pick(c::kTowns);
  key("address");
  writer_.StartArray();
  writer_.StartObject();
  key("extension");
  writer_.StartArray();
  writer_.StartObject();
  kv("url", "http://hl7.org/fhir/StructureDefinition/geolocation");
  key("extension");
  writer_.StartArray();
  writer_.StartObject();
  kv("url", "latitude");
  number("valueDecimal", fixed(town.latitude + rng_.real(-0.05, 0.05), 6));
  writer_.EndObject();
  writer_.StartObject();
  kv("url", "longitude");
  number("valueDecimal", fixed(town.longitude + rng_.real(-0.05, 0.05), 6));
  writer_.EndObject();
  writer_.EndArray();
  writer_.EndObject();
  writer_.EndArray();
  key("line");
  writer_.StartArray();
  const std::string number_part = digits("", 1, 999);
  str(number_part + " " + std::string(rng_.pick(c::kStreets)));
  writer_.EndArray();
  kv("city", town.city);
  kv("state", "MA");
  kv("postalCode", town.postal_code);
  kv("country", "US");
  writer_.EndObject();
  writer_.EndArray();

  codeable("maritalStatus", "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
           married ? "M" : "S", married ? "Married" : "Never Married");
  key("multipleBirthBoolean");
  writer_.Bool(false);
  key("communication");
  writer_.StartArray();
  writer_.StartObject();
  codeable("language", "urn:ietf:bcp:47", "en-US", "English (United States)");
  writer_.EndObject();
  writer_.EndArray();
  end("Patient");
}

void Builder::encounter(std::int64_t day) {
  const c::EncounterType& type = rng_.pick(c::kEncounterTypes);
  const std::int64_t start = day * kDay + rng_.range(8 * 3600, 17 * 3600);
  const std::int64_t finish = start + rng_.range(15, 60) * 60;
  const std::string id = begin("Encounter");
  kv("status", "finished");
  key("class");
  coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", type.act_class, {});
  codeable_list("type", c::kSnomed, type.code, type.display);
  reference("subject", patient_uuid_, patient_display_);
  key("period");
  writer_.StartObject();
  kv("start", format_date_time(start, zone_));
  kv("end", format_date_time(finish, zone_));
  writer_.EndObject();
  key("serviceProvider");
  writer_.StartObject();
  kv("display", rng_.pick(c::kProviders));
  writer_.EndObject();
  end("Encounter");

  const std::int64_t at = start + 5 * 60;
  vitals(id, at);
  if (rng_.chance(25)) {
    for (const auto& m : c::kMetabolicPanel)
      observation(id, at, "laboratory", m, rng_.real(m.low, m.high));
  } else if (rng_.chance(30)) {
    for (const auto& m : c::kLipidPanel)
      observation(id, at, "laboratory", m, rng_.real(m.low, m.high));
  }
  std::string reason;
  if (rng_.chance(40)) {
    const c::Condition& cond = rng_.pick(c::kConditions);
    reason = condition(id, at, cond);
    if (!reason.empty() && !cond.medication.code.empty()) medication(id, at, cond, reason);
  }
  if (rng_.chance(40)) procedure(id, at, reason);
  if (type.wellness && rng_.chance(60)) immunization(id, at);
}

void Builder::vitals(const std::string& encounter, std::int64_t at) {
  weight_ += rng_.real(-2, 2);
  observation(encounter, at, "vital-signs", c::kHeight, height_);
  observation(encounter, at, "vital-signs", c::kWeight, weight_);
  observation(encounter, at, "vital-signs", c::kBmi, weight_ / (height_ * height_ / 10000));
  blood_pressure(encounter, at);
  observation(encounter, at, "vital-signs", c::kHeartRate,
              rng_.real(c::kHeartRate.low, c::kHeartRate.high));
  observation(encounter, at, "vital-signs", c::kRespiratoryRate,
              rng_.real(c::kRespiratoryRate.low, c::kRespiratoryRate.high));
}

void Builder::observation_head(const std::string& encounter, std::int64_t at, string_view category,
                               string_view code, string_view display) {
  kv("status", "final");
  codeable_list("category", "http://terminology.hl7.org/CodeSystem/observation-category", category,
                category, false);
  codeable("code", c::kLoinc, code, display);
  reference("subject", patient_uuid_);
  reference("encounter", encounter);
  kv("effectiveDateTime", format_date_time(at, zone_));
  kv("issued", format_date_time(at, zone_, true));
}

void Builder::observation(const std::string& encounter, std::int64_t at, string_view category,
                          const c::Measure& measure, double value) {
  if (room() == 0) return;
  begin("Observation");
  observation_head(encounter, at, category, measure.code, measure.display);
  quantity("valueQuantity", fixed(value, measure.decimals), measure.unit);
  end("Observation");
}

void Builder::blood_pressure(const std::string& encounter, std::int64_t at) {
  if (room() == 0) return;
  begin("Observation");
  observation_head(encounter, at, "vital-signs", c::kBloodPressure.code, c::kBloodPressure.display);
  key("component");
  writer_.StartArray();
  for (const c::Measure* m : {&c::kDiastolic, &c::kSystolic}) {
    writer_.StartObject();
    codeable("code", c::kLoinc, m->code, m->display);
    quantity("valueQuantity", fixed(rng_.real(m->low, m->high), m->decimals), m->unit);
    writer_.EndObject();
  }
  writer_.EndArray();
  end("Observation");
}

std::string Builder::condition(const std::string& encounter, std::int64_t at,
                               const c::Condition& cond) {
  if (room() == 0) return {};
  const bool abated = !cond.chronic && rng_.chance(80);
  std::string id = begin("Condition");
  codeable("clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical",
           abated ? "resolved" : "active", {}, false);
  codeable("verificationStatus", "http://terminology.hl7.org/CodeSystem/condition-ver-status",
           "confirmed", {}, false);
  codeable_list("category", "http://terminology.hl7.org/CodeSystem/condition-category",
                "encounter-diagnosis", "Encounter Diagnosis", false);
  codeable("code", c::kSnomed, cond.code, cond.display);
  reference("subject", patient_uuid_);
  reference("encounter", encounter);
  kv("onsetDateTime", format_date_time(at, zone_));
  if (abated) kv("abatementDateTime", format_date_time(at + rng_.range(7, 21) * kDay, zone_));
  kv("recordedDate", format_date_time(at, zone_));
  end("Condition");
  return id;
}

void Builder::medication(const std::string& encounter, std::int64_t at, const c::Condition& cond,
                         const std::string& condition_uuid) {
  if (room() == 0) return;
  begin("MedicationRequest");
  kv("status", cond.chronic ? "active" : "stopped");
  kv("intent", "order");
  codeable("medicationCodeableConcept", c::kRxNorm, cond.medication.code, cond.medication.display);
  reference("subject", patient_uuid_);
  reference("encounter", encounter);
  kv("authoredOn", format_date_time(at, zone_));
  key("requester");
  writer_.StartObject();
  kv("display", "Dr. " + full_name(c::kGivenMale));
  writer_.EndObject();
  key("reasonReference");
  writer_.StartArray();
  writer_.StartObject();
  kv("reference", "urn:uuid:" + condition_uuid);
  writer_.EndObject();
  writer_.EndArray();
  key("dosageInstruction");
  writer_.StartArray();
  writer_.StartObject();
  number("sequence", "1");
  key("timing");
  writer_.StartObject();
  key("repeat");
  writer_.StartObject();
  number("frequency", std::to_string(rng_.range(1, 3)));
  number("period", "1");
  kv("periodUnit", "d");
  writer_.EndObject();
  writer_.EndObject();
  key("asNeededBoolean");
  writer_.Bool(false);
  key("doseAndRate");
  writer_.StartArray();
  writer_.StartObject();
  codeable("type", "http://terminology.hl7.org/CodeSystem/dose-rate-type", "ordered", "Ordered",
           false);
  key("doseQuantity");
  writer_.StartObject();
  number("value", "1");
  writer_.EndObject();
  writer_.EndObject();
  writer_.EndArray();
  writer_.EndObject();
  writer_.EndArray();
  end("MedicationRequest");
}

void Builder::procedure(const std::string& encounter, std::int64_t at, const std::string& reason) {
  if (room() == 0) return;
  const c::Code& code = rng_.pick(c::kProcedures);
  begin("Procedure");
  kv("status", "completed");
  codeable("code", c::kSnomed, code.code, code.display);
  reference("subject", patient_uuid_);
  reference("encounter", encounter);
  key("performedPeriod");
  writer_.StartObject();
  kv("start", format_date_time(at, zone_));
  kv("end", format_date_time(at + rng_.range(5, 30) * 60, zone_));
  writer_.EndObject();
  if (!reason.empty()) {
    key("reasonReference");
    writer_.StartArray();
    writer_.StartObject();
    kv("reference", "urn:uuid:" + reason);
    writer_.EndObject();
    writer_.EndArray();
  }
  end("Procedure");
}

void Builder::immunization(const std::string& encounter, std::int64_t at) {
  if (room() == 0) return;
  const c::Code& vaccine = rng_.pick(c::kVaccines);
  begin("Immunization");
  kv("status", "completed");
  codeable("vaccineCode", c::kCvx, vaccine.code, vaccine.display);
  reference("patient", patient_uuid_);
  reference("encounter", encounter);
  kv("occurrenceDateTime", format_date_time(at, zone_));
  key("primarySource");
  writer_.Bool(true);
  end("Immunization");
}

}  // namespace

History make_history(std::uint64_t seed, std::uint64_t index, const HistoryOptions& options) {
  HistoryOptions fixed_options = options;
  if (fixed_options.entries < 2) fixed_options.entries = 2;
  return Builder(seed, index, fixed_options).build();
}

}  // namespace hearth::bench
