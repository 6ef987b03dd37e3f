// GET [base]/Claim/[id]/$x12 and GET [base]/CoverageEligibilityRequest/[id]/$x12: a stored
// resource and the resources it references rendered as an outbound X12 interchange, an 837P
// (hl7/to_fhir/x12_claim_writer.h) or a 270 (hl7/to_fhir/x12_eligibility_writer.h), answered as
// application/edi-x12. The writers ask for the references they follow (the patient, provider,
// insurer, coverage and its subscriber, the rendering practitioner); each is read from the store
// and held to the token's grant as a read is, at most kMaxReads of them. The envelope: ISA06
// "HEARTH", ISA08 the payer id, ISA13 nine digits of a fresh id, the clock's date and time.
// Errors: kNotFound / kGone for the resource asked for; kInvalidArgument for a parameter other
// than _format / _pretty (which shape only an error's OperationOutcome) and for a resource that
// cannot make the interchange (the writer's message names the element); a referenced resource
// the grant does not reach is that read's kForbidden.
#include <map>
#include <memory>

#include "api/rest/interactions.h"
#include "api/rest/reachable_read.h"
#include "core/time_format.h"
#include "fhir/json.h"
#include "hl7/to_fhir/x12_claim_writer.h"
#include "hl7/to_fhir/x12_eligibility_writer.h"

namespace hearth::api {
namespace {

constexpr std::string_view kX12MediaType = "application/edi-x12";
constexpr std::size_t kMaxReads = 16;

// The references a writer follows, read once each; the first failure other than "not there"
// is kept, so that a reference the grant does not reach answers 403, not the writer's 400.
class StoreResolver {
 public:
  explicit StoreResolver(const InteractionContext& ctx) : ctx_(ctx) {}

  const fhir::JsonValue* operator()(std::string_view reference) {
    const auto found = read_.find(reference);
    if (found != read_.end()) return found->second.get();
    if (read_.size() >= kMaxReads) return nullptr;
    std::unique_ptr<fhir::JsonDocument>& slot = read_[std::string(reference)];
    const auto [type, id] = type_and_id(reference);
    if (type.empty() || id.empty()) return nullptr;
    Result<std::string> body = read_reachable(ctx_, type, id);
    if (!body.is_ok()) {
      const Code code = body.status().code();
      if (code != Code::kNotFound && code != Code::kGone && failure_.is_ok()) {
        failure_ = body.status();
      }
      return nullptr;
    }
    Result<fhir::JsonDocument> doc = fhir::parse_json(*body);
    if (!doc.is_ok()) return nullptr;
    slot = std::make_unique<fhir::JsonDocument>(std::move(doc).value());
    return slot.get();
  }

  const Status& failure() const { return failure_; }

 private:
  const InteractionContext& ctx_;
  std::map<std::string, std::unique_ptr<fhir::JsonDocument>, std::less<>> read_;
  Status failure_ = Status::ok();
};

// ISA13: the last hex digits of a fresh id (a UUIDv7's counter and random part), as 9 decimal
// digits; GS04/GS05 from the clock.
hl7::to_fhir::X12Envelope envelope_of(const InteractionContext& ctx) {
  std::uint64_t number = 0;
  for (char c : ctx.ids.next_id()) {
    const char lower = static_cast<char>(c | 0x20);
    if (c >= '0' && c <= '9') {
      number = (number * 16 + static_cast<std::uint64_t>(c - '0')) % 1'000'000'000'000;
    } else if (lower >= 'a' && lower <= 'f') {
      number = (number * 16 + static_cast<std::uint64_t>(lower - 'a' + 10)) % 1'000'000'000'000;
    }
  }
  std::string control = std::to_string(number % 1'000'000'000);
  control.insert(0, 9 - control.size(), '0');
  const std::string instant = format_instant(ctx.clock.now_micros());  // 2026-11-23T18:15:20...Z
  hl7::to_fhir::X12Envelope envelope;
  envelope.control_number = std::move(control);
  envelope.date = instant.substr(0, 4) + instant.substr(5, 2) + instant.substr(8, 2);
  envelope.time = instant.substr(11, 2) + instant.substr(14, 2);
  return envelope;
}

}  // namespace

Result<Response> x12_operation(const InteractionContext& ctx) {
  for (const auto& [name, value] : ctx.request.query) {
    if (name != "_format" && name != "_pretty") {
      return Status(Code::kInvalidArgument,
                    "$x12 does not support the parameter '" + name + "' (it takes none)", name);
    }
  }
  HEARTH_ASSIGN_OR_RETURN(std::string body, read_reachable(ctx, ctx.route.type, ctx.route.id));
  HEARTH_ASSIGN_OR_RETURN(fhir::JsonDocument resource, fhir::parse_json(body));
  StoreResolver resolver(ctx);
  const hl7::to_fhir::FhirResolver resolve = [&resolver](std::string_view reference) {
    return resolver(reference);
  };
  const hl7::to_fhir::X12Envelope envelope = envelope_of(ctx);
  Result<std::string> written = ctx.route.type == "Claim"
                                    ? hl7::to_fhir::write_837p(resource, resolve, envelope)
                                    : hl7::to_fhir::write_270(resource, resolve, envelope);
  if (!written.is_ok()) {
    if (!resolver.failure().is_ok()) return resolver.failure();
    return written.status();
  }
  Response response;
  response.status = 200;
  response.content_type = std::string(kX12MediaType);
  response.body = std::move(written).value();
  return response;
}

}  // namespace hearth::api
