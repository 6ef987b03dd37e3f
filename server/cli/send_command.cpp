// Files -> messages (hl7::Batch splits them; a file that does not parse is sent whole, so the
// server's AR says why) -> one MLLP exchange each. An X12 file (opening with ISA) is sent whole
// as one frame; its TA1/999 answer is printed as A, P or R (acknowledgment_verdict).
#include "server/cli/send_command.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "api/hl7/x12_ingest.h"
#include "hl7/v2/ack.h"
#include "hl7/v2/batch.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "server/cli/mllp_client.h"

namespace hearth::server {
namespace {

namespace fs = std::filesystem;

// Regular files under `paths`, directories expanded recursively and sorted by name.
bool collect(const std::vector<std::string>& paths, std::vector<std::string>& files,
             std::ostream& err) {
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
      err << "hearth send: no such file or directory: " << path << "\n";
      return false;
    }
  }
  return true;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// MSH-15, the accept acknowledgment the sender asks for (table 0155); empty = AL.
enum class AcceptAck { kAlways, kNever, kOnError, kOnSuccess };

AcceptAck accept_ack_of(std::string_view msh15) {
  if (msh15 == "NE") return AcceptAck::kNever;
  if (msh15 == "ER") return AcceptAck::kOnError;
  if (msh15 == "SU") return AcceptAck::kOnSuccess;
  return AcceptAck::kAlways;
}

struct Outgoing {
  std::string control_id;
  std::string er7;
  AcceptAck accept_ack = AcceptAck::kAlways;
  bool x12 = false;  // an X12 file, sent whole: its answer is a TA1/999
};

// The code `hearth send` prints for an X12 acknowledgment: "A", "P", "R", "" when unreadable.
std::string x12_code(const std::string& ack) {
  Result<hl7::x12::Document> parsed = hl7::x12::Document::parse(std::string_view(ack));
  if (!parsed.is_ok()) return "";
  const char verdict = hl7::x12::acknowledgment_verdict(*parsed);
  return verdict == '\0' ? std::string() : std::string(1, verdict);
}

// MSA-2 of an ACK (the control id it answers), "" when unreadable.
std::string acknowledged_id(const std::string& ack) {
  Result<hl7::Message> parsed = hl7::Message::parse(ack);
  if (!parsed.is_ok()) return "";
  for (std::size_t i = 0; i < parsed->segment_count(); ++i) {
    if (parsed->segment_id(i) == "MSA") return std::string(parsed->field(i, 2).raw);
  }
  return "";
}

// The messages in `text`; the whole text as one when it does not parse.
std::vector<Outgoing> split(const std::string& text) {
  std::vector<Outgoing> out;
  if (api::looks_like_x12(text)) {
    Result<hl7::x12::Document> parsed = hl7::x12::Document::parse(std::string_view(text));
    const std::string isa13 =
        parsed.is_ok() ? std::string(parsed->interchanges().front().control_number) : "-";
    out.push_back(Outgoing{isa13, text, AcceptAck::kAlways, true});
    return out;
  }
  Result<hl7::Batch> batch = hl7::Batch::parse(text);
  if (!batch.is_ok()) {
    out.push_back(Outgoing{"-", text, AcceptAck::kAlways});
    return out;
  }
  for (const auto& group : batch->groups()) {
    for (const auto& message : group.messages) {
      out.push_back(Outgoing{std::string(message.control_id()), message.write(),
                             accept_ack_of(message.field(0, 15).raw)});
    }
  }
  return out;
}

}  // namespace

int run_send(const SendOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  if (!collect(options.paths, files, err)) return 2;
  const auto timeout = std::chrono::milliseconds(
      static_cast<long long>(std::max(0.001, options.timeout_seconds) * 1000));
  const auto conditional_wait = std::chrono::milliseconds(
      static_cast<long long>(std::max(0.0, options.conditional_ack_seconds) * 1000));
  const MllpTlsOptions tls{options.ca, options.cert, options.key};
  auto client =
      MllpClient::connect(options.host, options.port, timeout, options.tls ? &tls : nullptr);
  if (!client) {
    err << "hearth send: " << client.status().message() << "\n";
    return client.status().code() == Code::kInvalidArgument ? 2 : 3;
  }
  const auto started = std::chrono::steady_clock::now();
  std::map<std::string, int> codes;
  int sent = 0;
  bool all_accepted = true;
  for (const auto& file : files) {
    int index = 0;
    for (const Outgoing& message : split(read_all(file))) {
      const std::string& control_id = message.control_id;
      Status sent_ok = (*client)->send(message.er7);
      // The ACK code, or what the silence of a conditional ACK means.
      Result<std::string> code = std::string("no-ack-requested");
      if (sent_ok.is_ok() && message.accept_ack != AcceptAck::kNever) {
        const bool conditional = message.accept_ack != AcceptAck::kAlways;
        for (;;) {
          Result<std::optional<std::string>> ack =
              (*client)->read_ack_within(conditional ? conditional_wait : timeout);
          if (!ack.is_ok()) {
            code = std::move(ack).take_status();
            break;
          }
          if (!ack->has_value() && !conditional) {
            code = Status(Code::kUnavailable, "timed out waiting for an ACK");
            break;
          }
          if (!ack->has_value()) {
            code =
                std::string(message.accept_ack == AcceptAck::kOnError ? "no-ack-ER" : "no-ack-SU");
            break;
          }
          if (message.x12) {
            code = x12_code(**ack);
            break;
          }
          // A late ACK of an earlier message (its conditional wait ran out): skip it.
          const std::string answered = acknowledged_id(**ack);
          if (!answered.empty() && control_id != "-" && answered != control_id) continue;
          code = hl7::ack_code_of(**ack);
          break;
        }
      }
      if (!sent_ok.is_ok() || !code.is_ok()) {
        err << "hearth send: " << file << "#" << index + 1 << ": "
            << (sent_ok.is_ok() ? code.status().message() : sent_ok.message()) << "\n";
        return 3;
      }
      if (code->empty()) *code = "?";
      out << file << "#" << ++index << " " << (control_id.empty() ? "-" : control_id) << " "
          << *code << "\n";
      ++codes[*code];
      ++sent;
      // ER's silence means accepted; SU's means it was not.
      all_accepted = all_accepted && (*code == "AA" || *code == "CA" || *code == "A" ||
                                      *code == "no-ack-requested" || *code == "no-ack-ER");
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << "sent " << sent << " message(s) from " << files.size() << " file(s) in " << seconds
      << " s (" << (seconds > 0 ? static_cast<long long>(sent / seconds) : 0) << "/s):";
  for (const auto& [code, count] : codes) out << " " << count << " " << code;
  out << "\n";
  out.flush();
  return all_accepted ? 0 : 1;
}

}  // namespace hearth::server
