// Outbound X12 end to end on the real binary: 837Ps POSTed to /x12 (a fresh one and every
// well-formed 005010X222 file of the corpus), then GET Claim/[id]/$x12 of each claim, parsed back
// and compared with the claim as it came in: CLM01, CLM02, the service lines (SV101-2 code and
// modifiers, SV102 amount) and the diagnosis codes of HI, in order (the differences the writer
// makes on purpose are listed in docs/mapping/x12-to-fhir.md, "Outbound"); a 270 POSTed, then
// CoverageEligibilityRequest/[id]/$x12 parsed back (trace, member id, inquiries); the errors.
// Claim ids and trace numbers are unique per run, so a shared PostgreSQL database may hold
// earlier runs; corpus claims are found by their newest version.
#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "harness.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "search_support.h"
#include "tests/test_paths.h"

namespace {

namespace x12 = hearth::hl7::x12;
using hearth::Result;
using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerProcess;

const hearth::testing::Headers kX12 = {{"Content-Type", "application/edi-x12"}};

std::filesystem::path x12_corpus() {
  if (const char* dir = std::getenv("HEARTH_CORPUS_DIR"); dir != nullptr && *dir != '\0') {
    return std::filesystem::path(dir) / "x12";
  }
  return std::filesystem::path(hearth::test::source_dir()) / "tests/data/corpus/x12";
}

// The claim values compared: CLM02, then per line "code:mod1:...=amount", then the HI codes.
struct ClaimValues {
  std::string total;
  std::vector<std::string> lines;
  std::vector<std::string> diagnoses;
  bool operator==(const ClaimValues&) const = default;
};

// Amounts as numbers ("100" and "100.00" are one amount).
std::string amount(std::string_view text) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", std::strtod(std::string(text).c_str(), nullptr));
  return buffer;
}

// Every 837P claim of `doc` by CLM01.
std::map<std::string, ClaimValues> claims_of(const x12::Document& doc) {
  std::map<std::string, ClaimValues> out;
  ClaimValues* current = nullptr;
  for (std::size_t s = 0; s < doc.segment_count(); ++s) {
    const std::string_view id = doc.segment_id(s);
    if (id == "CLM") {
      current = &out[std::string(doc.element(s, 1))];
      current->total = amount(doc.element(s, 2));
    } else if (current == nullptr) {
      continue;
    } else if (id == "SV1") {
      std::string line(doc.component(s, 1, 2));
      for (int m = 3; m <= 6 && !doc.component(s, 1, m).empty(); ++m) {
        line += ":" + std::string(doc.component(s, 1, m));
      }
      current->lines.push_back(line + "=" + amount(doc.element(s, 2)));
    } else if (id == "HI") {
      for (int e = 1; e <= doc.element_count(s); ++e) {
        const std::string_view qualifier = doc.component(s, e, 1);
        if (qualifier == "ABK" || qualifier == "ABF" || qualifier == "BK" || qualifier == "BF") {
          current->diagnoses.emplace_back(doc.component(s, e, 2));
        }
      }
    } else if (id == "SE") {
      current = nullptr;
    }
  }
  return out;
}

