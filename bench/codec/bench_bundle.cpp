#include "bench_bundle.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "fhir/json.h"

namespace hearth::bench {

std::string make_example_bundle(const std::string& package_dir, std::size_t target_bytes,
                                std::size_t* entries_out) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(package_dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("no example files in " + package_dir);

  fhir::JsonDocument bundle;
  bundle.SetObject();
  auto& alloc = bundle.GetAllocator();
  bundle.AddMember("resourceType", "Bundle", alloc);
  bundle.AddMember("type", "collection", alloc);
  fhir::JsonValue entries(rapidjson::kArrayType);
  std::size_t bytes = 0;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Result<fhir::JsonDocument> doc = fhir::parse_json(text.str());
    if (!doc.is_ok() || !doc->IsObject() || !doc->HasMember("resourceType")) continue;
    const std::string type = (*doc)["resourceType"].GetString();
    if (type == "Bundle" || !doc->HasMember("id")) continue;
    fhir::JsonValue entry(rapidjson::kObjectType);
    const std::string url = "http://example.org/fhir/" + type + "/" + (*doc)["id"].GetString();
    entry.AddMember("fullUrl", fhir::make_json_string(url, alloc), alloc);
    fhir::JsonValue resource;
    resource.CopyFrom(*doc, alloc);
    entry.AddMember("resource", resource, alloc);
    entries.PushBack(entry, alloc);
    bytes += text.str().size();
    if (bytes >= target_bytes) break;
  }
  if (entries_out != nullptr) *entries_out = entries.Size();
  bundle.AddMember("entry", entries, alloc);
  return fhir::write_json(bundle);
}

}  // namespace hearth::bench
