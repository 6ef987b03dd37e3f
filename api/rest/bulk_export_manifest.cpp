// manifest_json: the manifest's fixed shape written with RapidJSON.
#include "api/rest/bulk_export_manifest.h"

#include "api/rest/json_writer.h"
#include "core/time_format.h"

namespace hearth::api {
namespace {

void write_files(JsonWriter& w, const char* key, const std::vector<ExportOutputFile>& files) {
  w.Key(key);
  w.StartArray();
  for (const ExportOutputFile& file : files) {
    w.StartObject();
    w.Key("type");
    write_str(w, file.type);
    w.Key("url");
    write_str(w, file.url);
    w.Key("count");
    w.Int64(file.count);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string manifest_json(const ExportManifest& manifest) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("transactionTime");
  write_str(w, format_instant(manifest.transaction_time_micros));
  w.Key("request");
  write_str(w, manifest.request);
  w.Key("requiresAccessToken");
  w.Bool(manifest.requires_access_token);
  write_files(w, "output", manifest.output);
  write_files(w, "error", manifest.error);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace hearth::api
