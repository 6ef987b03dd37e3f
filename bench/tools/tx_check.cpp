// bench_tx_check: the test of the synthetic history generator (synthetic_history.h), run by
// ctest as `bench_tx_generator`.
//
// Usage: bench_tx_check [HISTORIES] [SEED]   (defaults 50 and 1)
//
// For each history 0..HISTORIES-1 of SEED:
// generating it twice gives the same bytes and two indices give different bytes; the Bundle
// passes Hearth's validator (fhir/validate.h), and so does every entry's resource on its own
// against the type its request.url names; there are exactly HistoryOptions::entries entries, the
// first a Patient; every entry has a unique `urn:uuid:` fullUrl, request.method POST and no
// resource id; every `reference` anywhere in a resource names the fullUrl of an earlier entry.
// Prints the resource mix and the mean Bundle size; exit status 0 when every check held, 1 with
// one line per failure otherwise, 2 on bad usage.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/json.h"
#include "fhir/validate.h"
#include "synthetic_history.h"

namespace {

using hearth::fhir::JsonValue;

int failures = 0;

void fail(std::uint64_t index, const std::string& what) {
  ++failures;
  if (failures <= 30)
    std::printf("history %llu: %s\n", static_cast<unsigned long long>(index), what.c_str());
}

// Every issue as "expression: diagnostics; ...".
std::string describe(const hearth::Status& status) {
  std::string out;
  for (const auto& issue : status.issues()) {
    if (!out.empty()) out += "; ";
    out += issue.expression + ": " + issue.diagnostics;
  }
  return out;
}

std::string_view member_string(const JsonValue& object, const char* name) {
  if (!object.IsObject()) return {};
  auto m = object.FindMember(name);
  if (m == object.MemberEnd() || !hearth::fhir::is_json_string(m->value)) return {};
  return hearth::fhir::json_string(m->value);
}

// Every {"reference": "..."} below `value`, wherever it sits.
void collect_references(const JsonValue& value, std::vector<std::string>& out) {
  if (value.IsObject()) {
    for (const auto& m : value.GetObject()) {
      if (std::string_view(m.name.GetString()) == "reference" &&
          hearth::fhir::is_json_string(m.value))
        out.emplace_back(hearth::fhir::json_string(m.value));
      else
        collect_references(m.value, out);
    }
  } else if (value.IsArray()) {
    for (const auto& v : value.GetArray()) collect_references(v, out);
  }
}

void check(std::uint64_t seed, std::uint64_t index, std::map<std::string, std::size_t>& mix,
           std::size_t& bytes) {
  const hearth::bench::HistoryOptions options;
  const auto history = hearth::bench::make_history(seed, index, options);
  if (hearth::bench::make_history(seed, index, options).json != history.json)
    fail(index, "not deterministic");
  if (hearth::bench::make_history(seed, index + 1, options).json == history.json)
    fail(index, "same bytes as the next index");
  bytes += history.json.size();

  auto doc = hearth::fhir::parse_json(history.json);
  if (!doc.is_ok()) return fail(index, "not JSON: " + describe(doc.status()));
  const JsonValue& bundle = doc.value();
  if (auto st = hearth::fhir::validate_resource(bundle, "Bundle"); !st.is_ok())
    fail(index, "Bundle invalid: " + describe(st));
  if (member_string(bundle, "type") != "transaction") fail(index, "wrong Bundle.type");
  auto entries = bundle.FindMember("entry");
  if (entries == bundle.MemberEnd() || !entries->value.IsArray())
    return fail(index, "no entry array");
  if (entries->value.Size() != options.entries || history.entries != options.entries)
    fail(index, "entry count " + std::to_string(entries->value.Size()));

  std::set<std::string, std::less<>> seen;
  std::size_t position = 0;
  for (const auto& entry : entries->value.GetArray()) {
    const std::string at = "entry[" + std::to_string(position++) + "]";
    const std::string full_url(member_string(entry, "fullUrl"));
    if (full_url.rfind("urn:uuid:", 0) != 0 || full_url.size() != 45)
      fail(index, at + ": fullUrl is not a urn:uuid");
    if (!seen.insert(full_url).second) fail(index, at + ": fullUrl repeated");
    auto resource = entry.FindMember("resource");
    auto request = entry.FindMember("request");
    if (resource == entry.MemberEnd() || request == entry.MemberEnd())
      return fail(index, at + ": no resource or request");
    const std::string type(member_string(resource->value, "resourceType"));
    if (position == 1 && type != "Patient") fail(index, "first entry is not a Patient");
    if (member_string(request->value, "method") != "POST" ||
        member_string(request->value, "url") != type)
      fail(index, at + ": request is not POST " + type);
    if (resource->value.HasMember("id")) fail(index, at + ": resource has an id");
    if (auto st = hearth::fhir::validate_resource(resource->value, type); !st.is_ok())
      fail(index, at + " " + type + " invalid: " + describe(st));
    std::vector<std::string> references;
    collect_references(resource->value, references);
    for (const auto& ref : references)
      if (!seen.contains(ref) || ref == full_url)
        fail(index, at + ": reference " + ref + " names no earlier entry");
    ++mix[type];
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 3) {
    std::fprintf(stderr, "usage: bench_tx_check [HISTORIES] [SEED]\n");
    return 2;
  }
  const std::uint64_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 50;
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  if (count == 0) {
    std::fprintf(stderr, "bench_tx_check: HISTORIES must be at least 1\n");
    return 2;
  }
  std::map<std::string, std::size_t> mix;
  std::size_t bytes = 0;
  for (std::uint64_t i = 0; i < count; ++i) check(seed, i, mix, bytes);
  std::size_t total = 0;
  for (const auto& [type, n] : mix) total += n;
  std::printf("resource mix over %llu transactions (%zu entries):\n",
              static_cast<unsigned long long>(count), total);
  for (const auto& [type, n] : mix)
    std::printf("  %-18s %6zu  %5.1f per history\n", type.c_str(), n,
                static_cast<double>(n) / static_cast<double>(count));
  std::printf("mean Bundle size %.1f KB; %d failures\n",
              static_cast<double>(bytes) / static_cast<double>(count) / 1024.0, failures);
  return failures == 0 ? 0 : 1;
}
