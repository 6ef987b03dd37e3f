// The built-in terminology (fhir/terminology/): code systems and their hierarchy, value set
// expansion with each compose shape and filter, and concept maps, over the official package.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "fhir/terminology/code_system.h"
#include "fhir/terminology/concept_map.h"
#include "fhir/terminology/expansion.h"
#include "fhir/terminology/tables.h"
#include "fhir/terminology/value_set_compose.h"

using namespace hearth;
using namespace hearth::fhir::terminology;

namespace {

constexpr std::string_view kParticipation =
    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

std::set<std::string> codes_of(const Expansion& e) {
  std::set<std::string> out;
  for (const ExpansionItem& item : e.items) out.emplace(item.code);
  return out;
}

Expansion expand_url(std::string_view url, const ExpandOptions& options = {}) {
  const ValueSet* vs = find_value_set_compose(url);
  REQUIRE(vs != nullptr);
  Result<Expansion> e = expand(*vs, options);
  REQUIRE(e.is_ok());
  return std::move(e).value();
}

}  // namespace

TEST_CASE("every built-in code system is sorted and its hierarchy is consistent") {
  std::span<const CodeSystem> all = code_systems();
  CHECK(all.size() > 1000);  // the package's complete code systems (FHIR, v2, v3)
  CHECK(std::is_sorted(all.begin(), all.end(),
                       [](const CodeSystem& a, const CodeSystem& b) { return a.url < b.url; }));
  std::size_t concepts = 0;
  for (const CodeSystem& cs : all) {
    concepts += cs.concepts.size();
    REQUIRE(cs.by_code.size() == cs.concepts.size());
    for (std::size_t i = 0; i < cs.concepts.size(); ++i) {
      const Concept& c = cs.concepts[i];
      REQUIRE(c.subtree_end > i);
      REQUIRE(c.subtree_end <= cs.concepts.size());
      if (c.parent >= 0) {
        // A child lies inside its parent's range.
        const Concept& p = cs.concepts[static_cast<std::size_t>(c.parent)];
        REQUIRE(static_cast<std::size_t>(c.parent) < i);
        REQUIRE(c.subtree_end <= p.subtree_end);
      }
      REQUIRE(find_concept(cs, code_of(c)) == &c);
    }
  }
  CHECK(concepts > 15000);
}

TEST_CASE("code system lookups: display, parent, children, subsumption") {
  const CodeSystem* gender = find_code_system("http://hl7.org/fhir/administrative-gender|4.0.1");
  REQUIRE(gender != nullptr);
  const Concept* male = find_concept(*gender, "male");
  REQUIRE(male != nullptr);
  CHECK(display_of(*male) == "Male");
  CHECK(find_concept(*gender, "Male") == nullptr);  // case-sensitive
  CHECK(find_code_system("http://snomed.info/sct") == nullptr);

  const CodeSystem* pt = find_code_system(kParticipation);
  REQUIRE(pt != nullptr);
  const Concept* trans = find_concept(*pt, "TRANS");
  const Concept* ent = find_concept(*pt, "ENT");
  const Concept* aut = find_concept(*pt, "AUT");
  const Concept* generator = find_concept(*pt, "_ParticipationInformationGenerator");
  REQUIRE((trans && ent && aut && generator));
  CHECK(parents_of(*pt, *ent) == std::vector<const Concept*>{trans});
  CHECK(parents_of(*pt, *trans) == std::vector<const Concept*>{generator});
  std::vector<const Concept*> up = ancestors_of(*pt, *ent);
  REQUIRE(up.size() >= 2);  // ..., generator, trans: from the top
  CHECK(up[up.size() - 2] == generator);
  CHECK(up.back() == trans);
  CHECK(ancestors_of(*pt, *up.front()).empty());
  CHECK((generator->flags & kConceptNotSelectable) != 0);
  CHECK((aut->flags & kConceptNotSelectable) == 0);
  std::vector<const Concept*> children = children_of(*pt, *generator);
  std::set<std::string_view> names;
  for (const Concept* c : children) names.insert(code_of(*c));
  CHECK(names == std::set<std::string_view>{"AUT", "INF", "TRANS", "WIT"});  // ENT is a grandchild
  CHECK(descendants_of(*pt, *generator).size() == 5);
  CHECK(subsumes(*pt, *generator, *ent) == Subsumption::kSubsumes);
  CHECK(subsumes(*pt, *ent, *trans) == Subsumption::kSubsumedBy);
  CHECK(subsumes(*pt, *aut, *ent) == Subsumption::kNotSubsumed);
  CHECK(subsumes(*pt, *aut, *aut) == Subsumption::kEquivalent);
  CHECK(subsumption_code(Subsumption::kSubsumedBy) == "subsumed-by");
  // Inactive: TPA is retired.
  const Concept* tpa = find_concept(*pt, "TPA");
  REQUIRE(tpa != nullptr);
  CHECK((tpa->flags & kConceptInactive) != 0);
}

