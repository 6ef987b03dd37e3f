// The entry runner: plan (ids, fullUrl map), resolve (conditionals, inside the transaction when
// there are any), prepare (rewrite, stamp, index), write, then read.
#include "api/rest/entry_runner.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <unordered_map>
#include <utility>

#include "api/rest/compartment_access.h"
#include "api/rest/conditional.h"
#include "api/rest/early_index.h"
#include "api/rest/interactions.h"
#include "api/rest/patch_body.h"
#include "api/rest/profile_source.h"
#include "api/rest/reference_rewrite.h"
#include "api/rest/resource_body.h"
#include "api/rest/smart_scopes.h"
#include "api/rest/version_response.h"
#include "api/rest/write_request.h"
#include "core/base64.h"
#include "core/code_table.h"
#include "fhir/search/index_values.h"
#include "fhir/search/late_target.h"

namespace hearth::api {
namespace {

enum class Action { kNone, kCreate, kUpdate, kDelete, kMatched, kRead };

// One entry on its way through the transaction.
struct Planned {
  BundleEntry* entry = nullptr;
  std::size_t position = 0;  // in the entries vector, and so in the results
  Action action = Action::kNone;
  std::string id;                       // create / update / literal delete target
  std::vector<std::string> delete_ids;  // what a delete removes
  std::optional<storage::ResourceVersion> matched;
  storage::WriteRequest write;
  bool patch = false;  // an update whose body is the current version patched
  // The patient the entry is held to under patient/ scopes (compartment_access.h); "" if none.
  std::string patient;
  // Its body's index values, extracted when planned (early_index.h); used once.
  std::optional<fhir::search::IndexValues> early_index;
};

// The specification's processing order (http.html#trules).
int order_of(EntryMethod method) {
  switch (method) {
    case EntryMethod::kDelete: return 0;
    case EntryMethod::kPost: return 1;
    case EntryMethod::kPut:
    case EntryMethod::kPatch: return 2;
    case EntryMethod::kGet:
    case EntryMethod::kHead: return 3;
  }
  return 3;
}

// `status` as the failure of `entry`: its expression names the entry, its text starts with it.
Status at(const BundleEntry& entry, Status status) {
  if (entry.location.empty() || status.is_ok()) return status;
  for (Issue& issue : status.issues()) {
    if (issue.expression.empty()) issue.expression = entry.location;
    if (!issue.diagnostics.starts_with("Bundle.entry[")) {
      issue.diagnostics = entry.location + ": " + issue.diagnostics;
    }
  }
  return status;
}

std::string type_id(std::string_view type, std::string_view id) {
  std::string out(type);
  out.push_back('/');
  out.append(id);
  return out;
}

std::string body_id(const BundleEntry& entry) {
  if (entry.resource == nullptr) return {};
  auto id = entry.resource->FindMember("id");
  if (id == entry.resource->MemberEnd() || !fhir::is_json_string(id->value)) return {};
  return std::string(fhir::json_string(id->value));
}

// "Type/id" when `full_url` is an absolute URL ending in that, of `type`; else "".
std::string relative_of(std::string_view full_url, std::string_view type) {
  if (full_url.find("://") == std::string_view::npos) return {};
  const std::size_t slash = full_url.rfind('/');
  if (slash == std::string_view::npos || slash < type.size() + 1) return {};
  std::string_view head = full_url.substr(0, slash);
  if (!head.ends_with(type) || head[head.size() - type.size() - 1] != '/') return {};
  return type_id(type, full_url.substr(slash + 1));
}

bool has_conditional_reference(const BundleEntry& entry) {
  if (entry.resource == nullptr) return false;
  bool found = false;
  for_each_reference(*entry.resource, [&](std::string_view ref) {
    std::string_view type, criteria;
    if (split_conditional_reference(ref, type, criteria)) found = true;
  });
  return found;
}

// Does the entry need the store before its writes can be prepared?
bool needs_store(const BundleEntry& entry) {
  const Interaction in = entry.route.interaction;
  return !entry.if_none_exist.empty() || in == Interaction::kConditionalUpdate ||
         in == Interaction::kConditionalDelete || entry.method == EntryMethod::kPatch ||
         has_conditional_reference(entry);
}

class Runner final : public PlannedTransaction {
 public:
  Runner(std::vector<BundleEntry>& entries, const EntryContext& ctx)
      : entries_(entries), ctx_(ctx) {}

