// ACK construction. The received header is read as a plain field list so that the same code
// serves parsed messages and the best-effort reading of unparsable ones.
#include "hl7/ack.h"

#include <array>

#include "hl7/escape.h"
#include "hl7/piece.h"
#include "hl7/writer.h"

namespace hearth::hl7 {
namespace {

// The MSH fields an ACK needs (raw, in the received delimiters).
struct HeaderFields {
  Delimiters delimiters;
  std::string_view sending_app, sending_facility, receiving_app, receiving_facility;
  std::string_view trigger, control_id, processing_id, version, accept_ack, app_ack, charset;
};

HeaderFields header_of(const Message& m) {
  HeaderFields h;
  h.delimiters = m.delimiters();
  h.sending_app = m.field(0, 3).raw;
  h.sending_facility = m.field(0, 4).raw;
  h.receiving_app = m.field(0, 5).raw;
  h.receiving_facility = m.field(0, 6).raw;
  h.trigger = m.trigger_event();
  h.control_id = m.control_id();
  h.processing_id = m.field(0, 11).raw;
  h.version = m.version();
  h.accept_ack = m.field(0, 15).raw;
  h.app_ack = m.field(0, 16).raw;
  h.charset = m.field(0, 18).raw;
  return h;
}

// Version ordering on the first two numbers is enough to tell pre-2.5 from 2.5+.
bool at_least_2_5(std::string_view version) {
  if (version.size() < 3 || version[0] != '2' || version[1] != '.') return true;
  int minor = 0;
  for (std::size_t i = 2; i < version.size() && version[i] >= '0' && version[i] <= '9'; ++i) {
    minor = minor * 10 + (version[i] - '0');
  }
  return minor >= 5;
}

bool at_least_2_3_1(std::string_view version) {
  return at_least_2_5(version) || version == "2.3.1" || version == "2.4";
}

std::string number(int n) {
  return n > 0 ? std::to_string(n) : std::string();
}

char severity_code(AckSeverity s) {
  switch (s) {
    case AckSeverity::kError: return 'E';
    case AckSeverity::kWarning: return 'W';
    case AckSeverity::kInformation: return 'I';
  }
  return 'E';
}

std::string build(const HeaderFields& h, AckCode code, const std::vector<AckError>& errors,
                  const AckOptions& options) {
  const Delimiters& d = h.delimiters;
  const char c = d.component;
  MessageBuilder b(d);
  b.segment("MSH")
      .raw_field(h.receiving_app)
      .raw_field(h.receiving_facility)
      .raw_field(h.sending_app)
      .raw_field(h.sending_facility)
      .field(options.timestamp)
      .skip();
  std::string type = "ACK";
  if (!h.trigger.empty()) {
    type += c;
    type += h.trigger;
    if (at_least_2_3_1(h.version)) type += std::string(1, c) + "ACK";
  }
  b.raw_field(type).field(options.control_id).raw_field(h.processing_id).raw_field(h.version);
  if (!h.charset.empty()) b.skip(5).raw_field(h.charset);
  b.segment("MSA").field(ack_code_text(code)).raw_field(h.control_id);
  const bool modern = at_least_2_5(h.version);
  if (!modern && !errors.empty()) b.field(errors.front().diagnostics);
  for (const AckError& e : errors) {
    const ErrorLocation& l = e.location;
    std::string code_cwe = std::to_string(static_cast<int>(e.code)) + c +
                           encode_value(error_code_text(e.code), d) + c + "HL70357";
    b.segment("ERR");
    if (modern) {
      std::string location = encode_value(l.segment_id, d) + c + number(l.segment_sequence) + c +
                             number(l.field) + c + number(l.repetition) + c + number(l.component) +
                             c + number(l.subcomponent);
      while (!location.empty() && location.back() == c) location.pop_back();
      b.skip().raw_field(location).raw_field(code_cwe).field(
          std::string(1, severity_code(e.severity)));
      b.skip(2).field(e.diagnostics);
    } else {
      // ELD: segment ^ sequence ^ field position ^ code (CE, as subcomponents).
      std::string code_ce = std::to_string(static_cast<int>(e.code)) + d.subcomponent +
                            encode_value(error_code_text(e.code), d) + d.subcomponent + "HL70357";
      b.raw_field(encode_value(l.segment_id, d) + c + number(l.segment_sequence) + c +
                  number(l.field) + c + code_ce);
    }
  }
  return b.finish();
}

bool enhanced(std::string_view accept_ack, std::string_view app_ack) {
  return !accept_ack.empty() || !app_ack.empty();
}

AckCode to_enhanced(AckCode outcome) {
  switch (outcome) {
    case AckCode::kAA: return AckCode::kCA;
    case AckCode::kAE: return AckCode::kCE;
    case AckCode::kAR: return AckCode::kCR;
    default: return outcome;
  }
}

}  // namespace

std::string_view ack_code_text(AckCode code) {
  static constexpr std::array<std::string_view, 6> kText = {"AA", "AE", "AR", "CA", "CE", "CR"};
  return kText[static_cast<std::size_t>(code)];
}

AckMode ack_mode(const Message& message) {
  return enhanced(message.field(0, 15).raw, message.field(0, 16).raw) ? AckMode::kEnhanced
                                                                      : AckMode::kOriginal;
}

std::optional<AckCode> ack_code_for(const Message& message, AckCode outcome) {
  if (ack_mode(message) == AckMode::kOriginal) return outcome;
  std::string_view rule = message.field(0, 15).raw;
  const bool success = outcome == AckCode::kAA || outcome == AckCode::kCA;
  if (rule == "NE") return std::nullopt;
  if (rule == "ER" && success) return std::nullopt;
  if (rule == "SU" && !success) return std::nullopt;
  return to_enhanced(outcome);
}

std::string build_ack(const Message& message, AckCode code, const std::vector<AckError>& errors,
                      const AckOptions& options) {
  return build(header_of(message), code, errors, options);
}

std::string build_reject_ack(std::string_view raw, const ParseError& error,
                             const AckOptions& options) {
  HeaderFields h;
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
  while (!raw.empty() && (raw.front() == '\r' || raw.front() == '\n')) raw.remove_prefix(1);
  std::string_view first_line = raw.substr(0, std::min(raw.find_first_of("\r\n"), raw.size()));
  Delimiters d;
  if (first_line.substr(0, 3) == "MSH" && parse_delimiters(first_line, &d, nullptr)) {
    h.delimiters = d;
    auto msh = [&](int n) {
      // MSH-n is piece n-1 when the line is split at the field separator.
      return detail::nth_piece(first_line, d.field, static_cast<std::size_t>(n - 1)).value_or("");
    };
    h.sending_app = msh(3);
    h.sending_facility = msh(4);
    h.receiving_app = msh(5);
    h.receiving_facility = msh(6);
    h.trigger = detail::nth_piece(msh(9), d.component, 1).value_or("");
    h.control_id = msh(10);
    h.processing_id = msh(11);
    h.version = detail::nth_piece(msh(12), d.component, 0).value_or("");
    h.accept_ack = msh(15);
    h.app_ack = msh(16);
    h.charset = msh(18);
  }
  if (!is_supported_version(h.version)) h.version = options.default_version;
  AckError err{error.code, error.location, AckSeverity::kError, error.message};
  AckCode code = enhanced(h.accept_ack, h.app_ack) ? AckCode::kCR : AckCode::kAR;
  return build(h, code, {err}, options);
}

}  // namespace hearth::hl7
