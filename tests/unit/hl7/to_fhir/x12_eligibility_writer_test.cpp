// Outbound 270 (x12_eligibility_writer.h): a CoverageEligibilityRequest mapped from a 270 writes a
// 270 that parses without findings and maps back to an equivalent request (compared field by
// field: trace, dates, items, the patient, subscriber, payer, provider and coverage), for a
// subscriber and a dependent inquiry and for every 5010 270 of the corpus (counts printed); a
// request that cannot make a 270 is refused naming what is missing.
#include "hl7/to_fhir/x12_eligibility_writer.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hl7/to_fhir/x12_mapper.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "tests/test_paths.h"

namespace hearth::hl7::to_fhir {
namespace {

namespace fs = std::filesystem;
using fhir::JsonValue;

std::function<std::string()> counter() {
  auto n = std::make_shared<int>(0);
  return [n] { return "r" + std::to_string(++*n); };
}

struct Mapped {
  fhir::JsonDocument bundle;
  std::map<std::string, const JsonValue*, std::less<>> by_url;
  std::vector<const JsonValue*> requests;
  FhirResolver resolver() const {
    return [this](std::string_view ref) -> const JsonValue* {
      auto it = by_url.find(ref);
      return it == by_url.end() ? nullptr : it->second;
    };
  }
};

// Maps the accepted 5010 270 sets of `text` (no requests when nothing maps).
std::unique_ptr<Mapped> map_text(std::string_view text) {
  auto out = std::make_unique<Mapped>();
  Result<x12::Document> doc = x12::Document::parse(text);
  if (!doc.is_ok()) return out;
  std::vector<X12SetIndex> sets;
  for (std::size_t i = 0; i < doc->interchanges().size(); ++i) {
    const x12::InterchangeAck ack = x12::acknowledge(*doc, i);
    for (std::size_t g = 0; g < ack.groups.size(); ++g) {
      for (std::size_t t = 0; t < ack.groups[g].transactions.size(); ++t) {
        const x12::Transaction& txn = doc->interchanges()[i].groups[g].transactions[t];
        if (ack.groups[g].transactions[t].code != 'R' && txn.set_id == "270" &&
            txn.convention.starts_with("005010X279")) {
          sets.push_back({i, g, t});
        }
      }
    }
  }
  if (sets.empty()) return out;
  Result<MappedMessage> mapped = map_x12(*doc, sets, counter());
  if (!mapped.is_ok()) return out;
  Result<fhir::JsonDocument> bundle = fhir::parse_json(::hearth::fhir::write_json(mapped->bundle));
  if (!bundle.is_ok()) return out;
  out->bundle = std::move(bundle).value();
  for (const JsonValue& e : out->bundle["entry"].GetArray()) {
    out->by_url[std::string(fhir::json_string(e["fullUrl"]))] = &e["resource"];
    if (fhir::json_string(e["resource"]["resourceType"]) == "CoverageEligibilityRequest") {
      out->requests.push_back(&e["resource"]);
    }
  }
  return out;
}

std::string_view text(const JsonValue* v) {
  if (v == nullptr) return "";
  if (fhir::is_json_string(*v)) return fhir::json_string(*v);
  if (fhir::is_json_number(*v)) return fhir::json_number_text(*v);
  return "";
}

const JsonValue* get(const JsonValue* v, std::string_view path) {
  for (std::size_t start = 0; v != nullptr && start <= path.size();) {
    std::size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    const std::string step(path.substr(start, dot - start));
    if (!step.empty() && step[0] >= '0' && step[0] <= '9') {
      const auto i = static_cast<rapidjson::SizeType>(std::stoul(step));
      v = v->IsArray() && i < v->Size() ? &(*v)[i] : nullptr;
    } else {
      v = v->IsObject() && v->HasMember(step.c_str()) ? &(*v)[step.c_str()] : nullptr;
    }
    start = dot + 1;
  }
  return v;
}

// What a 270 carries, as text: what must survive the round trip.
std::string signature(const JsonValue& request, const FhirResolver& resolve) {
  std::string s;
  auto add = [&s](std::string_view label, const JsonValue* v) {
    s += std::string(label) + "=" + std::string(text(v)) + ";";
  };
  auto follow = [&](const JsonValue* v, std::string_view path) {
    const std::string_view ref = text(get(v, std::string(path) + ".reference"));
    return ref.empty() ? nullptr : resolve(ref);
  };
  for (const char* path : {"identifier.0.system", "identifier.0.value", "created", "servicedDate",
                           "servicedPeriod.start", "servicedPeriod.end"}) {
    add(path, get(&request, path));
  }
  for (int i = 0; get(&request, "item." + std::to_string(i)) != nullptr; ++i) {
    const std::string item = "item." + std::to_string(i);
    for (const char* path : {".category.coding.0.code", ".productOrService.coding.0.system",
                             ".productOrService.coding.0.code", ".modifier.0.coding.0.code"}) {
      add(item + path, get(&request, item + path));
    }
  }
  const JsonValue* patient = follow(&request, "patient");
  for (const char* path : {"name.0.family", "name.0.given.0", "birthDate", "gender",
                           "identifier.0.system", "identifier.0.value", "address.0.city"}) {
    add(std::string("patient.") + path, get(patient, path));
  }
  const JsonValue* coverage = follow(&request, "insurance.0.coverage");
  add("coverage.subscriberId", get(coverage, "subscriberId"));
  add("coverage.relationship", get(coverage, "relationship.coding.0.code"));
  add("subscriber", get(follow(coverage, "subscriber"), "name.0.family"));
  add("beneficiary", get(follow(coverage, "beneficiary"), "name.0.family"));
  const JsonValue* provider = follow(&request, "provider");
  add("provider.type", get(provider, "resourceType"));
  add("provider", get(provider, "name"));
  add("provider.family", get(provider, "name.0.family"));
  add("provider.id", get(provider, "identifier.0.system"));
  add("provider.id", get(provider, "identifier.0.value"));
  add("insurer", get(follow(&request, "insurer"), "name"));
  add("insurer.id", get(follow(&request, "insurer"), "identifier.0.value"));
  return s;
}

X12Envelope envelope() {
  X12Envelope e;
  e.control_number = "000000043";
  e.date = "20260302";
  e.time = "1015";
  return e;
}

std::string interchange(const std::string& body) {
  return "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260301*1200*^*"
         "00501*000000907*0*T*:~GS*HS*SENDER*RECEIVER*20260301*1200*1*X*005010X279A1~" +
         body + "GE*1*1~IEA*1*000000907~";
}

const std::string kSubscriberInquiry = interchange(
    "ST*270*1234*005010X279A1~BHT*0022*13*10001234*20060501*1319~HL*1**20*1~"
    "NM1*PR*2*ABC COMPANY*****PI*842610001~HL*2*1*21*1~"
    "NM1*1P*2*BONE AND JOINT CLINIC*****SV*2000035~HL*3*2*22*0~"
    "TRN*1*93175-012547*9877281234~NM1*IL*1*SMITH*ROBERT****MI*11122333301~"
    "N3*15 MAIN ST~N4*TOWN*CA*90001~DMG*D8*19430519*M~DTP*291*D8*20060501~EQ*30~"
    "EQ*98*HC:99213:25~SE*16*1234~");

const std::string kDependentInquiry = interchange(
    "ST*270*1235*005010X279A1~BHT*0022*13*10001235*20060501*1320~HL*1**20*1~"
    "NM1*PR*2*ABC COMPANY*****PI*842610001~HL*2*1*21*1~"
    "NM1*1P*1*JONES*MARCUS****XX*1234567893~HL*3*2*22*1~"
    "NM1*IL*1*SMITH*JOHN****MI*11122333301~HL*4*3*23*0~TRN*1*93175-012548*9877281234~"
    "NM1*03*1*SMITH*MARY~DMG*D8*19781014*F~INS*N*19~DTP*291*RD8*20060501-20060531~EQ*30~"
    "SE*16*1235~");

TEST_CASE("a 270 inquiry written out and read back is the same inquiry") {
  for (const std::string& in : {kSubscriberInquiry, kDependentInquiry}) {
    std::unique_ptr<Mapped> first = map_text(in);
    REQUIRE(first->requests.size() == 1);
    Result<std::string> out = write_270(*first->requests[0], first->resolver(), envelope());
    REQUIRE_MESSAGE(out.is_ok(), out.status().message());
    INFO(*out);
    Result<x12::Document> doc = x12::Document::parse(std::string_view(*out));
    REQUIRE(doc.is_ok());
    CHECK(doc->findings().empty());
    std::unique_ptr<Mapped> second = map_text(*out);
    REQUIRE(second->requests.size() == 1);
    CHECK(signature(*second->requests[0], second->resolver()) ==
          signature(*first->requests[0], first->resolver()));
  }
}

TEST_CASE("the 270 written for a subscriber inquiry, segment by segment") {
  std::unique_ptr<Mapped> mapped = map_text(kSubscriberInquiry);
  REQUIRE(mapped->requests.size() == 1);
  Result<std::string> out = write_270(*mapped->requests[0], mapped->resolver(), envelope());
  REQUIRE_MESSAGE(out.is_ok(), out.status().message());
  CHECK(*out ==
        "ISA*00*          *00*          *ZZ*HEARTH         *ZZ*842610001      *260302*1015*^*"
        "00501*000000043*0*P*:~\n"
        "GS*HS*HEARTH*842610001*20260302*1015*1*X*005010X279A1~\n"
        "ST*270*0001*005010X279A1~\n"
        "BHT*0022*13*93175-012547*20060501*1015~\n"
        "HL*1**20*1~\n"
        "NM1*PR*2*ABC COMPANY*****PI*842610001~\n"
        "HL*2*1*21*1~\n"
        "NM1*1P*2*BONE AND JOINT CLINIC*****SV*2000035~\n"
        "HL*3*2*22*0~\n"
        "TRN*1*93175-012547*9877281234~\n"
        "NM1*IL*1*SMITH*ROBERT****MI*11122333301~\n"
        "N3*15 MAIN ST~\n"
        "N4*TOWN*CA*90001~\n"
        "DMG*D8*19430519*M~\n"
        "DTP*291*D8*20060501~\n"
        "EQ*30~\n"
        "EQ*98*HC:99213:25~\n"
        "SE*16*0001~\n"
        "GE*1*1~\n"
        "IEA*1*000000043~\n");
}

TEST_CASE("a request that cannot make a 270 is refused naming what is missing") {
  std::unique_ptr<Mapped> mapped = map_text(kSubscriberInquiry);
  REQUIRE(mapped->requests.size() == 1);
  const JsonValue& request = *mapped->requests[0];
  auto nothing = [](std::string_view) -> const JsonValue* { return nullptr; };
  Result<std::string> out = write_270(request, nothing, envelope());
  REQUIRE_FALSE(out.is_ok());
  CHECK(out.status().code() == Code::kInvalidArgument);
  CHECK(out.status().message().find("CoverageEligibilityRequest.patient") != std::string::npos);
  X12Envelope bad = envelope();
  bad.time = "10";
  out = write_270(request, mapped->resolver(), bad);
  REQUIRE_FALSE(out.is_ok());
  CHECK(out.status().message().find("envelope") != std::string::npos);
  fhir::JsonDocument empty;
  empty.SetObject();
  CHECK(write_270(empty, mapped->resolver(), envelope())
            .status()
            .message()
            .find("CoverageEligibilityRequest.identifier") != std::string::npos);
  // More EQs than 2110C allows.
  fhir::JsonDocument many;
  many.CopyFrom(request, many.GetAllocator());
  rapidjson::Value items(rapidjson::kArrayType);
  for (int i = 0; i < 100; ++i) {
    items.PushBack(rapidjson::Value(many["item"][0], many.GetAllocator()), many.GetAllocator());
  }
  many["item"] = items;
  out = write_270(many, mapped->resolver(), envelope());
  REQUIRE_FALSE(out.is_ok());
  CHECK(out.status().message().find("at most 99") != std::string::npos);
}

TEST_CASE("every 5010 270 of the corpus survives the outbound round trip") {
  const char* env = std::getenv("HEARTH_CORPUS_DIR");
  const fs::path root =
      fs::path(env != nullptr ? env : hearth::test::source_dir() + "/tests/data/corpus") / "x12";
  int files = 0, requests = 0, same = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::unique_ptr<Mapped> first = map_text(text);
    if (first->requests.empty()) continue;
    ++files;
    for (const JsonValue* request : first->requests) {
      INFO(entry.path().string());
      ++requests;
      Result<std::string> out = write_270(*request, first->resolver(), envelope());
      REQUIRE_MESSAGE(out.is_ok(), out.status().message());
      Result<x12::Document> doc = x12::Document::parse(std::string_view(*out));
      REQUIRE(doc.is_ok());
      CHECK_MESSAGE(doc->findings().empty(), *out);
      std::unique_ptr<Mapped> second = map_text(*out);
      REQUIRE(second->requests.size() == 1);
      const std::string want = signature(*request, first->resolver());
      const std::string got = signature(*second->requests[0], second->resolver());
      CHECK(got == want);
      if (got == want) ++same;
    }
  }
  std::printf(
      "x12 outbound 270 round trip: %d files, %d requests, %d the same after 270 out and "
      "back in\n",
      files, requests, same);
  CHECK(requests >= 2);
}

}  // namespace
}  // namespace hearth::hl7::to_fhir