  // Everything decided before the store: ids, duplicate targets, the fullUrl map, and (when no
  // entry needs the store to resolve anything, and `at_run` is false) every write prepared.
  Status plan(bool at_run, bool resolve_first) {
    lookup_ = at_run;
    late_source_ = at_run ? std::make_shared<std::string>() : nullptr;
    planned_.resize(entries_.size());
    std::unordered_map<std::string, std::size_t> targets;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      BundleEntry& entry = entries_[i];
      Planned& p = planned_[i];
      p.entry = &entry;
      p.position = i;
      const Interaction in = entry.route.interaction;
      HEARTH_RETURN_IF_ERROR(authorize_entry(entry, p.patient));
      if (entry.method == EntryMethod::kPost && entry.new_id.empty()) {
        entry.new_id = ctx_.ids.next_id();
      }
      if (in == Interaction::kConditionalUpdate && entry.new_id.empty() && body_id(entry).empty()) {
        entry.new_id = ctx_.ids.next_id();
      }
      if (in == Interaction::kUpdate || in == Interaction::kDelete || in == Interaction::kPatch) {
        auto [it, fresh] = targets.emplace(type_id(entry.route.type, entry.route.id), i);
        if (!fresh) {
          return at(entry, Status(Code::kInvalidArgument,
                                  type_id(entry.route.type, entry.route.id) +
                                      " is also written by " + entries_[it->second].location +
                                      "; a transaction writes each resource once"));
        }
        locks_.emplace_back(entry.route.type, entry.route.id);
      }
      if (!entry.full_url.empty() &&
          (entry.method == EntryMethod::kPost || entry.method == EntryMethod::kPut)) {
        std::string target;
        if (entry.method == EntryMethod::kPost) target = type_id(entry.route.type, entry.new_id);
        if (in == Interaction::kUpdate) target = type_id(entry.route.type, entry.route.id);
        if (full_urls_.count(entry.full_url) > 0) {
          return at(entry, Status(Code::kInvalidArgument,
                                  "fullUrl '" + entry.full_url + "' is used by two entries"));
        }
        full_urls_[entry.full_url] = target;  // empty: known once its conditional is resolved
        early_.add_target(entry.full_url, entry.route.type);
        // A new resource with an absolute fullUrl (".../Patient/a2") is what other entries'
        // relative references to "Patient/a2" mean (bundle.html#references).
        if (entry.method == EntryMethod::kPost) {
          const std::string relative = relative_of(entry.full_url, entry.route.type);
          if (!relative.empty() && full_urls_.emplace(relative, target).second) {
            early_.add_target(relative, entry.route.type);
          }
        }
      }
      if (needs_store(entry)) lookup_ = true;
    }
    std::stable_sort(planned_.begin(), planned_.end(), [](const Planned& a, const Planned& b) {
      return order_of(a.entry->method) < order_of(b.entry->method);
    });
    if (!lookup_) {
      map_ = full_urls_;
      for (Planned& p : planned_) HEARTH_RETURN_IF_ERROR(resolve_literal(p));
      for (Planned& p : planned_) {
        HEARTH_RETURN_IF_ERROR(prepare(p, p.entry->resource, p.entry->allocator, ctx_.store));
      }
    } else {
      extract_early();
      if (resolve_first) speculate();
    }
    return Status::ok();
  }

  // The transaction's body. Starts from the plan each time (PostgreSQL may run it again).
  Status run(storage::StoreTransaction& tx, std::string_view meta_source = {}) override {
    meta_source_ = meta_source;
    results_.assign(entries_.size(), EntryResult{});
    HEARTH_RETURN_IF_ERROR(tx.lock(locks_));
    if (late_source_) *late_source_ = std::string(meta_source);
    if (lookup_) {
      // Prepared on copies: a second run must find the resources as the client sent them.
      fhir::JsonDocument scratch;
      std::deque<fhir::JsonValue> copies;
      map_ = full_urls_;
      prefetch(tx);
      for (Planned& p : planned_) HEARTH_RETURN_IF_ERROR(resolve(p, tx, &tx));
      HEARTH_RETURN_IF_ERROR(resolve_conditional_references(tx, /*direct_only=*/false));
      if (take_speculation()) return write_and_read(tx);
      early_ids_ = early_.resolved_ids(map_);
      std::deque<fhir::JsonDocument> patched;
      for (Planned& p : planned_) {
        if (p.patch) {
          HEARTH_ASSIGN_OR_RETURN(fhir::JsonDocument * doc, patched_resource(p, tx, patched));
          HEARTH_RETURN_IF_ERROR(prepare(p, doc, &doc->GetAllocator(), tx));
          p.write.method = "PATCH";
          continue;
        }
        if (p.entry->resource == nullptr) continue;
        fhir::JsonValue& copy = copies.emplace_back(*p.entry->resource, scratch.GetAllocator());
        HEARTH_RETURN_IF_ERROR(prepare(p, &copy, &scratch.GetAllocator(), tx));
      }
    }
    return write_and_read(tx);
  }

  std::vector<EntryResult>& results() override { return results_; }

 private:
  // What resolve() decided for one entry: a speculation holds when the transaction decides the
  // same for every entry.
  struct Decision {
    Action action = Action::kNone;
    std::string id, matched;
    std::vector<std::string> delete_ids;
    bool operator==(const Decision&) const = default;
  };
  static Decision decision_of(const Planned& p) {
    return Decision{p.action, p.id, p.matched ? p.matched->id : std::string(), p.delete_ids};
  }

