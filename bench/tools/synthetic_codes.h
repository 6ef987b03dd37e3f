// The small code tables behind bench/tools/synthetic_history.cpp: LOINC (vital signs and labs
// with their UCUM units and plausible ranges), SNOMED CT (encounter types, conditions,
// procedures), RxNorm (medications, each paired with the condition it treats), CVX (vaccines),
// the OMB race and ethnicity codes of US Core, and name and place lists. Hand-picked from codes
// Synthea emits; benchmark data only, not FHIR definitions (those live in fhir/).
#pragma once

#include <string_view>

namespace hearth::bench::codes {

inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr std::string_view kCvx = "http://hl7.org/fhir/sid/cvx";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
inline constexpr std::string_view kOmb = "urn:oid:2.16.840.1.113883.6.238";

struct Code {
  std::string_view code;
  std::string_view display;
};

// A quantity-valued observation: LOINC code, UCUM unit, range of values, decimals written.
struct Measure {
  std::string_view code;
  std::string_view display;
  std::string_view unit;
  double low;
  double high;
  int decimals;
};

// Vital signs written at every encounter (blood pressure is a separate, two-component panel).
inline constexpr Measure kHeight{"8302-2", "Body Height", "cm", 150, 192, 1};
inline constexpr Measure kWeight{"29463-7", "Body Weight", "kg", 48, 115, 1};
inline constexpr Measure kBmi{"39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", 0, 0, 1};
inline constexpr Measure kHeartRate{"8867-4", "Heart rate", "/min", 55, 100, 0};
inline constexpr Measure kRespiratoryRate{"9279-1", "Respiratory rate", "/min", 12, 20, 0};
inline constexpr Code kBloodPressure{"85354-9", "Blood pressure panel with all children optional"};
inline constexpr Measure kSystolic{"8480-6", "Systolic Blood Pressure", "mm[Hg]", 100, 150, 0};
inline constexpr Measure kDiastolic{"8462-4", "Diastolic Blood Pressure", "mm[Hg]", 60, 95, 0};

inline constexpr Measure kMetabolicPanel[] = {
    {"2339-0", "Glucose", "mg/dL", 65, 200, 1},
    {"6299-2", "Urea Nitrogen", "mg/dL", 7, 20, 1},
    {"38483-4", "Creatinine", "mg/dL", 0.6, 1.3, 2},
    {"49765-1", "Calcium", "mg/dL", 8.5, 10.2, 1},
    {"2947-0", "Sodium", "mmol/L", 136, 145, 1},
    {"6298-4", "Potassium", "mmol/L", 3.5, 5.1, 1},
    {"2069-3", "Chloride", "mmol/L", 98, 107, 1},
    {"20565-8", "Carbon Dioxide", "mmol/L", 21, 30, 1},
};
inline constexpr Measure kLipidPanel[] = {
    {"2093-3", "Total Cholesterol", "mg/dL", 150, 280, 1},
    {"2571-8", "Triglycerides", "mg/dL", 50, 250, 1},
    {"18262-6", "Low Density Lipoprotein Cholesterol", "mg/dL", 70, 190, 1},
    {"2085-9", "High Density Lipoprotein Cholesterol", "mg/dL", 35, 80, 1},
    {"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 4.5, 9.0, 1},
};

// Encounter types (SNOMED CT) with their v3 ActCode class.
struct EncounterType {
  std::string_view code;
  std::string_view display;
  std::string_view act_class;  // AMB, EMER, IMP
  bool wellness;               // vaccines are given at wellness visits
};
inline constexpr EncounterType kEncounterTypes[] = {
    {"162673000", "General examination of patient (procedure)", "AMB", true},
    {"185349003", "Encounter for check up (procedure)", "AMB", true},
    {"185345009", "Encounter for symptom (procedure)", "AMB", false},
    {"390906007", "Follow-up encounter (procedure)", "AMB", false},
    {"50849002", "Emergency room admission (procedure)", "EMER", false},
    {"698314001", "Consultation for treatment (procedure)", "AMB", false},
};

// Conditions (SNOMED CT), each with the RxNorm medication prescribed for it (empty: none) and
// whether it is chronic (chronic ones are never abated).
struct Condition {
  std::string_view code;
  std::string_view display;
  Code medication;
  bool chronic;
};
inline constexpr Condition kConditions[] = {
    {"44054006",
     "Diabetes mellitus type 2 (disorder)",
     {"860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet"},
     true},
    {"59621000",
     "Essential hypertension (disorder)",
     {"314076", "lisinopril 10 MG Oral Tablet"},
     true},
    {"55822004", "Hyperlipidemia (disorder)", {"259255", "Atorvastatin 80 MG Oral Tablet"}, true},
    {"15777000", "Prediabetes (finding)", {}, true},
    {"162864005", "Body mass index 30+ - obesity (finding)", {}, true},
    {"195662009",
     "Acute viral pharyngitis (disorder)",
     {"313782", "Acetaminophen 325 MG Oral Tablet"},
     false},
    {"10509002",
     "Acute bronchitis (disorder)",
     {"1043400",
      "Acetaminophen 21.7 MG/ML / Dextromethorphan Hydrobromide 1 MG/ML / doxylamine "
      "succinate 0.417 MG/ML Oral Solution"},
     false},
    {"444814009",
     "Viral sinusitis (disorder)",
     {"308182", "Amoxicillin 250 MG Oral Capsule"},
     false},
    {"233678006",
     "Childhood asthma (disorder)",
     {"895994", "120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler"},
     true},
    {"271737000", "Anemia (disorder)", {}, true},
    {"43878008",
     "Streptococcal sore throat (disorder)",
     {"834061", "Penicillin V Potassium 250 MG Oral Tablet"},
     false},
    {"39848009",
     "Whiplash injury to neck (disorder)",
     {"310965", "Ibuprofen 200 MG Oral Tablet"},
     false},
};

inline constexpr Code kProcedures[] = {
    {"430193006", "Medication Reconciliation (procedure)"},
    {"710824005", "Assessment of health and social care needs (procedure)"},
    {"171207006", "Depression screening (procedure)"},
    {"428191000124101", "Documentation of current medications (procedure)"},
    {"117015009", "Throat culture (procedure)"},
    {"23426006", "Measurement of respiratory function (procedure)"},
    {"268556000", "Urine screening for glucose (procedure)"},
};

inline constexpr Code kVaccines[] = {
    {"140", "Influenza, seasonal, injectable, preservative free"},
    {"113", "Td (adult) preservative free"},
    {"115", "Tdap"},
    {"133", "Pneumococcal conjugate PCV 13"},
    {"121", "zoster"},
    {"43", "Hep B, adult"},
    {"208",
     "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL "
     "dose"},
};

inline constexpr Code kRaces[] = {
    {"2106-3", "White"},      {"2054-5", "Black or African American"},
    {"2028-9", "Asian"},      {"1002-5", "American Indian or Alaska Native"},
    {"2131-1", "Other Race"},
};
inline constexpr Code kEthnicities[] = {
    {"2186-5", "Not Hispanic or Latino"},
    {"2135-2", "Hispanic or Latino"},
};

inline constexpr std::string_view kGivenFemale[] = {"Jane", "Maria", "Linda", "Aisha",
                                                    "Mei",  "Olga",  "Rosa",  "Emily"};
inline constexpr std::string_view kGivenMale[] = {"John",  "Carlos", "Ahmed", "Wei",
                                                  "David", "Ivan",   "Luis",  "Michael"};
inline constexpr std::string_view kFamily[] = {"Smith",  "Garcia", "Nguyen",   "Johnson",
                                               "Okafor", "Müller", "Kowalski", "Abbott",
                                               "Rempel", "Hoppe",  "Schaden",  "Brown"};
inline constexpr std::string_view kStreets[] = {"Main St",    "Oak Ave", "Maple Rd",   "Ferry Ln",
                                                "Harbor Way", "Elm Ct",  "Summit Blvd"};

// Massachusetts towns, as Synthea's default population, with a plausible ZIP and position.
struct Town {
  std::string_view city;
  std::string_view postal_code;
  double latitude;
  double longitude;
};
inline constexpr Town kTowns[] = {
    {"Boston", "02108", 42.358, -71.064},      {"Worcester", "01608", 42.262, -71.802},
    {"Springfield", "01103", 42.101, -72.590}, {"Lowell", "01852", 42.633, -71.316},
    {"Cambridge", "02139", 42.365, -71.104},   {"Quincy", "02169", 42.253, -71.002},
    {"Lynn", "01901", 42.466, -70.949},        {"Salem", "01970", 42.519, -70.896},
};

inline constexpr std::string_view kProviders[] = {
    "BOSTON MEDICAL CENTER", "MASSACHUSETTS GENERAL HOSPITAL", "UMASS MEMORIAL MEDICAL CENTER",
    "BAYSTATE MEDICAL CENTER", "LOWELL GENERAL HOSPITAL"};

}  // namespace hearth::bench::codes
