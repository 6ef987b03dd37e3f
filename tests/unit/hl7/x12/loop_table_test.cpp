// The loop tables: every built-in table reads, the text form's errors are named, and a set and
// guide find their table.
#include "hl7/x12/loop_table.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace hearth::hl7::x12;

TEST_CASE("x12 loop tables: all nine built-in tables read and name their guides") {
  const auto& tables = loop_tables();
  REQUIRE(tables.size() == 9);
  std::set<std::string> guides;
  for (const LoopTable* t : tables) {
    guides.insert(std::string(t->set_id) + " " + std::string(t->guide));
    CHECK(t->loops.size() > 3);
    CHECK(t->loops[0].children.front().segment == "ST");
    CHECK(t->loops[0].children.back().segment == "SE");
    for (const LoopDef& loop : t->loops) {
      REQUIRE(!loop.children.empty());
      CHECK(loop.children[0].segment == loop.trigger);
    }
  }
  CHECK(guides == std::set<std::string>{"837 005010X222A1", "837 005010X223A2", "837 005010X224A2",
                                        "835 005010X221A1", "270 005010X279A1", "271 005010X279A1",
                                        "276 005010X212", "277 005010X212", "834 005010X220A1"});
}

TEST_CASE("x12 loop tables: lookup by set id and guide, addenda ignored") {
  const LoopTable* p = find_loop_table("837", "005010X222A1");
  REQUIRE(p != nullptr);
  CHECK(p->title == "Health Care Claim: Professional");
  CHECK(find_loop_table("837", "005010X222") == p);
  const LoopTable* i = find_loop_table("837", "005010X223A3");
  REQUIRE(i != nullptr);
  CHECK(i->guide == "005010X223A2");
  CHECK(find_loop_table("837", "004010X098A1") == nullptr);
  CHECK(find_loop_table("850", "004010") == nullptr);
  CHECK(find_loop_table("835", "005010X221A1") != nullptr);
}

TEST_CASE("x12 loop tables: the 837P nests 2010AA under 2000A with its qualifier") {
  const LoopTable* p = find_loop_table("837", "005010X222A1");
  REQUIRE(p != nullptr);
  const LoopDef* l2000a = nullptr;
  for (const LoopDef& l : p->loops) {
    if (l.id == "2000A") l2000a = &l;
  }
  REQUIRE(l2000a != nullptr);
  CHECK(l2000a->trigger == "HL");
  CHECK(l2000a->qualifier_element == 3);
  CHECK(l2000a->qualifiers == std::vector<std::string_view>{"20"});
  bool found = false;
  for (const LoopChild& c : l2000a->children) {
    if (c.is_loop && p->loops[c.loop].id == "2010AA") {
      found = true;
      CHECK(c.required);
      CHECK(c.max_use == 1);
      CHECK(p->loops[c.loop].qualifiers == std::vector<std::string_view>{"85"});
    }
  }
  CHECK(found);
  CHECK(p->knows_segment("SV1"));
  CHECK(!p->knows_segment("SV2"));
}

TEST_CASE("x12 loop tables: malformed table text is refused with its line") {
  auto skip = parse_loop_table("999", "T", "t", "ST R 1\n    BAD R 1\n");
  REQUIRE(!skip.is_ok());
  CHECK(skip.status().message().find("line 2") != std::string::npos);
  auto usage = parse_loop_table("999", "T", "t", "ST X 1\n");
  CHECK(!usage.is_ok());
  auto ref = parse_loop_table("999", "T", "t", "ST R 1\n&9999 R 1\n");
  REQUIRE(!ref.is_ok());
  CHECK(ref.status().message().find("unknown loop reference") != std::string::npos);
  auto qual = parse_loop_table("999", "T", "t", "ST R 1\n1000 NM1.x=41 R 1 Name\n");
  CHECK(!qual.is_ok());
  auto ok =
      parse_loop_table("999", "T", "t", "ST R 1\n1000 NM1.1=41,40 S n Name\n  PER R 2\nSE R 1\n");
  REQUIRE(ok.is_ok());
  CHECK(ok->loops.size() == 2);
  CHECK(ok->loops[1].qualifiers.size() == 2);
  CHECK(ok->loops[0].children[1].max_use == 0);
}
