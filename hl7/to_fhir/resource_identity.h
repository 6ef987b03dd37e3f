// How a resource one message maps to is found again when a later message speaks of it (issue 14):
// the identifier each kind of resource is known by, the keys Hearth adds where the IG leaves a
// resource without one, and the condition ("identifier=<system>|<value>") a transaction entry
// looks it up with.
//
// - Identity (identity_rules): a patient by PID-3, an encounter by its visit number, an order by
//   its filler then placer number, a report by OBR-3, a result by OBX-21 or Hearth's results key,
//   an appointment by SCH-2, an immunization by ORC-3, an account by PID-18; one of these sent
//   without an assigning authority by a local key within the sending facility.
// - Mentions: the organisations, practitioners, places and devices a message names rather than
//   describes (an assigning authority, an ordering provider). One with an identifier that has a
//   system is found again by it; else key_mentions() keys it by its content within its sender.
//
// Values over a ResourceBuilder's nodes, no I/O. Thread-safety: none needed (functions of their
// arguments; key_mentions changes the builder it is given).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "hl7/to_fhir/resource_builder.h"

namespace hearth::hl7::to_fhir {

struct IdentityRule {
  std::string_view type;
  int identifier_instance;  // "identifier[n]" of the segment map
  std::string_view why;
  // kHearthKeyInstance rules only: the key is key_local_identities' (the type is found again by
  // a number sent without an assigning authority).
  bool local_key = false;
};

// The rules, in order of preference per type. The first one with a system and a value makes the
// entry a conditional update (or create); without one, a create.
std::span<const IdentityRule> identity_rules();

// The IG instance of `identifier` Hearth writes its own keys to (after every instance the IG's
// rows use): the results, report, appointment and mention keys.
inline constexpr int kHearthKeyInstance = 9;

// Instance n of a resource's identifier: keyed (n, repetition 1) when its field repeats, (n)
// when it does not. nullptr when there is none.
const Node* identifier_at(const Node& root, int n);
inline Node* identifier_at(Node& root, int n) {
  return const_cast<Node*>(identifier_at(std::as_const(root), n));
}

// The system and value of an Identifier node, or of identifier_at(root, n); each "" when absent
// or empty.
struct IdentifierText {
  std::string_view system, value;
};
IdentifierText identifier_text(const Node& identifier);
IdentifierText identifier_text(const Node& root, int n);

// Sets identifier[kHearthKeyInstance] of `root` to (system, value); a key already set stays.
void set_hearth_key(Node& root, std::string_view system, std::string_view value);

// "identifier=<system>|<value>" (URL-encoded) of the first rule that finds one, or "".
std::string identity_of(const Resource& resource);

// Gives each resource of a type with a local-key rule (patient, encounter, order, account) of
// `builder` that identity_of() finds nothing for, and whose first valued identity identifier has no
// system (the sender named no assigning authority: PID-3 `55501`, PV1-19 `V7001`), the key
// urn:hearth:hl7-local|<facility>^<n>^<value> (n: the rule's identifier instance), so the sending
// facility's next message finds it again instead of making another. `facility` is MSH-4 as sent.
// Run after the system base (system_base.h), which gives such identifiers a configured system
// instead.
void key_local_identities(ResourceBuilder& builder, std::string_view facility);

// True for the types a message mentions rather than describes (see above).
bool mentioned(std::string_view type);

// How a mentioned resource is found: `found` = "identifier=<system>|<value>" of its first
// identifier with a system, found again across messages; else `local` = "identifier=<value>" of
// its first identifier, which makes two mentions in one message the same resource. Both "" when
// it is not mentioned or has no identifier.
struct MentionIdentity {
  std::string found, local;
};
MentionIdentity mention_identity(const Resource& resource);

// Keys every non-empty mentioned resource without a `found` identity by its content: it gets the
// identifier (urn:hearth:hl7-mention, <128-bit hash of `sender` and its JSON>), so the next
// message of that sender naming the same organisation, practitioner, place or device finds it
// instead of creating another (an assigning authority "MRN" of PID-3 is one Organization per
// sender, not one per message). References in the JSON count by the key of what they reference:
// a mention referencing a resource that has no identity (one created with every message) gets no
// key. Mentions with the same `local` identity share the key of the first of them, which the
// Bundle makes them anyway. `sender` names whose namespace the content lives in (MSH-3 and
// MSH-4): two senders' "MRN" stay two Organizations.
void key_mentions(ResourceBuilder& builder, std::string_view sender);

}  // namespace hearth::hl7::to_fhir
