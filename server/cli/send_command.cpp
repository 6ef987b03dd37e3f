// Files -> messages (hl7::Batch splits them; a file that does not parse is sent whole, so the
// server's AR says why) -> one MLLP exchange each. An X12 file (opening with ISA) is sent whole
// as one frame; its TA1/999 answer is printed as A, P or R (acknowledgment_verdict).
#include "server/cli/send_command.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <ostream>

#include "hl7/v2/ack.h"
#include "hl7/v2/message.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "server/cli/message_files.h"
#include "server/cli/mllp_client.h"

namespace hearth::server {
namespace {

// MSH-15, the accept acknowledgment the sender asks for (table 0155); empty = AL.
enum class AcceptAck { kAlways, kNever, kOnError, kOnSuccess };

AcceptAck accept_ack_of(std::string_view msh15) {
  if (msh15 == "NE") return AcceptAck::kNever;
  if (msh15 == "ER") return AcceptAck::kOnError;
  if (msh15 == "SU") return AcceptAck::kOnSuccess;
  return AcceptAck::kAlways;
}

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

}  // namespace

int run_send(const SendOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  if (!collect_files(options.paths, "hearth send", files, err)) return 2;
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
    for (const FileMessage& message : split_messages(read_file(file))) {
      const AcceptAck accept_ack = message.x12 ? AcceptAck::kAlways : accept_ack_of(message.msh15);
      const std::string& control_id = message.control_id;
      Status sent_ok = (*client)->send(message.text);
      // The ACK code, or what the silence of a conditional ACK means.
      Result<std::string> code = std::string("no-ack-requested");
      if (sent_ok.is_ok() && accept_ack != AcceptAck::kNever) {
        const bool conditional = accept_ack != AcceptAck::kAlways;
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
            code = std::string(accept_ack == AcceptAck::kOnError ? "no-ack-ER" : "no-ack-SU");
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
