// Outbound 837P (x12_claim_writer.h): a Claim mapped from an 837P writes an 837P that parses
// without findings and maps back to an equivalent Claim (the claim data compared field by
// field: identity, dates, total, diagnoses, care team, lines, the people and the coverage),
// for every 837P claim of the corpus (the counts are printed); a Claim that cannot make an 837P
// is refused naming what is missing.
#include "hl7/to_fhir/x12_claim_writer.h"

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

#include "hl7/to_fhir/x12_map_table.h"
#include "hl7/to_fhir/x12_mapper.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "tests/test_paths.h"
#include "x12/x12_samples.h"

namespace hearth::hl7::to_fhir {
namespace {

namespace fs = std::filesystem;
using fhir::JsonValue;

std::function<std::string()> counter() {
  auto n = std::make_shared<int>(0);
  return [n] { return "r" + std::to_string(++*n); };
}

// A mapped Bundle and its resources by fullUrl.
struct Mapped {
  fhir::JsonDocument bundle;
  std::map<std::string, const JsonValue*, std::less<>> by_url;
  std::vector<const JsonValue*> claims;
  FhirResolver resolver() const {
    return [this](std::string_view ref) -> const JsonValue* {
      auto it = by_url.find(ref);
      return it == by_url.end() ? nullptr : it->second;
    };
  }
};

// Maps the accepted 837P sets of `text`; nullopt-like empty claims when nothing maps.
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
        if (ack.groups[g].transactions[t].code != 'R' && txn.set_id == "837" &&
            txn.convention.starts_with("005010X222")) {
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
    if (fhir::json_string(e["resource"]["resourceType"]) == "Claim") {
      out->claims.push_back(&e["resource"]);
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

// The claim data an 837P carries, as text: what must survive the round trip.
std::string signature(const JsonValue& claim, const FhirResolver& resolve) {
  std::string s;
  auto add = [&s](std::string_view label, const JsonValue* v) {
    s += std::string(label) + "=" + std::string(text(v)) + ";";
  };
  auto follow = [&](const JsonValue* v, std::string_view path) {
    const std::string_view ref = text(get(v, std::string(path) + ".reference"));
    return ref.empty() ? nullptr : resolve(ref);
  };
  for (const char* path : {"identifier.0.system", "identifier.0.value", "created", "total.value",
                           "insurance.0.preAuthRef.0"}) {
    add(path, get(&claim, path));
  }
  for (int i = 0; get(&claim, "diagnosis." + std::to_string(i)) != nullptr; ++i) {
    const std::string d = "diagnosis." + std::to_string(i);
    add(d, get(&claim, d + ".diagnosisCodeableConcept.coding.0.code"));
    add("type", get(&claim, d + ".type.0.coding.0.code"));
  }
  const JsonValue* rendering = follow(&claim, "careTeam.0.provider");
  add("rendering", get(rendering, "name.0.family"));
  add("rendering-npi", get(rendering, "identifier.0.value"));
  for (int i = 0; get(&claim, "item." + std::to_string(i)) != nullptr; ++i) {
    const std::string item = "item." + std::to_string(i);
    for (const char* path :
         {".sequence", ".productOrService.coding.0.code", ".modifier.0.coding.0.code",
          ".modifier.1.coding.0.code", ".net.value", ".quantity.value", ".quantity.unit",
          ".locationCodeableConcept.coding.0.code", ".diagnosisSequence.0", ".diagnosisSequence.1",
          ".servicedDate", ".servicedPeriod.start", ".servicedPeriod.end"}) {
      add(item + path, get(&claim, item + path));
    }
  }
  const JsonValue* patient = follow(&claim, "patient");
  for (const char* path : {"name.0.family", "name.0.given.0", "birthDate", "gender",
                           "identifier.0.system", "identifier.0.value", "address.0.city"}) {
    add(std::string("patient.") + path, get(patient, path));
  }
  const JsonValue* coverage = follow(&claim, "insurance.0.coverage");
  add("coverage.subscriberId", get(coverage, "subscriberId"));
  add("coverage.group", get(coverage, "class.0.value"));
  add("subscriber", get(follow(coverage, "subscriber"), "name.0.family"));
  add("provider", get(follow(&claim, "provider"), "name"));
  add("provider-npi", get(follow(&claim, "provider"), "identifier.0.value"));
  add("insurer", get(follow(&claim, "insurer"), "identifier.0.value"));
  return s;
}

X12Envelope envelope() {
  X12Envelope e;
  e.control_number = "000000042";
  e.date = "20260301";
  e.time = "0930";
  return e;
}

TEST_CASE("an 837P claim written out and read back is the same claim") {
  const std::string in = x12::test::interchange(x12::test::claim_837p());
  std::unique_ptr<Mapped> first = map_text(in);
  REQUIRE(first->claims.size() == 1);
  Result<std::string> out = write_837p(*first->claims[0], first->resolver(), envelope());
  REQUIRE_MESSAGE(out.is_ok(), out.status().message());
  CHECK(
      out->starts_with("ISA*00*          *00*          *ZZ*HEARTH         *ZZ*999996666      "
                       "*260301*0930*^*00501*000000042*0*P*:~\n"));
  CHECK(out->find("CLM*26463774*100***11:B:1*Y*A*Y*Y~\n") != std::string::npos);
  CHECK(out->find("HI*ABK:J0300*ABF:Z1159~\n") != std::string::npos);
  CHECK(out->find("SV1*HC:99213*40*UN*1***1~\n") != std::string::npos);
  Result<x12::Document> doc = x12::Document::parse(std::string_view(*out));
  REQUIRE(doc.is_ok());
  CHECK(doc->findings().empty());
  std::unique_ptr<Mapped> second = map_text(*out);
  REQUIRE(second->claims.size() == 1);
  CHECK(signature(*second->claims[0], second->resolver()) ==
        signature(*first->claims[0], first->resolver()));
}

TEST_CASE("a Claim that cannot make an 837P is refused naming what is missing") {
  std::unique_ptr<Mapped> mapped = map_text(x12::test::interchange(x12::test::claim_837p()));
  REQUIRE(mapped->claims.size() == 1);
  const JsonValue& claim = *mapped->claims[0];
  auto nothing = [](std::string_view) -> const JsonValue* { return nullptr; };
  Result<std::string> out = write_837p(claim, nothing, envelope());
  REQUIRE_FALSE(out.is_ok());
  CHECK(out.status().code() == Code::kInvalidArgument);
  CHECK(out.status().message().find("Claim.patient") != std::string::npos);
  X12Envelope bad = envelope();
  bad.control_number = "42";
  out = write_837p(claim, mapped->resolver(), bad);
  REQUIRE_FALSE(out.is_ok());
  CHECK(out.status().message().find("envelope") != std::string::npos);
  fhir::JsonDocument empty;
  empty.SetObject();
  CHECK(write_837p(empty, mapped->resolver(), envelope())
            .status()
            .message()
            .find("Claim.identifier") != std::string::npos);
}

TEST_CASE("every 837P claim of the corpus survives the outbound round trip") {
  const char* env = std::getenv("HEARTH_CORPUS_DIR");
  const fs::path root =
      fs::path(env != nullptr ? env : hearth::test::source_dir() + "/tests/data/corpus") / "x12";
  int files = 0, claims = 0, same = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::unique_ptr<Mapped> first = map_text(text);
    if (first->claims.empty()) continue;
    ++files;
    for (const JsonValue* claim : first->claims) {
      INFO(entry.path().string());
      ++claims;
      Result<std::string> out = write_837p(*claim, first->resolver(), envelope());
      REQUIRE_MESSAGE(out.is_ok(), out.status().message());
      Result<x12::Document> doc = x12::Document::parse(std::string_view(*out));
      REQUIRE(doc.is_ok());
      CHECK_MESSAGE(doc->findings().empty(), *out);
      std::unique_ptr<Mapped> second = map_text(*out);
      REQUIRE(second->claims.size() == 1);
      const std::string want = signature(*claim, first->resolver());
      const std::string got = signature(*second->claims[0], second->resolver());
      CHECK(got == want);
      if (got == want) ++same;
    }
  }
  std::printf(
      "x12 outbound 837P round trip: %d files, %d claims, %d the same after 837P out and "
      "back in\n",
      files, claims, same);
  CHECK(claims >= 16);
}

}  // namespace
}  // namespace hearth::hl7::to_fhir