  // The lookups made before the transaction, on the store as it is now, and every write
  // prepared from them (rewritten, stamped, indexed), so that the transaction, once it has made
  // the same lookups and found the same, only writes: the store's single writer (SQLite) is
  // then held for the rows alone. Only where every lookup is a direct token lookup (a point
  // read), nothing reads the current version (PATCH) or profiles (--enforce-profiles), and no
  // grant holds the entries to a patient. Anything else, or any failure, leaves no speculation:
  // the transaction resolves and prepares as it would without one.
  void speculate() {
    if (ctx_.limits.enforce_profiles || ctx_.request.grant != nullptr) return;
    for (const Planned& p : planned_) {
      if (p.entry->method == EntryMethod::kPatch) return;
    }
    map_ = full_urls_;
    prefetch(ctx_.store);
    for (Planned& p : planned_) {
      if (!resolve(p, ctx_.store, nullptr).is_ok()) return;
    }
    if (!resolve_conditional_references(ctx_.store, /*direct_only=*/true).is_ok()) return;
    early_ids_ = early_.resolved_ids(map_);
    Speculation s;
    s.map = map_;
    fhir::JsonDocument scratch;
    for (Planned& p : planned_) {
      s.decisions.push_back(decision_of(p));
      if (p.entry->resource != nullptr &&
          (p.action == Action::kCreate || p.action == Action::kUpdate)) {
        fhir::JsonValue copy(*p.entry->resource, scratch.GetAllocator());
        if (!prepare(p, &copy, &scratch.GetAllocator(), ctx_.store).is_ok()) return;
      }
      s.writes.push_back(std::move(p.write));
    }
    speculation_ = std::move(s);
  }

  // After the transaction's own lookups: the speculation's writes, when it decided the same
  // (each write then keeps the precondition resolve() gave it and gets the run's meta.source).
  // Used once: a second run (PostgreSQL's retry) prepares again.
  bool take_speculation() {
    if (!speculation_) return false;
    Speculation s = std::move(*speculation_);
    speculation_.reset();
    if (s.map != map_) return false;
    for (std::size_t i = 0; i < planned_.size(); ++i) {
      if (!(s.decisions[i] == decision_of(planned_[i]))) return false;
    }
    for (std::size_t i = 0; i < planned_.size(); ++i) {
      Planned& p = planned_[i];
      if (p.action != Action::kCreate && p.action != Action::kUpdate) continue;
      const std::optional<std::int64_t> expected = p.write.expected_version;
      p.write = std::move(s.writes[i]);
      p.write.expected_version = expected;
      if (!meta_source_.empty()) fhir::search::add_meta_source(p.write.index, meta_source_);
    }
    return true;
  }

  Status write_and_read(storage::StoreTransaction& tx) {
    for (Planned& p : planned_) HEARTH_RETURN_IF_ERROR(hold_to_patient(p, tx));
    for (Planned& p : planned_) HEARTH_RETURN_IF_ERROR(write(p, tx));
    for (Planned& p : planned_) {
      if (p.action == Action::kRead) HEARTH_RETURN_IF_ERROR(read(p, tx));
    }
    return Status::ok();
  }

  // The entry authorised as the request it stands for (smart_scopes.h); `patient` set to the
  // patient it is held to. A conditional create would search beyond the compartment: refused
  // under patient/ scopes.
  Status authorize_entry(const BundleEntry& entry, std::string& patient) {
    if (ctx_.request.grant == nullptr) return Status::ok();
    Result<Reach> reach = authorize(*ctx_.request.grant, entry.route);
    if (!reach.is_ok()) return at(entry, reach.status());
    if (*reach != Reach::kPatientCompartment) return Status::ok();
    patient = ctx_.request.grant->patient;
    if (!entry.if_none_exist.empty()) {
      return at(entry, Status(Code::kForbidden,
                              "a conditional create (ifNoneExist) searches beyond the patient "
                              "compartment the token's patient/ scopes reach"));
    }
    return Status::ok();
  }

  // A write held to its patient: what it replaces or deletes is the patient's (an update may
  // create what never existed), and what it stores stays so. Reads hold themselves.
  Status hold_to_patient(const Planned& p, storage::StoreTransaction& tx) {
    if (p.patient.empty()) return Status::ok();
    const BundleEntry& entry = *p.entry;
    const std::string& type = entry.route.type;
    switch (p.action) {
      case Action::kCreate:
        return at(entry, require_write_in_patient_compartment(p.patient, p.write));
      case Action::kUpdate: {
        auto member = in_patient_compartment(tx, p.patient, type, p.id);
        if (!member.is_ok()) return at(entry, member.status());
        if (!*member && tx.read(type, p.id).status().code() != Code::kNotFound) {
          return at(entry, require_in_patient_compartment(tx, p.patient, type, p.id));
        }
        return at(entry, require_write_in_patient_compartment(p.patient, p.write));
      }
      case Action::kDelete:
        for (const std::string& id : p.delete_ids) {
          HEARTH_RETURN_IF_ERROR(
              at(entry, require_in_patient_compartment(tx, p.patient, type, id)));
        }
        return Status::ok();
      default: return Status::ok();
    }
  }

