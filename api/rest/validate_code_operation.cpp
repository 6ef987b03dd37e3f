// ValueSet/$validate-code (https://hl7.org/fhir/R4/valueset-operation-validate-code.html) and
// CodeSystem/$validate-code (codesystem-operation-validate-code.html) over what Hearth holds:
// the CodeSystems and ValueSets stored in it and the built-in ones (terminology_source.h). A
// ValueSet `url` is looked up first among the required bindings' value sets (fhir/value_set.h:
// they know which systems Hearth cannot expand), then among the stored value sets and every value
// set of the package, expanded (cached); a CodeSystem `url` among the stored and built-in code
// systems. `url`, `code` and `system` (or a `coding`) come from the query string or a
// Parameters body; the answer is a Parameters with `result`, `message` and, for a known
// concept, `display`. Only text Hearth holds is echoed (the client's may not be valid UTF-8).
#include <string>

#include "api/rest/interactions.h"
#include "api/rest/operation_parameters.h"
#include "api/rest/terminology_source.h"
#include "fhir/terminology/code_system.h"
#include "fhir/terminology/expansion.h"
#include "fhir/value_set.h"

namespace hearth::api {
namespace {

struct CodeQuery {
  std::string url, system, code;
};

Result<CodeQuery> code_query(const OperationParams& params) {
  CodeQuery q;
  for (auto [name, field] :
       {std::pair{"url", &q.url}, std::pair{"code", &q.code}, std::pair{"system", &q.system}}) {
    if (const std::string* v = params.get(name)) *field = *v;
  }
  if (q.code.empty()) {
    if (const std::string* v = params.get("coding.code")) q.code = *v;
    if (const std::string* v = params.get("coding.system")) q.system = *v;
  }
  if (q.url.empty() || q.code.empty()) {
    return Status(Code::kInvalidArgument, "$validate-code needs url and code (or coding)");
  }
  return q;
}

// The display of (system, code) when Hearth holds the system, else "".
std::string_view display_of(StoredTerminology& source, std::string_view system,
                            std::string_view code) {
  const fhir::terminology::CodeSystem* cs = source.code_system(system);
  const fhir::terminology::Concept* c =
      cs == nullptr ? nullptr : fhir::terminology::find_concept(*cs, code);
  return c == nullptr ? std::string_view() : fhir::terminology::display_of(*cs, *c);
}

Response answer(const InteractionContext& ctx, bool result, const std::string& message,
                std::string_view display) {
  ParametersWriter out;
  out.add_bool("result", result);
  out.add_string("message", message);
  if (result && !display.empty()) out.add_string("display", display);
  return out.finish(ctx.format);
}

Result<Response> validate_in_code_system(const InteractionContext& ctx, const CodeQuery& q) {
  StoredTerminology source(ctx.reader);
  const fhir::terminology::CodeSystem* cs = source.code_system(q.url);
  if (cs == nullptr) {
    return Status(Code::kNotFound,
                  source.compile_problem().empty()
                      ? std::string("the code system is neither stored nor built in")
                      : "the stored code system cannot be used: " + source.compile_problem(),
                  "url", "not-found");
  }
  const fhir::terminology::Concept* c = fhir::terminology::find_concept(*cs, q.code);
  std::string url(cs->url);
  return answer(ctx, c != nullptr,
                c != nullptr ? "the code is in " + url : "the code is not in " + url,
                c != nullptr ? fhir::terminology::display_of(*cs, *c) : std::string_view());
}

Result<Response> validate_in_value_set(const InteractionContext& ctx, const CodeQuery& q) {
  StoredTerminology source(ctx.reader);
  if (const fhir::ValueSetDef* vs = fhir::find_value_set(q.url)) {
    fhir::Membership m = fhir::check_code(*vs, q.system, q.code);
    std::string url(vs->url);
    std::string message = m == fhir::Membership::kMember      ? "the code is in " + url
                          : m == fhir::Membership::kNotMember ? "the code is not in " + url
                                                              : "the code is of a code system "
                                                                "Hearth cannot expand, in " +
                                                                    url;
    bool member = m == fhir::Membership::kMember;
    return answer(ctx, member, message, member ? display_of(source, q.system, q.code) : "");
  }
  HEARTH_ASSIGN_OR_RETURN(auto expansion, source.expansion(q.url));
  const std::string url(expansion->compose.url.empty() ? std::string_view(q.url)
                                                       : expansion->compose.url);
  for (const fhir::terminology::ExpansionItem& item : expansion->items) {
    if (item.code == q.code && (q.system.empty() || item.system == q.system)) {
      return answer(ctx, true, "the code is in " + url, item.display);
    }
  }
  return answer(ctx, false, "the code is not in " + url, {});
}

}  // namespace

Result<Response> validate_code_operation(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(OperationParams params, read_operation_params(ctx));
  HEARTH_ASSIGN_OR_RETURN(CodeQuery q, code_query(params));
  if (ctx.route.type == "CodeSystem") return validate_in_code_system(ctx, q);
  return validate_in_value_set(ctx, q);
}

}  // namespace hearth::api