std::string percent_encoded(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// The id of the newest resource of `type` whose identifier is `value`; "" when none.
std::string newest(HttpClient& client, const std::string& type, const std::string& value) {
  namespace search = hearth::testing::search;
  const auto bundle = search::search(
      client, type + "?identifier=" + percent_encoded(value) + "&_sort=-_lastUpdated&_count=1");
  if (!bundle.HasMember("entry") || bundle["entry"].Empty()) return "";
  return bundle["entry"][0]["resource"]["id"].GetString();
}

std::string control_number() {
  static int calls = 0;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  std::string digits = std::to_string((micros / 10 + ++calls) % 1'000'000'000);
  return std::string(9 - digits.size(), '0') + digits;
}

std::string isa(const std::string& control, std::string_view functional_id,
                std::string_view version) {
  return "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260301*1200*^*"
         "00501*" +
         control + "*0*T*:~GS*" + std::string(functional_id) + "*SUBMITTER*RECEIVER*20260301*" +
         "1200*7*X*" + std::string(version) + "~";
}

std::string claim_837p(const std::string& control, const std::string& claim) {
  return isa(control, "HC", "005010X222A1") +
         "ST*837*0001*005010X222A1~BHT*0019*00*REF1*20260301*1200*CH~"
         "NM1*41*2*SUBMITTER CO*****46*TGJ23~PER*IC*JERRY*TE*3055552222~"
         "NM1*40*2*PAYER RECEIVER*****46*66783JJT~HL*1**20*1~"
         "NM1*85*2*BEN KILDARE SERVICE*****XX*9876543210~N3*234 SEAWAY ST~N4*MIAMI*FL*33111~"
         "REF*EI*587654321~HL*2*1*22*0~SBR*P*18*GRP12345******CI~"
         "NM1*IL*1*SMITH*JANE****MI*M" +
         claim +
         "~DMG*D8*19430501*F~NM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666~"
         "CLM*" +
         claim +
         "*160***11:B:1*Y*A*Y*I~HI*ABK:J449*ABF:E119~NM1*82*1*KILDARE*BEN****XX*1234567893~"
         "LX*1~SV1*HC:99213:25*100*UN*1***1:2~DTP*472*D8*20260215~"
         "LX*2~SV1*HC:87070*60*UN*1***1~DTP*472*D8*20260215~SE*25*0001~GE*1*7~IEA*1*" +
         control + "~";
}

TEST_CASE("x12 outbound: an 837P in over HTTP, Claim/[id]/$x12 out, the same claim values") {
  ServerProcess server;
  auto client = server.client();
  const std::string control = control_number();
  const std::string claim = "OUT" + control;
  const std::string in = claim_837p(control, claim);
  HttpResponse posted = client.post("/x12", in, kX12);
  REQUIRE_MESSAGE(posted.status == 200, posted.body);
  REQUIRE(posted.header("X-Hearth-Ack-Code") == "A");
  const std::string id = newest(client, "Claim", claim);
  REQUIRE_FALSE(id.empty());

  HttpResponse out = client.get("Claim/" + id + "/$x12");
  REQUIRE_MESSAGE(out.status == 200, out.body);
  CHECK(out.header("Content-Type") == "application/edi-x12");
  Result<x12::Document> back = x12::Document::parse(std::string_view(out.body));
  REQUIRE(back.is_ok());
  CHECK(back->findings().empty());
  CHECK(x12::acknowledge(*back, 0).groups.at(0).transactions.at(0).code == 'A');
  Result<x12::Document> original = x12::Document::parse(std::string_view(in));
  REQUIRE(original.is_ok());
  const auto want = claims_of(*original);
  const auto got = claims_of(*back);
  REQUIRE(got.count(claim) == 1);
  CHECK(got.at(claim).total == "160.00");
  CHECK(got.at(claim).lines == std::vector<std::string>{"99213:25=100.00", "87070=60.00"});
  CHECK(got.at(claim).diagnoses == std::vector<std::string>{"J449", "E119"});
  CHECK(got == want);
  // The 837P goes to the payer: ISA08 and GS03 are its payer id.
  CHECK(out.body.find("*ZZ*999996666      *") != std::string::npos);

  // Read again: the same claim, a new envelope (ISA13) each time.
  HttpResponse again = client.get("Claim/" + id + "/$x12");
  REQUIRE(again.status == 200);
  CHECK(claims_of(*x12::Document::parse(std::string_view(again.body))) == got);

  CHECK(client.get("Claim/" + id + "/$x12?event=A01").status == 400);
  CHECK(client.get("Claim/no-such-claim/$x12").status == 404);
  CHECK(client.get("Patient/" + id + "/$x12").status / 100 == 4);

  // A Claim without what an 837P needs: 400 naming it.
  HttpResponse bare = client.post(
      "Claim",
      R"({"resourceType":"Claim","status":"active","type":{"coding":[{"code":"professional"}]},)"
      R"("use":"claim","patient":{"reference":"Patient/nobody"},"created":"2026-03-01",)"
      R"("provider":{"display":"x"},"priority":{"coding":[{"code":"normal"}]},)"
      R"("insurance":[{"sequence":1,"focal":true,"coverage":{"display":"x"}}]})");
  REQUIRE_MESSAGE(bare.status == 201, bare.body);
  const auto created = hearth::testing::search::json(bare);
  HttpResponse refused = client.get("Claim/" + std::string(created["id"].GetString()) + "/$x12");
  CHECK(refused.status == 400);
  CHECK(refused.body.find("Claim.identifier") != std::string::npos);

  // Declared in the CapabilityStatement.
  HttpResponse metadata = client.get("metadata");
  CHECK(metadata.body.find("urn:hearth:OperationDefinition/Claim-x12") != std::string::npos);
  CHECK(metadata.body.find("urn:hearth:OperationDefinition/CoverageEligibilityRequest-x12") !=
        std::string::npos);
}

TEST_CASE("x12 outbound: every corpus 837P claim posted and read back through $x12") {
  ServerProcess server;
  auto client = server.client();
  int files = 0, claims = 0, same = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(x12_corpus())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream stream(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(stream)),
                           std::istreambuf_iterator<char>());
    Result<x12::Document> doc = x12::Document::parse(std::string_view(text));
    if (!doc.is_ok() || doc->interchanges().empty()) continue;
    bool professional = true;
    for (std::size_t i = 0; i < doc->interchanges().size() && professional; ++i) {
      const x12::InterchangeAck ack = x12::acknowledge(*doc, i);
      professional = !ack.rejected && !ack.groups.empty();
      for (std::size_t g = 0; g < ack.groups.size() && professional; ++g) {
        for (std::size_t t = 0; t < ack.groups[g].transactions.size(); ++t) {
          const x12::Transaction& set = doc->interchanges()[i].groups[g].transactions[t];
          professional = professional && ack.groups[g].transactions[t].code == 'A' &&
                         set.set_id == "837" && set.convention.starts_with("005010X222");
        }
      }
    }
    if (!professional) continue;
    INFO(entry.path().string());
    // A fresh ISA13/IEA02: a database that saw this file before (PostgreSQL, shared by the
    // runs) would take it for a resend and keep the claim another file with the same identity
    // wrote since.
    if (doc->interchanges().size() != 1) continue;
    const std::string fresh = control_number();
    std::string sent = text;
    const std::size_t isa13 = doc->interchanges()[0].control_number.data() - text.data();
    sent.replace(isa13, 9, fresh);
    const std::size_t iea = sent.rfind("IEA");
    REQUIRE(iea != std::string::npos);
    const std::size_t iea02 = sent.find(doc->interchanges()[0].control_number, iea);
    REQUIRE(iea02 != std::string::npos);
    sent.replace(iea02, 9, fresh);
    HttpResponse posted = client.post("/x12", sent, kX12);
    REQUIRE(posted.status == 200);
    REQUIRE(posted.header("X-Hearth-Ack-Code") == "A");
    ++files;
    for (const auto& claim : claims_of(*doc)) {
      // Named copies: clang 14 refuses structured bindings inside doctest's macros.
      const std::string& number = claim.first;
      const ClaimValues& values = claim.second;
      INFO("CLM01 " << number);
      ++claims;
      const std::string id = newest(client, "Claim", number);
      REQUIRE_FALSE(id.empty());
      HttpResponse out = client.get("Claim/" + id + "/$x12");
      REQUIRE_MESSAGE(out.status == 200, out.body);
      Result<x12::Document> back = x12::Document::parse(std::string_view(out.body));
      REQUIRE(back.is_ok());
      CHECK(back->findings().empty());
      const auto got = claims_of(*back);
      REQUIRE(got.count(number) == 1);
      CHECK(got.at(number) == values);
      if (got.at(number) == values) ++same;
    }
  }
  std::printf(
      "x12 outbound over HTTP: %d corpus 837P files, %d claims, %d the same after "
      "POST /x12 and Claim/[id]/$x12\n",
      files, claims, same);
  CHECK(claims >= 16);
}