  // What an entry does when nothing about it is conditional.
  Status resolve_literal(Planned& p) {
    const BundleEntry& entry = *p.entry;
    switch (entry.route.interaction) {
      case Interaction::kCreate:
        p.action = Action::kCreate;
        p.id = entry.new_id;
        return Status::ok();
      case Interaction::kUpdate:
        p.action = Action::kUpdate;
        p.id = entry.route.id;
        return expect_version(p);
      case Interaction::kDelete:
        p.action = Action::kDelete;
        p.id = entry.route.id;
        p.delete_ids = {entry.route.id};
        return expect_version(p);
      default:
        if (entry.method == EntryMethod::kGet || entry.method == EntryMethod::kHead) {
          p.action = Action::kRead;
          return Status::ok();
        }
        return at(entry,
                  Status(Code::kNotImplemented, std::string(method_name(entry.method)) + " " +
                                                    entry.url + " is not supported in a Bundle"));
    }
  }

  Status expect_version(Planned& p) {
    if (p.entry->if_match.empty()) return Status::ok();
    Result<std::int64_t> version = parse_if_match(p.entry->if_match);
    if (!version.is_ok()) return at(*p.entry, version.status());
    p.write.expected_version = *version;
    return Status::ok();
  }

  // When a search whose "none found" creates a resource (a conditional create, a conditional
  // update) found none, it runs again under this lock: transactions about to create for the
  // same criteria take turns, so two racing ones make one resource, not two
  // (storage::StoreTransaction::lock_criteria), while those that find it at once (the usual
  // case: many messages for one patient) never wait. The key is the type and the criteria
  // sorted, so the same criteria in another order meet on the same lock.
  Result<bool> lock_criteria(storage::StoreTransaction& tx, const BundleEntry& entry,
                             const QueryParams& criteria) {
    QueryParams sorted = criteria;
    std::sort(sorted.begin(), sorted.end());
    std::string key = entry.route.type;
    char separator = '?';
    for (const auto& [name, value] : sorted) {
      key.append(1, separator).append(name).append(1, '=').append(value);
      separator = '&';
    }
    Result<bool> locked = tx.lock_criteria(key);
    if (!locked.is_ok()) return at(entry, locked.status());
    return locked;
  }

  // The first lookup of every conditional create and conditional update, made together before
  // resolve() asks for each (prefetch_matches: an HL7 message's identity lookups, one per
  // resource it maps, in one statement per type and parameter on SQLite). Nothing is written
  // between these lookups and resolve()'s, so the answers are the ones resolve() would get. A
  // lookup made again under lock_criteria's lock is made anew.
  void prefetch(storage::ResourceReader& reader) {
    prefetched_.clear();
    std::vector<QueryParams> parsed;
    parsed.reserve(planned_.size());
    std::vector<const BundleEntry*> asking;
    std::vector<std::pair<std::string_view, const QueryParams*>> criteria;
    for (const Planned& p : planned_) {
      const BundleEntry& entry = *p.entry;
      const QueryParams* query = nullptr;
      if (entry.route.interaction == Interaction::kCreate && !entry.if_none_exist.empty()) {
        Result<QueryParams> given = parse_criteria(entry.if_none_exist);
        if (!given.is_ok()) continue;  // resolve() reports it
        query = &parsed.emplace_back(std::move(given).value());
      } else if (entry.route.interaction == Interaction::kConditionalUpdate) {
        query = &entry.query;
      } else {
        continue;
      }
      asking.push_back(&entry);
      criteria.emplace_back(entry.route.type, query);
    }
    auto found = prefetch_matches(reader, criteria, 1);
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (found[i]) prefetched_.emplace(asking[i], std::move(*found[i]));
    }
  }

  // `tx` null: a speculation's lookup (direct token lookups only, nothing locked).
  Result<std::vector<storage::ResourceVersion>> matches(storage::ResourceReader& reader,
                                                        storage::StoreTransaction* tx,
                                                        const BundleEntry& entry,
                                                        const QueryParams& criteria,
                                                        std::size_t most) {
    if (auto it = prefetched_.find(&entry); it != prefetched_.end() && most == 1) {
      std::vector<storage::ResourceVersion> found = std::move(it->second);
      prefetched_.erase(it);
      return found;
    }
    return find_matches(reader, entry.route.type, criteria, ctx_.request.base_url,
                        ctx_.limits.search, most, /*direct_only=*/tx == nullptr);
  }

  // lock_criteria inside a transaction; before one (a speculation) nothing is locked.
  Result<bool> lock_if_in(storage::StoreTransaction* tx, const BundleEntry& entry,
                          const QueryParams& criteria) {
    if (tx == nullptr) return false;
    return lock_criteria(*tx, entry, criteria);
  }

  Status too_many(const BundleEntry& entry, const std::string& what) {
    return at(entry, Status(Code::kPreconditionFailed,
                            what + " matches more than one " + entry.route.type));
  }

