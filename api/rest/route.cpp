// The route table: path shapes (segment patterns) x methods -> interaction.
#include "api/rest/route.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include "api/path_segments.h"
#include "fhir/model.h"

namespace hearth::api {
namespace {

// Segment patterns: "{type}" a resource type, "{id}" an id, "{vid}" a version, else literal.
struct RouteEntry {
  std::string_view method;
  std::array<std::string_view, 4> pattern;
  std::size_t segments;
  Interaction interaction;
  StoreUse store_use;
};

constexpr std::array kRoutes = {
    RouteEntry{"POST", {}, 0, Interaction::kTransaction, StoreUse::kWrite},
    RouteEntry{"POST", {"$validate"}, 1, Interaction::kValidate, StoreUse::kRead},
    RouteEntry{
        "GET", {"ValueSet", "$validate-code"}, 2, Interaction::kValidateCode, StoreUse::kRead},
    RouteEntry{
        "POST", {"ValueSet", "$validate-code"}, 2, Interaction::kValidateCode, StoreUse::kRead},
    RouteEntry{
        "GET", {"CodeSystem", "$validate-code"}, 2, Interaction::kValidateCode, StoreUse::kRead},
    RouteEntry{
        "POST", {"CodeSystem", "$validate-code"}, 2, Interaction::kValidateCode, StoreUse::kRead},
    RouteEntry{"GET", {"CodeSystem", "$lookup"}, 2, Interaction::kLookup, StoreUse::kRead},
    RouteEntry{"POST", {"CodeSystem", "$lookup"}, 2, Interaction::kLookup, StoreUse::kRead},
    RouteEntry{"GET", {"CodeSystem", "$subsumes"}, 2, Interaction::kSubsumes, StoreUse::kRead},
    RouteEntry{"POST", {"CodeSystem", "$subsumes"}, 2, Interaction::kSubsumes, StoreUse::kRead},
    RouteEntry{"GET", {"ValueSet", "$expand"}, 2, Interaction::kExpand, StoreUse::kRead},
    RouteEntry{"POST", {"ValueSet", "$expand"}, 2, Interaction::kExpand, StoreUse::kRead},
    RouteEntry{"GET", {"ConceptMap", "$translate"}, 2, Interaction::kTranslate, StoreUse::kRead},
    RouteEntry{"POST", {"ConceptMap", "$translate"}, 2, Interaction::kTranslate, StoreUse::kRead},
    RouteEntry{"POST", {"{type}", "$validate"}, 2, Interaction::kValidate, StoreUse::kRead},
    RouteEntry{
        "GET", {"Patient", "{id}", "$everything"}, 3, Interaction::kEverything, StoreUse::kRead},
    RouteEntry{"GET", {"Patient", "{id}", "$hl7v2"}, 3, Interaction::kHl7v2, StoreUse::kRead},
    RouteEntry{
        "GET", {"DiagnosticReport", "{id}", "$hl7v2"}, 3, Interaction::kHl7v2, StoreUse::kRead},
    RouteEntry{"GET", {"Claim", "{id}", "$x12"}, 3, Interaction::kX12, StoreUse::kRead},
    RouteEntry{"GET",
               {"CoverageEligibilityRequest", "{id}", "$x12"},
               3,
               Interaction::kX12,
               StoreUse::kRead},
    RouteEntry{"GET", {"$export"}, 1, Interaction::kExport, StoreUse::kRead},
    RouteEntry{"GET", {"Patient", "$export"}, 2, Interaction::kExport, StoreUse::kRead},
    RouteEntry{"GET", {"Group", "{id}", "$export"}, 3, Interaction::kExport, StoreUse::kRead},
    RouteEntry{"GET", {"$export-status", "{id}"}, 2, Interaction::kExportStatus, StoreUse::kRead},
    RouteEntry{
        "DELETE", {"$export-status", "{id}"}, 2, Interaction::kExportDelete, StoreUse::kRead},
    RouteEntry{
        "GET", {"$export-file", "{id}", "{file}"}, 3, Interaction::kExportFile, StoreUse::kRead},
    RouteEntry{"POST", {"{type}", "{id}", "$validate"}, 3, Interaction::kValidate, StoreUse::kRead},
    RouteEntry{"GET", {"ValueSet", "{id}", "$expand"}, 3, Interaction::kExpand, StoreUse::kRead},
    RouteEntry{"POST", {"ValueSet", "{id}", "$expand"}, 3, Interaction::kExpand, StoreUse::kRead},
    RouteEntry{"GET", {"metadata"}, 1, Interaction::kCapabilities, StoreUse::kNone},
    RouteEntry{"GET",
               {".well-known", "smart-configuration"},
               2,
               Interaction::kSmartConfiguration,
               StoreUse::kNone},
    RouteEntry{"GET", {}, 0, Interaction::kSearchSystem, StoreUse::kRead},
    RouteEntry{"POST", {"_search"}, 1, Interaction::kSearchSystem, StoreUse::kRead},
    RouteEntry{"GET", {"_history"}, 1, Interaction::kHistorySystem, StoreUse::kRead},
    RouteEntry{"GET", {"{type}"}, 1, Interaction::kSearchType, StoreUse::kRead},
    RouteEntry{"POST", {"{type}"}, 1, Interaction::kCreate, StoreUse::kWrite},
    RouteEntry{"PUT", {"{type}"}, 1, Interaction::kConditionalUpdate, StoreUse::kWrite},
    RouteEntry{"DELETE", {"{type}"}, 1, Interaction::kConditionalDelete, StoreUse::kWrite},
    RouteEntry{"PATCH", {"{type}"}, 1, Interaction::kConditionalPatch, StoreUse::kWrite},
    RouteEntry{"GET", {"{type}", "_history"}, 2, Interaction::kHistoryType, StoreUse::kRead},
    RouteEntry{"POST", {"{type}", "_search"}, 2, Interaction::kSearchType, StoreUse::kRead},
    RouteEntry{"GET", {"{type}", "{id}"}, 2, Interaction::kRead, StoreUse::kPointRead},
    RouteEntry{"PUT", {"{type}", "{id}"}, 2, Interaction::kUpdate, StoreUse::kWrite},
    RouteEntry{"DELETE", {"{type}", "{id}"}, 2, Interaction::kDelete, StoreUse::kWrite},
    RouteEntry{"PATCH", {"{type}", "{id}"}, 2, Interaction::kPatch, StoreUse::kWrite},
    RouteEntry{
        "GET", {"{type}", "{id}", "_history"}, 3, Interaction::kHistoryInstance, StoreUse::kRead},
    RouteEntry{"GET",
               {"{compartment}", "{id}", "{type}"},
               3,
               Interaction::kSearchCompartment,
               StoreUse::kRead},
    RouteEntry{"GET",
               {"{type}", "{id}", "_history", "{vid}"},
               4,
               Interaction::kVread,
               StoreUse::kPointRead},
};

// Does `segment` fit pattern element `p`? Type/id/version validity is checked after matching
// the shape, so a bad id gets a precise 400 rather than a 404.
bool shape_matches(std::string_view p, std::string_view segment) {
  if (p == "{type}" || p == "{compartment}") {
    return !segment.empty() && segment[0] != '_' && segment[0] != '$' && segment != "metadata";
  }
  if (p == "{id}" || p == "{vid}" || p == "{file}") {
    return !segment.empty() && segment[0] != '$' && segment != "_history" && segment != "_search";
  }
  return p == segment;
}

// kInteractionLabels lists the Interaction enumerators in order, after "unknown".
static_assert(kInteractionLabels[static_cast<int>(Interaction::kCapabilities) + 1] ==
              "capabilities");
static_assert(kInteractionLabels[static_cast<int>(Interaction::kSearchSystem) + 1] ==
              "search-system");
static_assert(kInteractionLabels[static_cast<int>(Interaction::kConditionalPatch) + 1] ==
              "conditional-patch");
static_assert(kInteractionLabels[static_cast<int>(Interaction::kValidateCode) + 1] ==
              "validate-code");
static_assert(kInteractionLabels[static_cast<int>(Interaction::kTranslate) + 1] == "translate");
static_assert(kInteractionLabels[static_cast<int>(Interaction::kExportFile) + 1] == "export-file");
static_assert(kInteractionLabels[static_cast<int>(Interaction::kHl7v2) + 1] == "hl7v2");
static_assert(kInteractionLabels[static_cast<int>(Interaction::kX12) + 1] == "x12");

}  // namespace

RouteFacts route_facts_of(const Route& route) {
  RouteFacts facts{route.store_use,
                   static_cast<std::uint8_t>(static_cast<int>(route.interaction) + 1)};
  if (!route.type.empty()) {
    const std::span<const std::string_view> types = fhir::resource_types();
    auto it = std::lower_bound(types.begin(), types.end(), std::string_view(route.type));
    if (it != types.end() && *it == route.type) {
      facts.type = static_cast<std::int16_t>(it - types.begin());
    }
  }
  return facts;
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<Route> route_request(std::string_view method, std::string_view path) {
  std::vector<std::string_view> segments = split_path_segments(path);
  const RouteEntry* shape_only = nullptr;
  for (const RouteEntry& entry : kRoutes) {
    if (entry.segments != segments.size()) continue;
    bool fits = true;
    for (std::size_t i = 0; i < entry.segments && fits; ++i) {
      fits = shape_matches(entry.pattern[i], segments[i]);
    }
    if (!fits) continue;
    if (entry.method != method) {
      shape_only = &entry;
      continue;
    }
    Route route{entry.interaction, {}, {}, {}, 0, entry.store_use, {}};
    for (std::size_t i = 0; i < entry.segments; ++i) {
      std::string_view p = entry.pattern[i];
      std::string_view s = segments[i];
      if (p == "{type}") {
        if (!fhir::is_resource_type(s)) {
          return Status(Code::kNotFound, "unknown resource type '" + std::string(s) + "'");
        }
        route.type = s;
      } else if (p == "{compartment}") {
        if (!fhir::is_resource_type(s)) {
          return Status(Code::kNotFound, "unknown resource type '" + std::string(s) + "'");
        }
        route.compartment = s;
      } else if (p == "{id}") {
        if (!is_valid_id(s)) {
          return Status(Code::kInvalidArgument,
                        "'" + std::string(s) + "' is not a valid FHIR id ([A-Za-z0-9-.]{1,64})");
        }
        route.id = s;
      } else if (p == "{file}") {
        if (!is_valid_id(s)) {
          return Status(Code::kNotFound, "no export file '" + std::string(s) + "'");
        }
        route.file = s;
      } else if (i == 0 && fhir::is_resource_type(p)) {
        route.type = p;  // ValueSet/$expand: the operation's type, for scopes and metrics
      } else if (p == "{vid}") {
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), route.version);
        if (ec != std::errc() || end != s.data() + s.size() || route.version < 1) {
          return Status(Code::kNotFound, "version '" + std::string(s) + "' does not exist");
        }
      }
    }
    return route;
  }
  if (shape_only != nullptr) {
    if (!segments.empty() && shape_only->pattern[0] == "{type}" &&
        !fhir::is_resource_type(segments[0])) {
      return Status(Code::kNotFound, "unknown resource type '" + std::string(segments[0]) + "'");
    }
    return Status(Code::kMethodNotAllowed,
                  std::string(method) + " is not allowed on /" + std::string(path));
  }
  return Status(Code::kNotFound, "no FHIR endpoint at /" + std::string(path));
}

}  // namespace hearth::api
