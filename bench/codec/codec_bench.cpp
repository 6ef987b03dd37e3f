// Codec throughput on a ~20 MB Bundle of official R4 examples (bench/run_fhir.sh runs it):
//   a. RapidJSON's own Document::Parse + Writer of the JSON bytes (the ceiling: doubles for
//      numbers, no FHIR rules)
//   b. Hearth JSON: fhir::parse_json + fhir::write_json (numbers kept as text)
//   c. Hearth XML: fhir::parse_xml_resource + fhir::write_xml_resource of the same Bundle in XML
// Each figure is MB/s of its own input bytes (best of N rounds) and a ratio to a.
//
//   build/bench/codec/codec_bench [target_mb] [rounds]
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "bench_bundle.h"
#include "fhir/json.h"
#include "fhir/xml/xml_reader.h"
#include "fhir/xml/xml_writer.h"
#include "tests/test_paths.h"

namespace {

using Clock = std::chrono::steady_clock;

// Best wall seconds of `rounds` runs of `work` (each run must succeed).
double best_seconds(int rounds, const std::function<bool()>& work) {
  double best = 1e30;
  for (int i = 0; i < rounds; ++i) {
    auto start = Clock::now();
    if (!work()) {
      std::fprintf(stderr, "codec_bench: a round failed\n");
      std::exit(1);
    }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const double target_mb = argc > 1 ? std::atof(argv[1]) : 20.0;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  std::size_t entries = 0;
  const std::string json = hearth::bench::make_example_bundle(
      hearth::test::fhir_package_dir(), static_cast<std::size_t>(target_mb * 1024 * 1024),
      &entries);

  auto bundle = hearth::fhir::parse_json(json);
  if (!bundle.is_ok())
    return std::fprintf(stderr, "codec_bench: bundle: %s\n", bundle.status().message().c_str()), 1;
  std::string xml;
  hearth::Status written = hearth::fhir::write_xml_resource(*bundle, false, xml);
  if (!written.is_ok())
    return std::fprintf(stderr, "codec_bench: to XML: %s\n", written.message().c_str()), 1;
  hearth::fhir::XmlLimits limits;
  limits.max_bytes = xml.size() + 1;

  std::size_t sink = 0;  // keeps results alive so nothing is optimised away
  const double rapid = best_seconds(rounds, [&] {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError()) return false;
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    doc.Accept(writer);
    sink += out.GetSize();
    return true;
  });
  const double hearth_json = best_seconds(rounds, [&] {
    auto doc = hearth::fhir::parse_json(json);
    if (!doc.is_ok()) return false;
    sink += hearth::fhir::write_json(*doc).size();
    return true;
  });
  const double hearth_xml = best_seconds(rounds, [&] {
    auto doc = hearth::fhir::parse_xml_resource(xml, limits);
    if (!doc.is_ok()) {
      std::fprintf(stderr, "codec_bench: XML parse: %s\n", doc.status().message().c_str());
      return false;
    }
    std::string out;
    if (!hearth::fhir::write_xml_resource(*doc, false, out).is_ok()) return false;
    sink += out.size();
    return true;
  });

  const double mb_json = static_cast<double>(json.size()) / (1024.0 * 1024.0);
  const double mb_xml = static_cast<double>(xml.size()) / (1024.0 * 1024.0);
  const double rapid_rate = mb_json / rapid;
  std::printf("Bundle of %zu official examples: %.1f MB as JSON, %.1f MB as XML; best of %d\n",
              entries, mb_json, mb_xml, rounds);
  std::printf("%-44s %10s %14s\n", "parse + serialize", "MB/s", "vs RapidJSON");
  std::printf("%-44s %10.1f %13.0f%%\n", "a. RapidJSON Document + Writer (JSON bytes)", rapid_rate,
              100.0);
  std::printf("%-44s %10.1f %13.0f%%\n", "b. Hearth FHIR JSON (numbers kept as text)",
              mb_json / hearth_json, 100.0 * (mb_json / hearth_json) / rapid_rate);
  std::printf("%-44s %10.1f %13.0f%%\n", "c. Hearth FHIR XML (libxml2, model-driven)",
              mb_xml / hearth_xml, 100.0 * (mb_xml / hearth_xml) / rapid_rate);
  std::printf("   (c per JSON-equivalent byte: %.1f MB/s)\n", mb_json / hearth_xml);
  return sink == 0 ? 1 : 0;
}