  // An entry's target, found in the store where it is conditional: through `reader`, which is
  // `tx` inside the transaction, the store itself for a speculation (`tx` null).
  Status resolve(Planned& p, storage::ResourceReader& reader, storage::StoreTransaction* tx) {
    p.write = storage::WriteRequest{};
    p.delete_ids.clear();
    p.matched.reset();
    BundleEntry& entry = *p.entry;
    const Interaction in = entry.route.interaction;
    if (in == Interaction::kCreate && !entry.if_none_exist.empty()) {
      Result<QueryParams> criteria = parse_criteria(entry.if_none_exist);
      if (!criteria.is_ok()) return at(entry, criteria.status());
      auto found = matches(reader, tx, entry, *criteria, 1);
      if (found.is_ok() && found->empty()) {  // about to create: look again under the lock
        HEARTH_ASSIGN_OR_RETURN(const bool locked, lock_if_in(tx, entry, *criteria));
        if (locked) found = matches(reader, tx, entry, *criteria, 1);
      }
      if (!found.is_ok()) return at(entry, found.status());
      if (found->size() > 1) {
        return too_many(entry, "If-None-Exist '" + entry.if_none_exist + "'");
      }
      if (found->size() == 1) {
        p.action = Action::kMatched;
        p.matched = std::move((*found)[0]);
        if (!entry.full_url.empty()) map_[entry.full_url] = type_id(p.matched->type, p.matched->id);
        return Status::ok();
      }
      return resolve_literal(p);
    }
    if (in == Interaction::kConditionalUpdate) {
      auto found = matches(reader, tx, entry, entry.query, 1);
      if (found.is_ok() && found->empty()) {  // about to create: look again under the lock
        HEARTH_ASSIGN_OR_RETURN(const bool locked, lock_if_in(tx, entry, entry.query));
        if (locked) found = matches(reader, tx, entry, entry.query, 1);
      }
      if (!found.is_ok()) return at(entry, found.status());
      if (found->size() > 1) return too_many(entry, "PUT " + entry.url);
      const std::string given = body_id(entry);
      p.action = Action::kUpdate;
      if (found->size() == 1) {
        p.id = (*found)[0].id;
        if (!given.empty() && given != p.id) {
          return at(entry, Status(Code::kInvalidArgument, "the resource id '" + given +
                                                              "' differs from the id of the "
                                                              "resource the criteria match ('" +
                                                              p.id + "')"));
        }
      } else {
        p.id = given.empty() ? entry.new_id : given;
        if (!given.empty()) {
          auto existing = reader.read(entry.route.type, given);
          if (existing.is_ok()) {
            return at(entry,
                      Status(Code::kConflict,
                             type_id(entry.route.type, given) +
                                 " exists but does not match the criteria of PUT " + entry.url));
          }
        }
      }
      if (!entry.full_url.empty()) map_[entry.full_url] = type_id(entry.route.type, p.id);
      return expect_version(p);
    }
    if (in == Interaction::kPatch || in == Interaction::kConditionalPatch) {
      p.action = Action::kUpdate;
      p.patch = true;
      if (in == Interaction::kPatch) {
        p.id = entry.route.id;
      } else {
        auto found = matches(reader, tx, entry, entry.query, 1);
        if (!found.is_ok()) return at(entry, found.status());
        if (found->size() > 1) return too_many(entry, "PATCH " + entry.url);
        if (found->empty()) {
          return at(entry, Status(Code::kNotFound,
                                  "PATCH " + entry.url + " matches no " + entry.route.type));
        }
        p.id = (*found)[0].id;
      }
      return expect_version(p);
    }
    if (in == Interaction::kConditionalDelete) {
      const std::size_t most = std::max<std::size_t>(ctx_.limits.max_conditional_deletes, 1);
      auto found = matches(reader, tx, entry, entry.query, most);
      if (!found.is_ok()) return at(entry, found.status());
      if (found->size() > most) {
        return at(
            entry,
            Status(Code::kPreconditionFailed,
                   "DELETE " + entry.url + " matches more than " + std::to_string(most) +
                       (most == 1 ? " resource" : " resources") + " (--conditional-delete-max)"));
      }
      p.action = Action::kDelete;
      for (const storage::ResourceVersion& v : *found) p.delete_ids.push_back(v.id);
      return expect_version(p);
    }
    return resolve_literal(p);
  }

  // Every conditional reference of the writes, looked up once each: exactly one match.
  Status resolve_conditional_references(storage::ResourceReader& reader, bool direct_only) {
    for (Planned& p : planned_) {
      if (p.entry->resource == nullptr ||
          (p.action != Action::kCreate && p.action != Action::kUpdate)) {
        continue;
      }
      Status failure;
      std::vector<std::string> refs;
      for_each_reference(*p.entry->resource, [&](std::string_view ref) {
        std::string_view type, criteria;
        if (split_conditional_reference(ref, type, criteria) && map_.count(std::string(ref)) == 0) {
          refs.emplace_back(ref);
        }
      });
      for (const std::string& ref : refs) {
        if (map_.count(ref) > 0) continue;
        std::string_view type, criteria_text;
        split_conditional_reference(ref, type, criteria_text);
        Result<QueryParams> criteria = parse_criteria(criteria_text);
        if (!criteria.is_ok()) return at(*p.entry, criteria.status());
        auto found = find_matches(reader, type, *criteria, ctx_.request.base_url,
                                  ctx_.limits.search, 1, direct_only);
        if (!found.is_ok()) return at(*p.entry, found.status());
        if (found->empty()) {
          return at(*p.entry, Status(Code::kNotFound,
                                     "conditional reference '" + ref + "' matches no resource"));
        }
        if (found->size() > 1) {
          return at(*p.entry,
                    Status(Code::kPreconditionFailed,
                           "conditional reference '" + ref + "' matches more than one resource"));
        }
        map_[ref] = type_id(type, (*found)[0].id);
      }
    }
    return Status::ok();
  }

