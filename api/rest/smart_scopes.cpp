// Scope text -> values, and the permission table of the interactions.
#include "api/rest/smart_scopes.h"

#include "fhir/model.h"

namespace hearth::api {
namespace {

bool is_type_name(std::string_view text) {
  if (text == "*") return true;
  if (text.empty() || text.front() < 'A' || text.front() > 'Z') return false;
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

// v1 "read", "write", "*"; v2 a subsequence of "cruds".
bool parse_permissions(std::string_view text, ScopePermissions& out) {
  if (text == "read") {
    out.read = out.search = true;
    return true;
  }
  if (text == "write") {
    out.create = out.update = out.remove = true;
    return true;
  }
  if (text == "*") {
    out = ScopePermissions{true, true, true, true, true};
    return true;
  }
  static constexpr std::string_view kOrder = "cruds";
  std::size_t next = 0;
  if (text.empty()) return false;
  for (char c : text) {
    const std::size_t at = kOrder.find(c, next);
    if (at == std::string_view::npos) return false;
    next = at + 1;
    bool* flag[] = {&out.create, &out.read, &out.update, &out.remove, &out.search};
    *flag[at] = true;
  }
  return true;
}

Status bad(std::string_view scope) {
  return Status(Code::kInvalidArgument, "not a SMART resource scope: '" + std::string(scope) + "'");
}

}  // namespace

Result<SmartScope> parse_smart_scope(std::string_view scope) {
  SmartScope out;
  const std::size_t slash = scope.find('/');
  if (slash == std::string_view::npos) return bad(scope);
  const std::string_view context = scope.substr(0, slash);
  if (context == "patient") {
    out.context = ScopeContext::kPatient;
  } else if (context == "user") {
    out.context = ScopeContext::kUser;
  } else if (context == "system") {
    out.context = ScopeContext::kSystem;
  } else {
    return bad(scope);
  }
  std::string_view rest = scope.substr(slash + 1);
  std::string_view query;
  if (const std::size_t mark = rest.find('?'); mark != std::string_view::npos) {
    query = rest.substr(mark + 1);
    rest = rest.substr(0, mark);
    if (query.empty()) return bad(scope);
  }
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return bad(scope);
  const std::string_view type = rest.substr(0, dot);
  if (!is_type_name(type) || !parse_permissions(rest.substr(dot + 1), out.permissions)) {
    return bad(scope);
  }
  out.resource_type = std::string(type);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == pair.size()) return bad(scope);
    out.restriction.emplace_back(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
  }
  return out;
}

std::vector<SmartScope> parse_smart_scopes(std::string_view scope_claim) {
  std::vector<SmartScope> out;
  while (!scope_claim.empty()) {
    const std::size_t space = scope_claim.find(' ');
    const std::string_view one = scope_claim.substr(0, space);
    scope_claim =
        space == std::string_view::npos ? std::string_view() : scope_claim.substr(space + 1);
    if (one.empty()) continue;
    if (auto parsed = parse_smart_scope(one); parsed.is_ok()) out.push_back(std::move(*parsed));
  }
  return out;
}

namespace {

// What `interaction` needs; nullopt: nothing (metadata, the SMART configuration).
std::optional<ScopePermissions> needed(Interaction interaction) {
  ScopePermissions p;
  switch (interaction) {
    case Interaction::kCapabilities:
    case Interaction::kSmartConfiguration: return std::nullopt;
    case Interaction::kRead:
    case Interaction::kVread:
    // $validate reads nothing stored at the type level, but it shows what the server accepts
    // of a type: it needs that type's read permission, as $validate-code needs ValueSet's.
    case Interaction::kValidate:
    case Interaction::kValidateCode:
    case Interaction::kLookup:
    case Interaction::kExpand:
    case Interaction::kSubsumes:
    case Interaction::kTranslate:
    // $hl7v2 and $x12 read the resource and those they render with, each held to the grant as
    // a read.
    case Interaction::kHl7v2:
    case Interaction::kX12: p.read = true; break;
    case Interaction::kSearchType:
    case Interaction::kSearchCompartment:
    case Interaction::kSearchSystem:
    case Interaction::kEverything:
    case Interaction::kHistoryInstance:
    case Interaction::kHistoryType:
    case Interaction::kHistorySystem: p.search = true; break;
    // Bulk Data needs system/ read scopes on every type it exports, which only the export
    // knows (its _type, or every type): authorize_bulk_export() decides, not the route.
    case Interaction::kExport:
    case Interaction::kExportStatus:
    case Interaction::kExportDelete:
    case Interaction::kExportFile: return std::nullopt;
    case Interaction::kCreate: p.create = true; break;
    case Interaction::kUpdate:
    case Interaction::kPatch: p.update = true; break;
    case Interaction::kDelete: p.remove = true; break;
    case Interaction::kConditionalUpdate:
    case Interaction::kConditionalPatch: p.update = p.search = true; break;
    case Interaction::kConditionalDelete: p.remove = p.search = true; break;
    // Each entry is authorised as the request it stands for (entry_runner.h).
    case Interaction::kTransaction: return std::nullopt;
  }
  return p;
}

const char* name_of(Interaction interaction) {
  switch (interaction) {
    case Interaction::kRead: return "read";
    case Interaction::kVread: return "vread";
    case Interaction::kSearchType:
    case Interaction::kSearchCompartment:
    case Interaction::kSearchSystem: return "search";
    case Interaction::kHistoryInstance:
    case Interaction::kHistoryType:
    case Interaction::kHistorySystem: return "history";
    case Interaction::kCreate: return "create";
    case Interaction::kUpdate:
    case Interaction::kConditionalUpdate: return "update";
    case Interaction::kPatch:
    case Interaction::kConditionalPatch: return "patch";
    case Interaction::kDelete:
    case Interaction::kConditionalDelete: return "delete";
    case Interaction::kTransaction: return "transaction/batch";
    case Interaction::kValidate: return "$validate";
    case Interaction::kValidateCode: return "$validate-code";
    case Interaction::kLookup: return "$lookup";
    case Interaction::kExpand: return "$expand";
    case Interaction::kSubsumes: return "$subsumes";
    case Interaction::kTranslate: return "$translate";
    case Interaction::kEverything: return "$everything";
    case Interaction::kHl7v2: return "$hl7v2";
    case Interaction::kX12: return "$x12";
    default: return "this interaction";
  }
}

}  // namespace

namespace {

// The permissions `scopes` of `context` (or of user/ and system/ when `patient` is false) give
// on `type` ("" for every type: then only "*" scopes count). Restricted scopes count for
// nothing.
ScopePermissions granted(const std::vector<SmartScope>& scopes, bool patient,
                         std::string_view type) {
  ScopePermissions have;
  for (const SmartScope& scope : scopes) {
    if ((scope.context == ScopeContext::kPatient) != patient || !scope.restriction.empty()) {
      continue;
    }
    if (scope.resource_type != "*" && (type.empty() || scope.resource_type != type)) continue;
    have.create = have.create || scope.permissions.create;
    have.read = have.read || scope.permissions.read;
    have.update = have.update || scope.permissions.update;
    have.remove = have.remove || scope.permissions.remove;
    have.search = have.search || scope.permissions.search;
  }
  return have;
}

bool covers(const ScopePermissions& have, const ScopePermissions& want) {
  return (!want.create || have.create) && (!want.read || have.read) &&
         (!want.update || have.update) && (!want.remove || have.remove) &&
         (!want.search || have.search);
}

Status refusal(Interaction interaction, std::string_view type, std::string_view why = {}) {
  return Status(
      Code::kForbidden,
      std::string("the token's scopes do not allow ") + name_of(interaction) +
          (type.empty() ? std::string(" at the system level") : " on " + std::string(type)) +
          std::string(why));
}

bool in_patient_compartment(std::string_view type) {
  return !type.empty() && !fhir::compartment_params("Patient", type).empty();
}

// Can `route` be held to Patient/`patient`'s compartment? (authorize's header lists them.)
bool holdable(const Route& route, std::string_view patient) {
  switch (route.interaction) {
    case Interaction::kRead:
    case Interaction::kVread:
    case Interaction::kHl7v2:
    case Interaction::kX12:
    case Interaction::kHistoryInstance:
    case Interaction::kCreate:
    case Interaction::kUpdate:
    case Interaction::kPatch:
    case Interaction::kDelete:
    case Interaction::kSearchType: return in_patient_compartment(route.type);
    case Interaction::kEverything: return route.id == patient;
    case Interaction::kSearchCompartment:
      return route.compartment == "Patient" && route.id == patient &&
             in_patient_compartment(route.type);
    case Interaction::kValidate:
    case Interaction::kValidateCode: return true;
    default: return false;
  }
}

// Routes restricted scopes may allow: reads of stored resources a search can test.
bool restrictable(const Route& route, std::string_view patient, bool patient_scopes) {
  switch (route.interaction) {
    case Interaction::kRead:
    case Interaction::kVread:
    case Interaction::kHistoryInstance:
    case Interaction::kSearchType: return !route.type.empty();
    case Interaction::kSearchCompartment:
      return patient_scopes && route.compartment == "Patient" && route.id == patient;
    default: return false;
  }
}

// The restricted scopes of one context that cover `want` on `type`.
std::vector<const SmartScope*> covering_restricted(const std::vector<SmartScope>& scopes,
                                                   bool patient, std::string_view type,
                                                   const ScopePermissions& want) {
  std::vector<const SmartScope*> out;
  for (const SmartScope& scope : scopes) {
    if ((scope.context == ScopeContext::kPatient) != patient || scope.restriction.empty()) {
      continue;
    }
    if (scope.resource_type != "*" && scope.resource_type != type) continue;
    if (covers(scope.permissions, want)) out.push_back(&scope);
  }
  return out;
}

// The restriction of restriction_of(); nullopt when no restricted scope covers `want`.
std::optional<Result<ScopeRestriction>> find_restriction(const Grant& grant, std::string_view type,
                                                         const ScopePermissions& want) {
  bool patient = false;
  std::vector<const SmartScope*> scopes = covering_restricted(grant.scopes, false, type, want);
  if (scopes.empty() && !grant.patient.empty() && in_patient_compartment(type)) {
    scopes = covering_restricted(grant.scopes, true, type, want);
    patient = true;
  }
  if (scopes.empty()) return std::nullopt;
  ScopeRestriction out{.patient = patient, .params = scopes.front()->restriction};
  if (scopes.size() == 1) return out;
  const std::string& name = out.params.front().first;
  std::string values;
  for (const SmartScope* scope : scopes) {
    if (scope->restriction.size() != 1 || scope->restriction.front().first != name) {
      return Status(Code::kForbidden,
                    "the token's granular scopes on " + std::string(type) +
                        " restrict by different parameters, whose union a search cannot express "
                        "(one parameter, the same in each, can be combined)");
    }
    values += (values.empty() ? "" : ",") + scope->restriction.front().second;
  }
  out.params = {{name, values}};
  return out;
}

}  // namespace

Result<ScopeRestriction> restriction_of(const Grant& grant, std::string_view type,
                                        const ScopePermissions& want) {
  std::optional<Result<ScopeRestriction>> found = find_restriction(grant, type, want);
  if (!found) {
    return Status(Code::kForbidden, "no granular scope of the token covers " + std::string(type));
  }
  return std::move(*found);
}

Status authorize(const std::vector<SmartScope>& scopes, Interaction interaction,
                 std::string_view type) {
  const std::optional<ScopePermissions> want = needed(interaction);
  if (!want || covers(granted(scopes, false, type), *want)) return Status::ok();
  return refusal(interaction, type);
}

Result<Reach> authorize(const Grant& grant, const Route& route) {
  const std::optional<ScopePermissions> want = needed(route.interaction);
  if (!want || covers(granted(grant.scopes, false, route.type), *want)) return Reach::kAll;
  if (!covers(granted(grant.scopes, true, route.type), *want)) {
    // Restricted (v2 granular) scopes, for the reads they can be held to.
    std::optional<Result<ScopeRestriction>> restriction =
        find_restriction(grant, route.type, *want);
    if (!restriction) return refusal(route.interaction, route.type);
    if (!restriction->is_ok()) return restriction->status();
    if (!restrictable(route, grant.patient, (*restriction)->patient)) {
      return refusal(route.interaction, route.type,
                     " (its granular scopes allow only reads and searches of the type)");
    }
    return Reach::kRestricted;
  }
  if (grant.patient.empty()) {
    return refusal(route.interaction, route.type,
                   " (its patient/ scopes need a patient claim naming the patient)");
  }
  if (!holdable(route, grant.patient)) {
    return refusal(route.interaction, route.type,
                   " (its patient/ scopes reach only the patient's compartment, which this "
                   "request cannot be held to)");
  }
  return Reach::kPatientCompartment;
}

std::optional<Reach> reach_of_type(const Grant& grant, std::string_view type) {
  auto reads = [](const ScopePermissions& p) { return p.read || p.search; };
  if (reads(granted(grant.scopes, false, type))) return Reach::kAll;
  if (!grant.patient.empty() && in_patient_compartment(type) &&
      reads(granted(grant.scopes, true, type))) {
    return Reach::kPatientCompartment;
  }
  // Included resources are shown as a read would show them: the read letter of granular scopes.
  if (restriction_of(grant, type, ScopePermissions{.read = true}).is_ok())
    return Reach::kRestricted;
  return std::nullopt;
}

Status authorize_bulk_export(const Grant& grant, const std::vector<std::string>& types) {
  for (const std::string& type : types) {
    bool reads = false;
    for (const SmartScope& scope : grant.scopes) {
      reads = reads || (scope.context == ScopeContext::kSystem && scope.restriction.empty() &&
                        scope.permissions.read &&
                        (scope.resource_type == "*" || scope.resource_type == type));
    }
    if (!reads) {
      return Status(Code::kForbidden, "a bulk export of " + type +
                                          " needs a system/ scope that reads it (system/" + type +
                                          ".read, system/*.read or system/*.rs)");
    }
  }
  return Status::ok();
}

Status authorize_admin(const Grant& grant) {
  if (grant.admin) return Status::ok();
  return Status(Code::kForbidden,
                "the HL7 operating API needs the administrator claim (--admin-claim, "
                "--admin-value)");
}

Status authorize_operations(const std::vector<SmartScope>& scopes) {
  for (const SmartScope& scope : scopes) {
    if (scope.context == ScopeContext::kSystem && scope.resource_type == "*" &&
        scope.permissions.read && scope.restriction.empty()) {
      return Status::ok();
    }
  }
  return Status(Code::kForbidden,
                "the server's metrics need a system-level read scope on every type "
                "(system/*.read or system/*.rs)");
}

}  // namespace hearth::api
