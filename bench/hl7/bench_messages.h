// The two messages the MLLP benchmarks send (bench/mllp/mllp_load.cpp over sockets,
// bench/hl7/ingest_cost.cpp in process): an ORU^R01 with 15 OBX (a lab panel, ~2.2 KB) and an
// ADT^A01 (~1 KB). The control id is also PID-3 and the filler order number (ORU^R01), or the
// visit number (ADT^A01, PV1-19), so each message is a new patient and order or admission, as a
// feed of admissions or of new results is. The ORU^R01's visit (V0001) is one for all: its
// Encounter is written by the first message and only referenced by the others.
#pragma once

#include <string>

namespace hearth::bench {

// ORU^R01: a complete blood count, 15 results.
inline std::string oru(const std::string& control_id) {
  static const char* const kResults[15][5] = {
      {"6690-2", "Leukocytes", "7.5", "10*3/uL", "4.5-11.0"},
      {"789-8", "Erythrocytes", "4.62", "10*6/uL", "4.20-5.40"},
      {"718-7", "Hemoglobin", "13.2", "g/dL", "12.0-16.0"},
      {"4544-3", "Hematocrit", "40.1", "%", "37.0-47.0"},
      {"787-2", "MCV", "86.8", "fL", "80.0-100.0"},
      {"785-6", "MCH", "28.6", "pg", "27.0-33.0"},
      {"786-4", "MCHC", "32.9", "g/dL", "32.0-36.0"},
      {"788-0", "RDW", "13.1", "%", "11.5-14.5"},
      {"777-3", "Platelets", "251", "10*3/uL", "150-400"},
      {"770-8", "Neutrophils/100 leukocytes", "58.2", "%", "40.0-75.0"},
      {"736-9", "Lymphocytes/100 leukocytes", "30.1", "%", "20.0-45.0"},
      {"5905-5", "Monocytes/100 leukocytes", "7.4", "%", "2.0-10.0"},
      {"713-8", "Eosinophils/100 leukocytes", "3.5", "%", "0.0-6.0"},
      {"706-2", "Basophils/100 leukocytes", "0.8", "%", "0.0-2.0"},
      {"32623-1", "Platelet mean volume", "9.8", "fL", "7.5-11.5"},
  };
  std::string m = "MSH|^~\\&|BENCH|LAB|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|" + control_id +
                  "|P|2.5.1\r"
                  "PID|1||" +
                  control_id +
                  "^^^MRN^MR~123-45-6789^^^SSA^SS||SMITH^JANE^B^^^^L||19901215|F|||"
                  "12 MAIN ST^^SPRINGFIELD^IL^62701^USA^H||^PRN^PH^^1^217^5550123|||S||"
                  "ACC00042\r"
                  "PV1|1|O|LAB^^^MAIN||||1234^WELBY^MARCUS^^^DR^MD|||LAB||||||||OP|V0001\r"
                  "ORC|RE|ORD001^EMR|" +
                  control_id +
                  "^LIS||CM||||20260309093000|||1234^WELBY^MARCUS^^^DR^MD\r"
                  "OBR|1|ORD001^EMR|" +
                  control_id +
                  "^LIS|58410-2^CBC panel - Blood by Automated count^LN|||"
                  "20260309093000|||||||20260309094500||1234^WELBY^MARCUS^^^DR^MD||||||"
                  "20260309135900|||F\r";
  for (int i = 0; i < 15; ++i) {
    const auto& r = kResults[i];
    m += "OBX|" + std::to_string(i + 1) + "|NM|" + r[0] + "^" + r[1] + "^LN||" + r[2] + "|" + r[3] +
         "^^UCUM|" + r[4] +
         "|N|||F|||20260309093000|LAB^MAIN LAB^L||||"
         "20260309135900\r";
  }
  return m;
}

// ADT^A01: an admission with next of kin, allergy, diagnosis and insurance.
inline std::string adt(const std::string& control_id) {
  return "MSH|^~\\&|BENCH|ADT|HEARTH|HUB|20260309140000||ADT^A01^ADT_A01|" + control_id +
         "|P|2.5.1\r"
         "EVN|A01|20260309140000|||NURSE01^RATCHED^MILDRED\r"
         "PID|1||" +
         control_id +
         "^^^MRN^MR||SMITH^JANE^B^^^^L|DOE^^^^^^M|19901215|F||2106-3^White^CDCREC|"
         "12 MAIN ST^^SPRINGFIELD^IL^62701^USA^H||^PRN^PH^^1^217^5550123|^WPN^PH^^1^217^5559876|"
         "EN^English^ISO639|M^Married^HL70002|||123-45-6789\r"
         "NK1|1|SMITH^JOHN^A|SPO^Spouse^HL70063|12 MAIN ST^^SPRINGFIELD^IL^62701^USA|"
         "^PRN^PH^^1^217^5550124\r"
         "PV1|1|I|4EAST^401^B^MAIN||||1234^WELBY^MARCUS^^^DR^MD|5678^KILDARE^JAMES^^^DR^MD||MED|"
         "|||7|||1234^WELBY^MARCUS^^^DR^MD|IN|V" +
         control_id +
         "^^^MAIN^VN|SELF|||||||||||||||||||MAIN|||||20260309133000\r"
         "AL1|1|DA|7980^Penicillin^RXNORM|SV|Hives\r"
         "DG1|1||J18.9^Pneumonia, unspecified organism^I10||20260309|A\r"
         "IN1|1|BCBS-PPO^Blue Cross PPO|60054|BLUE CROSS BLUE SHIELD|PO BOX 1000^^CHICAGO^IL^"
         "60601||^WPN^PH^^1^800^5550100|GRP-123||||||||SMITH^JANE^B|18^Self^HL70063|19901215\r";
}

}  // namespace hearth::bench