  // The current version of a PATCH entry's target with the patch applied (patch_body.h), kept
  // in `docs`. Its write expects the version patched: nothing can change it before the commit.
  Result<fhir::JsonDocument*> patched_resource(Planned& p, storage::StoreTransaction& tx,
                                               std::deque<fhir::JsonDocument>& docs) {
    const BundleEntry& entry = *p.entry;
    auto current = tx.read(entry.route.type, p.id);
    if (!current.is_ok()) return at(entry, current.status());
    if (p.write.expected_version && *p.write.expected_version != current->version) {
      return at(entry,
                Status(Code::kPreconditionFailed,
                       "If-Match names version " + std::to_string(*p.write.expected_version) +
                           " but the current version of " + type_id(entry.route.type, p.id) +
                           " is " + std::to_string(current->version)));
    }
    std::string content_type = entry.patch_content_type;
    std::string body = entry.patch_body;
    if (entry.resource != nullptr) {
      HEARTH_RETURN_IF_ERROR(patch_of_resource(entry, content_type, body));
    }
    auto doc = apply_patch_body(*current, content_type, body, ctx_.limits.xml);
    if (!doc.is_ok()) return at(entry, doc.status());
    p.write.expected_version = current->version;
    return &docs.emplace_back(std::move(doc).value());
  }

  // A Bundle entry's patch as a body: a Parameters resource is a FHIRPath Patch; a Binary holds a
  // JSON Patch (http.html#patch: "in a transaction, the JSON patch is a Binary").
  Status patch_of_resource(const BundleEntry& entry, std::string& content_type, std::string& body) {
    const fhir::JsonValue& resource = *entry.resource;
    auto member = [&](const char* name) -> std::string {
      auto it = resource.FindMember(name);
      return it != resource.MemberEnd() && fhir::is_json_string(it->value)
                 ? std::string(fhir::json_string(it->value))
                 : std::string();
    };
    if (member("resourceType") == "Parameters") {
      content_type = "application/fhir+json";
      body = fhir::write_json(resource);
      return Status::ok();
    }
    content_type = member("contentType");
    std::optional<std::string> data = decode_base64(member("data"));
    if (!data) {
      return at(entry, Status(Code::kInvalidArgument, "the Binary's data is not valid base64",
                              entry.location + ".resource.data"));
    }
    body = std::move(*data);
    return Status::ok();
  }

  // References rewritten, placeholders all resolved, under --enforce-profiles the profiles it
  // claims checked (found through `reader`), body stamped, index extracted.
  // `allocator` is null for entries without a body (DELETE, GET), which return first.
  Status prepare(Planned& p, fhir::JsonValue* resource, fhir::JsonAllocator* allocator,
                 storage::ResourceReader& reader) {
    if (p.action != Action::kCreate && p.action != Action::kUpdate) return Status::ok();
    const BundleEntry& entry = *p.entry;
    rewrite_references(*resource, *allocator, map_);
    std::string dangling;
    for_each_reference(*resource, [&](std::string_view ref) {
      if (dangling.empty() && is_placeholder(ref)) dangling = ref;
    });
    if (!dangling.empty()) {
      return at(entry,
                Status(Code::kInvalidArgument,
                       "reference '" + dangling + "' names no entry's fullUrl in this Bundle"));
    }
    if (ctx_.limits.enforce_profiles) {
      const std::string root =
          entry.location.empty() ? entry.route.type : entry.location + ".resource";
      HEARTH_RETURN_IF_ERROR(at(entry, enforce_claimed_profiles(reader, *resource, root)));
    }
    if (!late_source_ && !meta_source_.empty()) {
      set_meta_source(*resource, *allocator, meta_source_);
    }
    const std::optional<std::int64_t> expected = p.write.expected_version;
    auto write = build_write(entry.route.type, p.id, *resource, *allocator,
                             ctx_.limits.max_index_rows, late_source_, take_early_index(p));
    if (write.is_ok() && !meta_source_.empty() && late_source_) {
      fhir::search::add_meta_source(write->index, meta_source_);
    }
    if (!write.is_ok()) return at(entry, write.status());
    p.write = std::move(write).value();
    p.write.expected_version = expected;
    return Status::ok();
  }

