// Paths -> files -> messages (message_files.h).
#include "server/cli/message_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "api/hl7/x12_ingest.h"
#include "hl7/v2/batch.h"
#include "hl7/x12/document.h"

namespace hearth::server {

namespace fs = std::filesystem;

bool collect_files(const std::vector<std::string>& paths, std::string_view command,
                   std::vector<std::string>& files, std::ostream& err) {
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file()) found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      err << command << ": no such file or directory: " << path << "\n";
      return false;
    }
  }
  return true;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<FileMessage> split_messages(const std::string& text) {
  std::vector<FileMessage> out;
  if (api::looks_like_x12(text)) {
    Result<hl7::x12::Document> parsed = hl7::x12::Document::parse(std::string_view(text));
    const std::string isa13 =
        parsed.is_ok() ? std::string(parsed->interchanges().front().control_number) : "-";
    out.push_back(FileMessage{isa13, text, "", true});
    return out;
  }
  Result<hl7::Batch> batch = hl7::Batch::parse(text);
  if (!batch.is_ok()) {
    out.push_back(FileMessage{"-", text, "", false});
    return out;
  }
  for (const auto& group : batch->groups()) {
    for (const auto& message : group.messages) {
      out.push_back(FileMessage{std::string(message.control_id()), message.write(),
                                std::string(message.field(0, 15).raw), false});
    }
  }
  return out;
}

}  // namespace hearth::server
