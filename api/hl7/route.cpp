// The /hl7 route table: path shapes (segment patterns) x methods -> operation.
#include "api/hl7/route.h"

#include <array>
#include <vector>

#include "api/path_segments.h"

namespace hearth::api {
namespace {

// Segment patterns: "{id}" any segment (checked by the operation, so a bad id gets a precise
// 400 rather than a 404), else literal.
struct Hl7RouteEntry {
  std::string_view method;
  std::array<std::string_view, 3> pattern;
  std::size_t segments;
  Hl7Operation operation;
  StoreUse store_use;
};

// Every call reads or writes the archive: none runs without the store.
constexpr std::array kHl7Routes = {
    Hl7RouteEntry{"GET", {"messages"}, 1, Hl7Operation::kList, StoreUse::kRead},
    Hl7RouteEntry{"GET", {"messages", "{id}"}, 2, Hl7Operation::kRead, StoreUse::kRead},
    Hl7RouteEntry{
        "POST", {"messages", "{id}", "$replay"}, 3, Hl7Operation::kReplay, StoreUse::kWrite},
    Hl7RouteEntry{"POST", {"x12"}, 1, Hl7Operation::kX12, StoreUse::kWrite},
};

bool shape_matches(const Hl7RouteEntry& entry, const std::vector<std::string_view>& parts) {
  if (entry.segments != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (entry.pattern[i] != "{id}" && entry.pattern[i] != parts[i]) return false;
  }
  return true;
}

}  // namespace

Result<Hl7Route> route_hl7_request(std::string_view method, std::string_view path,
                                   std::string& allow) {
  const std::string_view sent = method;
  if (method == "HEAD") method = "GET";
  const std::vector<std::string_view> parts = split_path_segments(path);
  allow.clear();
  for (const Hl7RouteEntry& entry : kHl7Routes) {
    if (!shape_matches(entry, parts)) continue;
    if (entry.method != method) {
      if (!allow.empty()) allow += ", ";
      allow += entry.method;
      continue;
    }
    const bool has_id = entry.segments > 1 && entry.pattern[1] == "{id}";
    return Hl7Route{entry.operation, entry.store_use, has_id ? parts[1] : ""};
  }
  if (allow.empty()) {
    return Status(Code::kNotFound,
                  "no HL7 API endpoint at '/hl7/" + std::string(path) + "'; see /hl7/messages");
  }
  return Status(Code::kMethodNotAllowed, std::string(sent) + " is not allowed on /hl7/" +
                                             std::string(path) + "; allowed: " + allow);
}

}  // namespace hearth::api