TEST_CASE("built-in hierarchies follow the package's child properties: several parents") {
  // Every code system whose concepts name children by property has its graph.
  int linked = 0;
  for (const detail::CodeSystemLinks& l : detail::kCodeSystemLinks) {
    const CodeSystem* cs = find_code_system(l.url);
    REQUIRE(cs != nullptr);
    CHECK_MESSAGE(cs->graph != nullptr, l.url);
    ++linked;
  }
  MESSAGE("built-in code systems with property links: ", linked);
  CHECK(linked > 0);
  // v3 ActReason: NOUSERPERM is nested under NOPERM, and three other concepts name it as child.
  const CodeSystem* reason = find_code_system("http://terminology.hl7.org/CodeSystem/v3-ActReason");
  REQUIRE(reason != nullptr);
  const Concept* user = find_concept(*reason, "NOUSERPERM");
  const Concept* status = find_concept(*reason, "_StatusRevisionRefusalReasonCode");
  const Concept* noperm = find_concept(*reason, "NOPERM");
  REQUIRE((user && status && noperm));
  std::set<std::string_view> parents;
  for (const Concept* p : parents_of(*reason, *user)) parents.insert(code_of(*p));
  CHECK(parents == std::set<std::string_view>{
                       "NOPERM", "_PharmacySupplyRequestFulfillerRevisionRefusalReasonCode",
                       "_StatusRevisionRefusalReasonCode",
                       "_SubstanceAdministrationPermissionRefusalReasonCode"});
  CHECK(subsumes(*reason, *status, *user) == Subsumption::kSubsumes);
  CHECK(subsumes(*reason, *user, *noperm) == Subsumption::kSubsumedBy);
  std::vector<const Concept*> below = descendants_of(*reason, *status);
  CHECK(std::find(below.begin(), below.end(), user) != below.end());
}

TEST_CASE("expansion: whole systems, is-a with an exclude, is-not-a, descendent-of") {
  Expansion gender = expand_url("http://hl7.org/fhir/ValueSet/administrative-gender");
  CHECK(codes_of(gender) == std::set<std::string>{"female", "male", "other", "unknown"});
  CHECK(gender.total == 4);
  CHECK(gender.items[0].system == "http://hl7.org/fhir/administrative-gender");
  CHECK(gender.items[0].version == "4.0.1");

  // is-a the abstract generator concept, which the compose then excludes.
  Expansion generator =
      expand_url("http://terminology.hl7.org/ValueSet/v3-ParticipationInformationGenerator");
  CHECK(codes_of(generator) == std::set<std::string>{"AUT", "INF", "TRANS", "ENT", "WIT"});

  // is-not-a O: every v2-0131 code but O.
  Expansion contact = expand_url("http://hl7.org/fhir/ValueSet/patient-contactrelationship");
  CHECK(contact.total ==
        find_code_system("http://terminology.hl7.org/CodeSystem/v2-0131")->concepts.size() - 1);
  CHECK(codes_of(contact).count("O") == 0);
  CHECK(codes_of(contact).count("C") == 1);

  // descendent-of leaves the anchor out.
  Expansion inactive = expand_url("http://hl7.org/fhir/ValueSet/inactive");
  CHECK(!inactive.items.empty());
  CHECK(codes_of(inactive).count("_ActMoodPredicate") == 0);
}

