// The files `hearth send` and `hearth import` read, and the messages in them: paths expanded
// (directories recursively, in name order), each file split into what is sent or ingested as one
// unit - an X12 file (opening with ISA) whole, HL7 v2 batches and files of several messages one
// message at a time (hl7::Batch), and a file that does not parse whole (so the receiver's AR says
// why).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::server {

// Regular files under `paths`, directories expanded recursively and sorted by name. False (and a
// line on `err`, prefixed by `command`) for a path that is neither.
bool collect_files(const std::vector<std::string>& paths, std::string_view command,
                   std::vector<std::string>& files, std::ostream& err);

std::string read_file(const std::string& path);

struct FileMessage {
  std::string control_id;  // MSH-10, ISA13 of the first interchange, "-" when unreadable
  std::string text;
  std::string msh15;  // the accept acknowledgment asked for (v2), "" otherwise
  bool x12 = false;
};

std::vector<FileMessage> split_messages(const std::string& text);

}  // namespace hearth::server
