// A transaction or batch Bundle as a client sends it: the entries read (request.url routed,
// criteria parsed), then every entry's references and narrative links rewritten with a map
// holding each fullUrl, as the entry runner does before the store is touched.
#include <cstdint>
#include <string_view>

#include "api/rest/bundle_entries.h"
#include "api/rest/reference_rewrite.h"
#include "fhir/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = hearth::fhir::parse_json(text);
  if (!doc.is_ok() || !doc->IsObject()) return 0;
  hearth::api::BundleKind kind;
  auto entries = hearth::api::read_bundle_entries(*doc, "http://h/fhir", kind);
  if (!entries.is_ok()) return 0;
  hearth::api::ReferenceMap map;
  for (const auto& entry : *entries) {
    if (!entry.full_url.empty()) map[entry.full_url] = entry.route.type + "/new";
  }
  for (auto& entry : *entries) {
    if (entry.resource == nullptr) continue;
    hearth::api::rewrite_references(*entry.resource, *entry.allocator, map);
    hearth::api::for_each_reference(*entry.resource, [](std::string_view ref) {
      std::string_view type, criteria;
      (void)hearth::api::is_placeholder(ref);
      (void)hearth::api::split_conditional_reference(ref, type, criteria);
    });
  }
  return 0;
}