TEST_CASE("x12 outbound: a 270 in over HTTP, CoverageEligibilityRequest/[id]/$x12 out") {
  ServerProcess server;
  auto client = server.client();
  const std::string control = control_number();
  const std::string trace = "TR" + control;
  const std::string member = "MEM" + control;
  const std::string npi = "1" + control;  // the receiver, found again by NPI: unique per run
  const std::string in =
      isa(control, "HS", "005010X279A1") +
      "ST*270*1234*005010X279A1~BHT*0022*13*10001234*20260301*1319~HL*1**20*1~"
      "NM1*PR*2*ABC COMPANY*****PI*842610001~HL*2*1*21*1~"
      "NM1*1P*2*BONE AND JOINT CLINIC*****XX*" +
      npi + "~HL*3*2*22*0~TRN*1*" + trace + "*9877281234~NM1*IL*1*SMITH*ROBERT****MI*" + member +
      "~DMG*D8*19430519*M~DTP*291*D8*20260301~EQ*30~EQ*98~SE*14*1234~GE*1*7~IEA*1*" + control + "~";
  HttpResponse posted = client.post("/x12", in, kX12);
  REQUIRE_MESSAGE(posted.status == 200, posted.body);
  REQUIRE(posted.header("X-Hearth-Ack-Code") == "A");
  const std::string id = newest(client, "CoverageEligibilityRequest", trace);
  REQUIRE_FALSE(id.empty());

  HttpResponse out = client.get("CoverageEligibilityRequest/" + id + "/$x12");
  REQUIRE_MESSAGE(out.status == 200, out.body);
  CHECK(out.header("Content-Type") == "application/edi-x12");
  Result<x12::Document> back = x12::Document::parse(std::string_view(out.body));
  REQUIRE(back.is_ok());
  CHECK(back->findings().empty());
  CHECK(x12::acknowledge(*back, 0).groups.at(0).transactions.at(0).code == 'A');
  CHECK(out.body.find("TRN*1*" + trace + "*9877281234~") != std::string::npos);
  CHECK(out.body.find("NM1*IL*1*SMITH*ROBERT****MI*" + member + "~") != std::string::npos);
  CHECK(out.body.find("NM1*1P*2*BONE AND JOINT CLINIC*****XX*" + npi + "~") != std::string::npos);
  CHECK(out.body.find("DTP*291*D8*20260301~\nEQ*30~\nEQ*98~") != std::string::npos);

  // The 270 out, in again: the same request (its trace is its identity), updated, not doubled.
  HttpResponse reposted = client.post("/x12", out.body, kX12);
  REQUIRE(reposted.status == 200);
  CHECK(reposted.header("X-Hearth-Ack-Code") == "A");
  namespace search = hearth::testing::search;
  CHECK(search::total(search::search(
            client, "CoverageEligibilityRequest?identifier=" + trace + "&_summary=count")) == 1);
  CHECK(client.get("CoverageEligibilityRequest/" + id + "/$x12?x=1").status == 400);
}

}  // namespace
