// Identity rules and keys of mapped resources (resource_identity.h).
#include "hl7/to_fhir/resource_identity.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "core/content_hash.h"
#include "core/url_encoding.h"

namespace hearth::hl7::to_fhir {
namespace {

// The IG instance of the identifier each map writes a resource's identity into, in order of
// preference (issue 14).
constexpr IdentityRule kIdentity[] = {
    {"Patient", 2, "PID[Patient]: PID-3 -> identifier[2]"},
    {"Encounter", 1, "PV1[Encounter]: PV1-19 (visit number) -> identifier[1]"},
    {"ServiceRequest", 2, "ORC/OBR[ServiceRequest]: filler number -> identifier[2]"},
    {"ServiceRequest", 1, "ORC/OBR[ServiceRequest]: placer number -> identifier[1]"},
    {"DiagnosticReport", 2, "OBR[DiagnosticReport]: OBR-3 filler number -> identifier[2]"},
    {"DiagnosticReport", kHearthKeyInstance,
     "Hearth's report key (identify_results): the filler or placer number"},
    {"Observation", 1, "OBX[Observation]: OBX-21 observation instance identifier -> identifier"},
    {"Observation", kHearthKeyInstance,
     "Hearth's results key (identify_results): filler, OBX-3, occurrence"},
    {"Appointment", 2, "SCH[Appointment]: SCH-2 filler appointment ID -> identifier[2]"},
    {"Immunization", 2, "ORC[Immunization]: ORC-3 filler order number -> identifier[2]"},
    {"Immunization", 1, "ORC[Immunization]: ORC-2 placer order number -> identifier[1]"},
    {"Immunization", kHearthKeyInstance,
     "Hearth's immunization key (identify_results): the filler or placer number"},
    {"Account", 1, "PID[Account]: PID-18 patient account number -> identifier"},
    {"Appointment", kHearthKeyInstance,
     "Hearth's appointment key (identify_appointments): the filler ID"},
    // key_local_identities: an identity identifier the sender gave no assigning authority. Not
    // for results, reports, immunizations and appointments, whose keys are their own
    // (message_mapper.cpp): an OBX-21 without a system does not tell results apart (senders
    // repeat it).
    {"Patient", kHearthKeyInstance, "Hearth's local key: PID-3 within the sending facility", true},
    {"Encounter", kHearthKeyInstance, "Hearth's local key: PV1-19 within the sending facility",
     true},
    {"ServiceRequest", kHearthKeyInstance,
     "Hearth's local key: the filler, else placer, number within the sending facility", true},
    {"Account", kHearthKeyInstance, "Hearth's local key: PID-18 within the sending facility", true},
};

constexpr std::string_view kLocalKeySystem = "urn:hearth:hl7-local";

constexpr std::string_view kMentionKeySystem = "urn:hearth:hl7-mention";

// A reference chain longer than this (a place inside a place inside ...) is not keyed.
constexpr int kMaxKeyDepth = 8;

std::string token_condition(std::string_view system, std::string_view value) {
  return "identifier=" + url_encode(std::string(system) + "|" + std::string(value));
}

// Works out each mention's content key once (key_mentions).
class MentionKeys {
 public:
  MentionKeys(ResourceBuilder& builder, std::string_view sender)
      : builder_(builder), sender_(sender) {}

  void run() {
    for (const auto& r : builder_.resources()) {
      if (mentioned(r->type) && !r->root->empty()) key_of(*r, 0);
    }
  }

 private:
  // "Type?identifier=..." that finds `r` again, or "" when nothing does.
  std::string key_of(const Resource& r, int depth) {
    if (auto done = keys_.find(&r); done != keys_.end()) return done->second;
    keys_[&r] = "";  // in progress: a reference cycle gets no key
    std::string key;
    if (std::string identity = identity_of(r); !identity.empty()) {
      key = r.type + "?" + identity;
    } else if (mentioned(r.type)) {
      MentionIdentity mention = mention_identity(r);
      if (!mention.found.empty()) {
        key = r.type + "?" + mention.found;
      } else if (depth < kMaxKeyDepth) {
        key = content_key(r, mention.local.empty() ? "" : r.type + "?" + mention.local, depth);
      }
    }
    keys_[&r] = key;
    return key;
  }

  // Keys `r` by its content, or by the content of the first mention with its `local` identity.
  std::string content_key(const Resource& r, const std::string& local, int depth) {
    std::string hash;
    if (auto first = by_local_.find(local); !local.empty() && first != by_local_.end()) {
      hash = first->second;
    } else {
      hash = hash_of(r, depth);
      if (!local.empty()) by_local_.emplace(local, hash);
    }
    if (hash.empty()) return "";
    set_hearth_key(*r.root, kMentionKeySystem, hash);
    return r.type + "?" + token_condition(kMentionKeySystem, hash);
  }