  // Each entry's body as sent, indexed now, its references to the entries' fullUrls standing in
  // for the ids the transaction's lookups will decide (early_index.h): the transaction then binds
  // them instead of extracting, on the store's single writer where there is one.
  void extract_early() {
    fhir::JsonDocument scratch;
    for (Planned& p : planned_) {
      const BundleEntry& entry = *p.entry;
      if (entry.resource == nullptr ||
          (entry.method != EntryMethod::kPost && entry.method != EntryMethod::kPut)) {
        continue;
      }
      p.early_index = early_.extract(entry.route.type, *entry.resource, ctx_.limits.max_index_rows,
                                     late_source_ != nullptr, scratch.GetAllocator());
    }
  }

  // The entry's early index values bound to the ids resolved (early_ids_); nullopt, and so
  // extracted by build_write, when it has none, an earlier run (or the speculation) used them,
  // the body gets a meta.source of the run's that they lack, or a binding fails.
  std::optional<fhir::search::IndexValues> take_early_index(Planned& p) {
    std::optional<fhir::search::IndexValues> values = std::exchange(p.early_index, std::nullopt);
    if (!values || (!late_source_ && !meta_source_.empty())) return std::nullopt;
    if (!fhir::search::bind_late_targets(*values, early_ids_)) return std::nullopt;
    return values;
  }

  Status write(Planned& p, storage::StoreTransaction& tx) {
    EntryResult& result = results_[p.position];
    switch (p.action) {
      case Action::kCreate: {
        auto outcome = tx.create(p.write);
        if (!outcome.is_ok()) return at(*p.entry, outcome.status());
        result.status = 201;
        result.wrote = true;
        result.version = std::move(outcome->stored);
        return Status::ok();
      }
      case Action::kUpdate: {
        auto outcome = tx.update(p.write);
        if (!outcome.is_ok()) return at(*p.entry, outcome.status());
        result.status = outcome->kind == storage::WriteKind::kCreated ? 201 : 200;
        result.wrote = outcome->kind != storage::WriteKind::kNoChange;
        result.version = std::move(outcome->stored);
        return Status::ok();
      }
      case Action::kDelete: {
        result.status = 204;
        for (const std::string& id : p.delete_ids) {
          storage::WriteRequest request;
          request.type = p.entry->route.type;
          request.id = id;
          request.expected_version = p.write.expected_version;
          auto outcome = tx.remove(request);
          if (!outcome.is_ok()) return at(*p.entry, outcome.status());
          if (outcome->kind == storage::WriteKind::kDeleted) {
            ++result.deleted;
            result.wrote = true;
            result.version = std::move(outcome->stored);
          }
        }
        return Status::ok();
      }
      case Action::kMatched:
        result.status = 200;
        result.version = p.matched;
        return Status::ok();
      case Action::kNone:
      case Action::kRead: return Status::ok();
    }
    return Status::ok();
  }

  Status read(Planned& p, storage::StoreTransaction& tx) {
    results_[p.position] = read_entry(*p.entry, tx, ctx_);
    return Status::ok();
  }

 public:
  // A GET or HEAD entry, answered as the same HTTP request would be, through `reader`.
  static EntryResult read_entry(const BundleEntry& entry, storage::ResourceReader& reader,
                                const EntryContext& ctx) {
    Request sub;
    sub.method = "GET";
    sub.query = entry.query;
    sub.base_url = ctx.request.base_url;
    sub.tenant = ctx.request.tenant;
    sub.if_none_match = entry.if_none_match;
    sub.if_modified_since = entry.if_modified_since;
    sub.grant = ctx.request.grant;  // the entry's read or search holds itself to it
    // A GET entry reads resources; what the server publishes about security is not its to read.
    static const SecurityDescription kUndescribed;
    InteractionContext ictx{ctx.store,   reader,           ctx.clock,  ctx.ids,     sub,
                            entry.route, ResponseFormat{}, ctx.limits, kUndescribed};
    EntryResult result;
    Result<Response> response = run_interaction(ictx);
    if (!response.is_ok()) {
      result.status = http_status(response.status().code());
      result.error = response.status();
      return result;
    }
    result.status = response->status;
    result.response = std::move(response).value();
    return result;
  }

 private:
  std::vector<BundleEntry>& entries_;
  const EntryContext& ctx_;
  std::vector<Planned> planned_;  // in processing order
  std::vector<std::pair<std::string, std::string>> locks_;
  ReferenceMap full_urls_;              // fullUrl -> Type/id as planned ("" until resolved)
  ReferenceMap map_;                    // what references are rewritten with
  EarlyIndex early_;                    // the fullUrls' stand-ins in early index values
  std::vector<std::string> early_ids_;  // the ids they stand for, once resolved
  bool lookup_ = false;
  std::string_view meta_source_;  // set for the length of run()
  // at_run plans: the meta.source every body is rendered with, set by run() (build_write).
  std::shared_ptr<std::string> late_source_;
  struct Speculation {
    ReferenceMap map;
    std::vector<Decision> decisions;            // per planned_ entry
    std::vector<storage::WriteRequest> writes;  // per planned_ entry (empty: no write)
  };
  std::optional<Speculation> speculation_;
  std::vector<EntryResult> results_;
  // prefetch()'s answers, by entry, each taken by the entry's first matches().
  std::unordered_map<const BundleEntry*, std::vector<storage::ResourceVersion>> prefetched_;
};

}  // namespace

