// The text of each built-in X12 -> FHIR map (x12_map_table.h has the row format), one per file
// in this folder, named after the transaction set and implementation guide.
#pragma once

#include <string_view>

namespace hearth::hl7::to_fhir::x12_map_sources {

struct MapSource {
  std::string_view set_id;
  std::string_view guide;
  std::string_view shared;  // rows several maps share (k837Parties), read first; or ""
  std::string_view text;
};

// The billing provider, subscriber, patient, payer and coverage of every 837.
extern const std::string_view k837Parties;

extern const MapSource k837Professional;   // 005010X222A1
extern const MapSource k837Institutional;  // 005010X223A2
extern const MapSource k837Dental;         // 005010X224A2
extern const MapSource k835;               // 005010X221A1

// The payer, receiver, subscriber, dependent and coverage of a 270 and a 271.
extern const std::string_view kEligibilityParties;
extern const MapSource k270;  // 005010X279A1
extern const MapSource k271;  // 005010X279A1

// The payer, receiver, provider, subscriber and dependent of a 276 and a 277.
extern const std::string_view kClaimStatusParties;
extern const MapSource k276;  // 005010X212
extern const MapSource k277;  // 005010X212

extern const MapSource k834;  // 005010X220A1

inline constexpr const MapSource* kAll[] = {
    &k837Professional, &k837Institutional, &k837Dental, &k835, &k270, &k271, &k276, &k277, &k834};

}  // namespace hearth::hl7::to_fhir::x12_map_sources
