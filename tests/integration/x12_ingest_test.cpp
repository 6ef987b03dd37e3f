// X12 end to end on the real binary: an 837P sent in an MLLP frame and POSTed to /x12 is
// answered with its 999 after the commit, archived with the v2 messages (GET /hl7/messages) and
// mapped (Claim?_summary=count); an identical resend gets its original 999 and writes nothing; an
// envelope error gets a TA1 rejection; a store failure gets no acknowledgment (MLLP hangs up,
// HTTP answers 503); `hearth import` ingests X12 and v2 files as MLLP would; every well-formed
// corpus file of a mapped set answers 200 with A over POST /x12. Claim ids and ISA13s are unique
// per run, so a shared PostgreSQL database may hold earlier runs.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "mllp_harness.h"
#include "search_support.h"
#include "tests/test_paths.h"

namespace {

using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::MllpClient;
using hearth::testing::ServerProcess;

// 9 digits unique to this run and call.
std::string control_number() {
  static int calls = 0;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  std::string digits = std::to_string((micros / 10 + ++calls) % 1'000'000'000);
  return std::string(9 - digits.size(), '0') + digits;
}

std::string interchange(std::string_view control, std::string_view claim_id,
                        std::string_view iea_control = {}) {
  const std::vector<std::string> body = {"BHT*0019*00*REF1*20260301*1200*CH",
                                         "NM1*41*2*SUBMITTER CO*****46*TGJ23",
                                         "PER*IC*JERRY*TE*3055552222",
                                         "NM1*40*2*PAYER RECEIVER*****46*66783JJT",
                                         "HL*1**20*1",
                                         "NM1*85*2*BEN KILDARE SERVICE*****XX*9876543210",
                                         "N3*234 SEAWAY ST",
                                         "N4*MIAMI*FL*33111",
                                         "REF*EI*587654321",
                                         "HL*2*1*22*0",
                                         "SBR*P*18*GRP12345******CI",
                                         "NM1*IL*1*SMITH*JANE****MI*M" + std::string(claim_id),
                                         "DMG*D8*19430501*F",
                                         "NM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666",
                                         "CLM*" + std::string(claim_id) + "*100***11:B:1*Y*A*Y*I",
                                         "HI*ABK:J449",
                                         "LX*1",
                                         "SV1*HC:99213*100*UN*1***1",
                                         "DTP*472*D8*20260215"};
  std::string out =
      "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260301*"
      "1200*^*00501*" +
      std::string(control) +
      "*0*T*:~GS*HC*SUBMITTER*RECEIVER*20260301*1200*7*X*"
      "005010X222A1~ST*837*0001*005010X222A1~";
  for (const std::string& s : body) out += s + "~";
  out += "SE*" + std::to_string(body.size() + 2) + "*0001~GE*1*7~IEA*1*" +
         std::string(iea_control.empty() ? control : iea_control) + "~";
  return out;
}

int total(HttpClient& client, const std::string& target) {
  namespace search = hearth::testing::search;
  return search::total(search::search(client, target + "&_summary=count"));
}

const hearth::testing::Headers kX12 = {{"Content-Type", "application/edi-x12"}};

TEST_CASE("x12: an 837P over MLLP is acknowledged after the commit, archived and mapped once") {
  ServerProcess server;
  auto client = server.client();
  MllpClient mllp("127.0.0.1", server.mllp_port());
  const std::string control = control_number();
  const std::string claim = "MLLP" + control;
  const std::string raw = interchange(control, claim);
  const std::string ack = mllp.exchange(raw);
  CHECK(ack.starts_with("ISA*00*"));
  CHECK(ack.find("AK9*A*1*1*1~") != std::string::npos);
  CHECK(total(client, "Claim?identifier=" + claim) == 1);
  CHECK(total(client, "Patient?identifier=M" + claim) == 1);

  // The same bytes again: its original 999, nothing applied twice.
  CHECK(mllp.exchange(raw) == ack);
  CHECK(total(client, "Claim?identifier=" + claim) == 1);

  // In the archive with the v2 messages.
  HttpResponse list = client.get("/hl7/messages?type=837&_count=5");
  REQUIRE(list.status == 200);
  CHECK(list.body.find("\"controlId\": \"" + control + "\"") != std::string::npos);

  // A v2 message on the same connection is still HL7.
  const std::string v2 = mllp.exchange(hearth::testing::make_oru("LAB", "X12MIX" + control));
  CHECK(hearth::testing::msa(v2, 1) == "AA");
}

TEST_CASE("x12: POST /x12 answers the 999 in the body; a TA1 rejects an envelope error") {
  ServerProcess server;
  auto client = server.client();
  const std::string control = control_number();
  const std::string claim = "HTTP" + control;
  HttpResponse posted = client.post("/x12", interchange(control, claim), kX12);
  REQUIRE_MESSAGE(posted.status == 200, posted.body);
  CHECK(posted.header("Content-Type") == "application/edi-x12");
  CHECK(posted.header("X-Hearth-Ack-Code") == "A");
  CHECK(posted.header("X-Hearth-Duplicate") == "false");
  CHECK(posted.body.find("AK9*A*1*1*1~") != std::string::npos);
  CHECK(posted.header("Content-Location").find("/hl7/messages/") != std::string::npos);
  CHECK(total(client, "Claim?identifier=" + claim) == 1);
  CHECK(total(client, "Coverage?identifier=M" + claim) == 1);

  HttpResponse again = client.post("/x12", interchange(control, claim), kX12);
  CHECK(again.header("X-Hearth-Duplicate") == "true");
  CHECK(again.body == posted.body);

  const std::string bad_control = control_number();
  HttpResponse rejected =
      client.post("/x12", interchange(bad_control, "BAD" + bad_control, "999999999"), kX12);
  CHECK(rejected.status == 200);
  CHECK(rejected.header("X-Hearth-Ack-Code") == "R");
  CHECK(rejected.body.find("TA1*" + bad_control + "*260301*1200*R*001~") != std::string::npos);
  CHECK(total(client, "Claim?identifier=BAD" + bad_control) == 0);

  CHECK(client.post("/x12", interchange(control, claim), {{"Content-Type", "text/plain"}}).status ==
        415);
  CHECK(client.post("/x12", "MSH|^~\\&|", kX12).status == 400);
}

TEST_CASE("x12: hearth send sends an X12 file whole and prints its 999's verdict") {
  ServerProcess server;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hearth-x12-send-" + std::to_string(::getpid()) + "-" + control_number());
  std::filesystem::create_directories(dir);
  const std::string good = control_number(), bad = control_number();
  std::ofstream(dir / "a.x12", std::ios::binary) << interchange(good, "SEND" + good);
  std::ofstream(dir / "b.x12", std::ios::binary)
      << interchange(bad, "SEND" + bad, "999999999");  // IEA02 differs: TA1 R
  const std::string port = std::to_string(server.mllp_port());
  auto sent = hearth::testing::run_hearth({"send", "--port", port, (dir / "a.x12").string()});
  CHECK(sent.exit_code == 0);
  CHECK(sent.out.find("a.x12#1 " + good + " A\n") != std::string::npos);
  auto rejected = hearth::testing::run_hearth({"send", "--port", port, dir.string()});
  CHECK(rejected.exit_code == 1);
  CHECK(rejected.out.find("b.x12#1 " + bad + " R\n") != std::string::npos);
  auto client = server.client();
  CHECK(total(client, "Claim?identifier=SEND" + good) == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("x12: a store failure gets no acknowledgment: MLLP hangs up, HTTP answers 503") {
  ServerProcess server;
  const std::string store = server.store_url();
  if (store.rfind("sqlite:", 0) != 0) return;  // the fault is injected through the SQLite file
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(store.substr(7).c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  CHECK(sqlite3_exec(db, "DROP TABLE hl7_message", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  const std::string control = control_number();
  MllpClient mllp("127.0.0.1", server.mllp_port());
  mllp.send(interchange(control, "DOWN" + control));
  CHECK(mllp.closed_by_peer());

  auto client = server.client();
  HttpResponse posted = client.post("/x12", interchange(control, "DOWN" + control), kX12);
  CHECK(posted.status == 503);
  CHECK(posted.body.find("ISA") == std::string::npos);
}

TEST_CASE("x12: hearth import writes X12 and HL7 v2 files as MLLP would, once") {
  ServerProcess server;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hearth-import-" + std::to_string(::getpid()) + "-" + control_number());
  std::filesystem::create_directories(dir / "sub");
  const std::string good = control_number(), bad = control_number();
  std::ofstream(dir / "a.x12", std::ios::binary) << interchange(good, "IMP" + good);
  std::ofstream(dir / "sub" / "b.x12", std::ios::binary)
      << interchange(bad, "IMP" + bad, "999999999");  // IEA02 differs: TA1 R
  std::ofstream(dir / "c.hl7", std::ios::binary)
      << hearth::testing::make_oru("LAB", "IMP1" + good) +
             hearth::testing::make_oru("LAB", "IMP2" + good);
  auto imported =
      hearth::testing::run_hearth({"import", "--store", server.store_url(), dir.string()});
  CHECK(imported.exit_code == 1);  // b.x12 is rejected
  INFO(imported.out, imported.err);
  CHECK(imported.out.find("b.x12#1 " + bad + " R\n") != std::string::npos);
  CHECK(imported.out.find("imported 4 unit(s) from 3 file(s)") != std::string::npos);
  CHECK(imported.out.find(" 1 A 2 AA 1 R; 0 duplicate(s)") != std::string::npos);
  CHECK(imported.out.find(", 1 Claim(s)") != std::string::npos);
  auto client = server.client();
  CHECK(total(client, "Claim?identifier=IMP" + good) == 1);
  CHECK(total(client, "Claim?identifier=IMP" + bad) == 0);
  HttpResponse list = client.get("/hl7/messages?type=837&_count=50");
  CHECK(list.body.find("\"controlId\": \"" + good + "\"") != std::string::npos);

  // Again: every unit a duplicate, nothing written twice.
  auto again = hearth::testing::run_hearth({"import", "--store", server.store_url(),
                                            (dir / "a.x12").string(), (dir / "c.hl7").string()});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("3 duplicate(s), 0 resource version(s) written") != std::string::npos);
  CHECK(total(client, "Claim?identifier=IMP" + good) == 1);

  auto missing = hearth::testing::run_hearth(
      {"import", "--store", server.store_url(), (dir / "none.x12").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("no such file or directory") != std::string::npos);
  std::filesystem::remove_all(dir);
}

// The corpus's X12 files (tests/data/corpus/x12, or $HEARTH_CORPUS_DIR/x12).
std::filesystem::path x12_corpus() {
  if (const char* dir = std::getenv("HEARTH_CORPUS_DIR"); dir != nullptr && *dir != '\0') {
    return std::filesystem::path(dir) / "x12";
  }
  return std::filesystem::path(hearth::test::source_dir()) / "tests/data/corpus/x12";
}

// Whether every interchange of `doc` is accepted whole by its TA1/999 (a well-formed file) and
// every set is one of `sets`.
bool well_formed_of(const hearth::hl7::x12::Document& doc, const std::set<std::string>& sets) {
  namespace x12 = hearth::hl7::x12;
  if (doc.interchanges().empty()) return false;
  for (std::size_t i = 0; i < doc.interchanges().size(); ++i) {
    const x12::InterchangeAck ack = x12::acknowledge(doc, i);
    if (ack.rejected) return false;
    if (ack.groups.empty()) return false;
    for (const x12::GroupAck& group : ack.groups) {
      for (const x12::TransactionAck& t : group.transactions) {
        if (t.code != 'A') return false;
      }
    }
    for (const x12::Group& group : doc.interchanges()[i].groups) {
      for (const x12::Transaction& t : group.transactions) {
        if (sets.count(std::string(t.set_id)) == 0) return false;
      }
    }
  }
  return true;
}

TEST_CASE("x12: POST /x12 of every well-formed 837, 835, 270, 271, 276, 277, 834 of the corpus") {
  ServerProcess server;
  auto client = server.client();
  const std::set<std::string> sets = {"837", "835", "270", "271", "276", "277", "834"};
  std::map<std::string, int> posted;  // by the first set's id
  int files = 0, accepted = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(x12_corpus())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto doc = hearth::hl7::x12::Document::parse(text);
    if (!doc.is_ok() || !well_formed_of(*doc, sets)) continue;
    INFO(entry.path().string());
    HttpResponse answer = client.post("/x12", text, kX12);
    ++files;
    CHECK(answer.status / 100 == 2);
    CHECK(answer.header("X-Hearth-Ack-Code") == "A");
    if (answer.status / 100 == 2 && answer.header("X-Hearth-Ack-Code") == "A") ++accepted;
    ++posted[std::string(doc->interchanges()[0].groups[0].transactions[0].set_id)];
  }
  std::printf("x12 corpus over POST /x12: %d well-formed files, %d answered 2xx and accepted (",
              files, accepted);
  for (const auto& [set, n] : posted) std::printf(" %s %d", set.c_str(), n);
  std::printf(" )\n");
  CHECK(files >= 60);
  for (const char* set : {"837", "835", "270", "271", "834"}) CHECK(posted[set] >= 1);
  CHECK(total(client, "Claim?_count=0") > 0);
  CHECK(total(client, "ExplanationOfBenefit?_count=0") > 0);
  CHECK(total(client, "CoverageEligibilityRequest?_count=0") > 0);
  CHECK(total(client, "CoverageEligibilityResponse?_count=0") > 0);
  CHECK(total(client, "Coverage?_count=0") > 0);
  CHECK(total(client, "Task?_count=0") > 0);
  CHECK(total(client, "ClaimResponse?_count=0") > 0);
}

}  // namespace