  // The hash of the sender and `r`'s JSON with every reference to another resource of the
  // message replaced by that one's key; "" when one of them has none.
  std::string hash_of(const Resource& r, int depth) {
    std::string json = ResourceBuilder::to_json(r);
    for (const auto& other : builder_.resources()) {
      if (other.get() == &r || json.find(other->full_url) == std::string::npos) continue;
      // An empty resource's references are dropped from the Bundle: they say nothing.
      const std::string key = other->root->empty() ? std::string() : key_of(*other, depth + 1);
      if (key.empty() && !other->root->empty()) return "";
      for (std::size_t at = json.find(other->full_url); at != std::string::npos;
           at = json.find(other->full_url, at + key.size())) {
        json.replace(at, other->full_url.size(), key);
      }
    }
    return content_hash_128(sender_ + '\n' + json);
  }

  ResourceBuilder& builder_;
  std::string sender_;
  std::map<const Resource*, std::string> keys_;
  std::map<std::string, std::string, std::less<>> by_local_;  // local identity -> hash
};

}  // namespace

std::span<const IdentityRule> identity_rules() {
  return kIdentity;
}

const Node* identifier_at(const Node& root, int n) {
  if (const Node* repeated = root.existing("identifier", {n, 1})) return repeated;
  return root.existing("identifier", {n});
}

void set_hearth_key(Node& root, std::string_view system, std::string_view value) {
  Result<Node*> id = root.child("identifier", {kHearthKeyInstance, 1});
  if (!id) return;
  if (Result<Node*> s = (*id)->child("system", {})) (*s)->set(system);
  if (Result<Node*> v = (*id)->child("value", {})) (*v)->set(value);
}

IdentifierText identifier_text(const Node& identifier) {
  IdentifierText out;
  const Node* system = identifier.existing("system", {});
  const Node* value = identifier.existing("value", {});
  if (system != nullptr && system->has_value()) out.system = system->value();
  if (value != nullptr && value->has_value()) out.value = value->value();
  return out;
}

IdentifierText identifier_text(const Node& root, int n) {
  const Node* id = identifier_at(root, n);
  return id == nullptr ? IdentifierText{} : identifier_text(*id);
}

std::string identity_of(const Resource& resource) {
  for (const IdentityRule& rule : kIdentity) {
    if (rule.type != resource.type) continue;
    const IdentifierText id = identifier_text(*resource.root, rule.identifier_instance);
    if (!id.system.empty() && !id.value.empty()) return token_condition(id.system, id.value);
  }
  return {};
}

void key_local_identities(ResourceBuilder& builder, std::string_view facility) {
  const auto locally_keyed = [](std::string_view type) {
    return std::any_of(
        std::begin(kIdentity), std::end(kIdentity),
        [type](const IdentityRule& rule) { return rule.local_key && rule.type == type; });
  };
  for (const auto& r : builder.resources()) {
    if (!locally_keyed(r->type) || r->root->empty() || !identity_of(*r).empty()) continue;
    for (const IdentityRule& rule : kIdentity) {
      if (rule.type != r->type || rule.identifier_instance == kHearthKeyInstance) continue;
      const IdentifierText id = identifier_text(*r->root, rule.identifier_instance);
      if (id.value.empty()) continue;
      if (!id.system.empty()) break;  // a system that finds nothing: no key
      set_hearth_key(*r->root, kLocalKeySystem,
                     std::string(facility) + "^" + std::to_string(rule.identifier_instance) + "^" +
                         std::string(id.value));
      break;
    }
  }
}

bool mentioned(std::string_view type) {
  return type == "Organization" || type == "Practitioner" || type == "Location" ||
         type == "Device" || type == "PractitionerRole";
}

MentionIdentity mention_identity(const Resource& resource) {
  MentionIdentity out;
  if (!mentioned(resource.type)) return out;
  for (const Node* id : resource.root->all("identifier")) {
    const Node* value = id->existing("value", {});
    if (value == nullptr || !value->has_value()) continue;
    const Node* system = id->existing("system", {});
    if (system != nullptr && system->has_value()) {
      out.found = token_condition(system->value(), value->value());
      return out;
    }
    if (out.local.empty()) out.local = "identifier=" + url_encode(value->value());
  }
  return out;
}

void key_mentions(ResourceBuilder& builder, std::string_view sender) {
  MentionKeys(builder, sender).run();
}

}  // namespace hearth::hl7::to_fhir
