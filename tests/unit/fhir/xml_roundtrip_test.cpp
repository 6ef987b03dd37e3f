// Every resource of the official R4 examples package goes JSON -> XML -> JSON and must come back
// identical (member order aside, numbers by their exact text); every XML produced must pass
// xmllint. Prints the counts and the codec's throughput over the whole package.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/xml/xml_reader.h"
#include "fhir/xml/xml_tree.h"
#include "fhir/xml/xml_writer.h"
#include "official_examples.h"
#include "xml_test_support.h"

namespace hearth::fhir {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

bool is_resource_file(const JsonDocument& doc) {
  if (!doc.IsObject()) return false;
  auto rt = doc.FindMember("resourceType");
  return rt != doc.MemberEnd() && is_json_string(rt->value) &&
         is_resource_type(json_string(rt->value));
}

// The nodes XmlLimits::max_nodes counts: elements, attributes, comments, processing
// instructions.
std::size_t counted_nodes(const xmlNode* node) {
  std::size_t n = 0;
  for (; node != nullptr; node = node->next) {
    if (node->type == XML_ELEMENT_NODE) {
      ++n;
      for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) ++n;
      n += counted_nodes(node->children);
    } else if (node->type == XML_COMMENT_NODE || node->type == XML_PI_NODE) {
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("xml round-trip of every official example, each output well-formed per xmllint") {
  const std::vector<std::filesystem::path> files = testing::official_example_files();
  REQUIRE(static_cast<int>(files.size()) > testing::at_least(1000));

  auto out_dir = std::filesystem::temp_directory_path() /
                 ("hearth-xml-roundtrip-" + std::to_string(::getpid()));
  std::filesystem::create_directories(out_dir);

  int total = 0, passed = 0, reported = 0;
  std::size_t xml_bytes = 0;
  // Of one example that fits a default-sized body: what --xml-max-nodes must leave room for.
  std::size_t most_nodes = 0;
  std::string most_nodes_name;
  Clock::duration write_time{}, read_time{};
  std::string xml;
  for (const auto& path : files) {
    Result<JsonDocument> original = parse_json(testing::read_text_file(path));
    if (!original.is_ok() || !is_resource_file(*original)) continue;
    ++total;
    xml.clear();
    auto t0 = Clock::now();
    Status written = write_xml_resource(*original, false, xml);
    auto t1 = Clock::now();
    write_time += t1 - t0;
    std::string failure;
    if (!written.is_ok()) {
      failure = "write: " + written.message() + " @ " + written.issues()[0].expression;
    } else {
      xml_bytes += xml.size();
      std::ofstream(out_dir / (path.stem().string() + ".xml"), std::ios::binary) << xml;
      if (auto tree = detail::parse_xml_tree(xml); tree.is_ok()) {
        std::size_t nodes = counted_nodes(xmlDocGetRootElement(tree->get()));
        // Bodies over the server's default --max-body (16 MiB) never reach the XML reader.
        if (nodes > most_nodes && xml.size() <= (16u << 20)) {
          most_nodes = nodes;
          most_nodes_name = path.filename().string();
        }
      }
      auto t2 = Clock::now();
      // The definition Bundles (up to 32 MB, 819,118 nodes) exceed the server's default limits.
      Result<JsonDocument> back =
          parse_xml_resource(xml, XmlLimits{.max_nodes = static_cast<std::size_t>(-1)});
      read_time += Clock::now() - t2;
      if (!back.is_ok()) {
        failure = "read: " + back.status().message() + " @ " + back.status().issues()[0].expression;
      } else {
        failure = testing::json_difference(*original, *back);
      }
    }
    if (failure.empty()) {
      ++passed;
    } else if (++reported <= 25) {
      FAIL_CHECK(path.filename().string() << ": " << failure);
    }
  }
  double mb = static_cast<double>(xml_bytes) / 1e6;
  std::cout << "xml round-trip: " << passed << "/" << total << " official examples ("
            << static_cast<int>(mb) << " MB of XML; write "
            << static_cast<int>(mb / seconds(write_time)) << " MB/s, read "
            << static_cast<int>(mb / seconds(read_time))
            << " MB/s); most nodes of one example within 16 MiB: " << most_nodes << " ("
            << most_nodes_name << "), default --xml-max-nodes " << kDefaultXmlMaxNodes << "\n";
  CHECK(passed == total);
  // Every official example that fits the default body limit passes the default node cap.
  CHECK(most_nodes <= kDefaultXmlMaxNodes);

  // xmllint in a few invocations (xargs batches); any output is a failure.
  std::string log = (out_dir / "xmllint.log").string();
  std::string command =
      "cd '" + out_dir.string() +
      "' && find . -name '*.xml' -print0 | xargs -0 -n 2000 xmllint --noout --nonet > '" + log +
      "' 2>&1";
  int rc = std::system(command.c_str());
  std::string lint = testing::read_text_file(log);
  std::cout << "xmllint over " << total
            << " files: " << (rc == 0 && lint.empty() ? "clean" : "PROBLEMS") << "\n";
  CHECK_MESSAGE(rc == 0, lint.substr(0, 2000));
  CHECK_MESSAGE(lint.empty(), lint.substr(0, 2000));
  std::filesystem::remove_all(out_dir);
}

}  // namespace hearth::fhir