Result<std::shared_ptr<PlannedTransaction>> plan_transaction(EntryWork& work, bool at_run,
                                                             bool resolve_first) {
  auto runner = std::make_shared<Runner>(work.entries, work.ctx);
  HEARTH_RETURN_IF_ERROR(runner->plan(at_run, resolve_first));
  return std::shared_ptr<PlannedTransaction>(std::move(runner));
}

namespace {

// A batch entry whose resource refers to another entry's fullUrl: batch entries are independent
// (http.html#brules), so the reference cannot be resolved; say why instead of "no such entry".
Status refers_to_other_entry(const BundleEntry& entry, std::size_t self,
                             const std::unordered_map<std::string, std::size_t>& full_urls,
                             const std::vector<BundleEntry>& entries) {
  if (entry.resource == nullptr) return Status::ok();
  Status found;
  for_each_reference(*entry.resource, [&](std::string_view ref) {
    auto it = full_urls.find(std::string(ref));
    if (!found.is_ok() || it == full_urls.end() || it->second == self) return;
    found = at(entry, Status(Code::kInvalidArgument,
                             "reference '" + std::string(ref) + "' is the fullUrl of " +
                                 entries[it->second].location +
                                 ": the entries of a batch are independent and cannot refer to "
                                 "each other (send a transaction)"));
  });
  return found;
}

}  // namespace

void run_transaction(std::shared_ptr<EntryWork> work, EntriesDone done) {
  Result<std::shared_ptr<PlannedTransaction>> planned = plan_transaction(*work);
  if (!planned.is_ok()) return done(planned.status());
  std::shared_ptr<PlannedTransaction> runner = std::move(planned).value();
  storage::ResourceStore& store = work->ctx.store;
  store.transact([runner](storage::StoreTransaction& tx) { return runner->run(tx); },
                 [work, runner, done = std::move(done)](Status status) mutable {
                   std::vector<EntryResult> results = std::move(runner->results());
                   work->state = std::move(runner);
                   if (!status.is_ok()) return done(std::move(status));
                   done(std::move(results));
                 });
}

namespace {

// A batch on its way: the entries in the order they run, and each one's result.
struct BatchRun {
  std::shared_ptr<EntryWork> work;
  std::vector<std::size_t> order;
  std::unordered_map<std::string, std::size_t> full_urls;
  std::vector<EntryResult> results;
  EntriesDone done;
};

// Runs the batch's entries from order[next] on: reads and refusals at once, each write as a
// transaction of one whose completion continues with the entry after it.
void continue_batch(std::shared_ptr<BatchRun> batch, std::size_t next) {
  std::vector<BundleEntry>& entries = batch->work->entries;
  const EntryContext& ctx = batch->work->ctx;
  for (; next < batch->order.size(); ++next) {
    const std::size_t i = batch->order[next];
    BundleEntry& entry = entries[i];
    EntryResult& result = batch->results[i];
    if (!entry.invalid.is_ok()) {
      result.status = http_status(entry.invalid.code());
      result.error = entry.invalid;
      continue;
    }
    Status refused;
    if (ctx.request.grant != nullptr) refused = authorize(*ctx.request.grant, entry.route).status();
    if (!refused.is_ok()) {
      result.status = http_status(refused.code());
      result.error = at(entry, std::move(refused));
      continue;
    }
    if (Status dependent = refers_to_other_entry(entry, i, batch->full_urls, entries);
        !dependent.is_ok()) {
      result.status = http_status(dependent.code());
      result.error = std::move(dependent);
      continue;
    }
    if (entry.method == EntryMethod::kGet || entry.method == EntryMethod::kHead) {
      result = Runner::read_entry(entry, ctx.store, ctx);
      continue;
    }
    auto one = std::make_shared<EntryWork>(ctx);
    one->keep = batch->work->keep;
    one->entries.push_back(entry);
    run_transaction(std::move(one), [batch, i, next](Result<std::vector<EntryResult>> done) {
      EntryResult& result = batch->results[i];
      if (done.is_ok()) {
        result = std::move((*done)[0]);
      } else {
        result.status = http_status(done.status().code());
        result.error = done.status();
      }
      continue_batch(batch, next + 1);
    });
    return;
  }
  batch->done(std::move(batch->results));
}

}  // namespace

void run_batch(std::shared_ptr<EntryWork> work, EntriesDone done) {
  auto batch = std::make_shared<BatchRun>();
  std::vector<BundleEntry>& entries = work->entries;
  batch->results.resize(entries.size());
  batch->order.resize(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) batch->order[i] = i;
  std::stable_sort(batch->order.begin(), batch->order.end(), [&](std::size_t a, std::size_t b) {
    return order_of(entries[a].method) < order_of(entries[b].method);
  });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].full_url.empty()) batch->full_urls.emplace(entries[i].full_url, i);
  }
  batch->work = std::move(work);
  batch->done = std::move(done);
  continue_batch(std::move(batch), 0);
}

}  // namespace hearth::api