TEST_CASE("expansion: text filter, activeOnly and paging") {
  ExpandOptions options;
  options.filter = "FEM";  // ASCII case folded, in code or display
  CHECK(codes_of(expand_url("http://hl7.org/fhir/ValueSet/administrative-gender", options)) ==
        std::set<std::string>{"female"});

  std::string_view direct = "http://terminology.hl7.org/ValueSet/v3-ParticipationTargetDirect";
  Expansion all = expand_url(direct);
  CHECK(codes_of(all).count("TPA") == 1);
  ExpandOptions active;
  active.active_only = true;
  Expansion current = expand_url(direct, active);
  CHECK(current.total == all.total - 1);
  CHECK(codes_of(current).count("TPA") == 0);

  ExpandOptions page;
  page.offset = 2;
  page.count = 3;
  Expansion p = expand_url(direct, page);
  CHECK(p.total == all.total);
  REQUIRE(p.items.size() == 3);
  CHECK(p.items[0].code == all.items[2].code);
  CHECK(p.items[2].code == all.items[4].code);
  page.offset = all.total;
  CHECK(expand_url(direct, page).items.empty());
}

TEST_CASE("expansion: what Hearth cannot expand is an error naming it") {
  // A regex filter over ISO 3166, a system the package does not hold.
  const ValueSet* iso = find_value_set_compose("http://hl7.org/fhir/ValueSet/iso3166-1-3");
  REQUIRE(iso != nullptr);
  Result<Expansion> e = expand(*iso);
  REQUIRE_FALSE(e.is_ok());
  CHECK(e.status().code() == Code::kUnprocessable);
  CHECK(e.status().issues()[0].type == "not-supported");
  CHECK(e.status().message().find("urn:iso:std:iso:3166") != std::string::npos);

  // Membership through expansion.
  const ValueSet* gender =
      find_value_set_compose("http://hl7.org/fhir/ValueSet/administrative-gender");
  REQUIRE(gender != nullptr);
  CHECK(contains(*gender, "", "male").value());
  CHECK(contains(*gender, "http://hl7.org/fhir/administrative-gender", "other").value());
  CHECK_FALSE(contains(*gender, "http://other", "male").value());
  CHECK_FALSE(contains(*gender, "", "robot").value());
}

TEST_CASE("expansion: every built-in value set expands or fails with a precise reason") {
  std::size_t expanded = 0, unsupported = 0, missing = 0;
  for (const ValueSet& vs : value_set_composes()) {
    Result<Expansion> e = expand(vs);
    if (e.is_ok()) {
      ++expanded;
      CHECK(e.value().total == e.value().items.size());
      continue;
    }
    const std::string type = e.status().issues()[0].type;
    CHECK((type == "not-supported" || type == "not-found" || type == "too-costly"));
    (type == "not-found" ? missing : unsupported) += 1;
  }
  MESSAGE("value sets: " << value_set_composes().size() << ", expanded " << expanded
                         << ", not supported " << unsupported << ", including a missing one "
                         << missing);
  CHECK(expanded > value_set_composes().size() / 2);
}

TEST_CASE("concept maps: forward, reverse, target system") {
  TranslateQuery q;
  q.system = "http://hl7.org/fhir/administrative-gender";
  q.code = "other";
  q.url = "http://hl7.org/fhir/ConceptMap/cm-administrative-gender-v2";
  std::vector<TranslateMatch> m = translate(q);
  REQUIRE(m.size() == 2);  // A and O, both wider
  CHECK(m[0].system == "http://terminology.hl7.org/CodeSystem/v2-0001");
  CHECK(m[0].equivalence == "wider");
  std::set<std::string_view> targets{m[0].code, m[1].code};
  CHECK(targets == std::set<std::string_view>{"A", "O"});

  TranslateQuery back;
  back.system = "http://terminology.hl7.org/CodeSystem/v2-0001";
  back.code = "F";
  back.url = q.url;
  back.reverse = true;
  m = translate(back);
  REQUIRE(m.size() == 1);
  CHECK(m[0].code == "female");

  q.target_system = "http://example.org/none";
  CHECK(translate(q).empty());
  CHECK(find_concept_map(q.url) != nullptr);
  CHECK(find_concept_map("http://example.org/cm") == nullptr);
}
