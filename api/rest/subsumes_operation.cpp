// CodeSystem/$subsumes (https://hl7.org/fhir/R4/codesystem-operation-subsumes.html) over the
// CodeSystems stored in Hearth and the built-in ones (terminology_source.h): `system`, `codeA` and
// `codeB` (or `codingA` and `codingB` of one system) in, a Parameters with `outcome` (equivalent,
// subsumes, subsumed-by, not-subsumed) out, from the concepts' nesting in the CodeSystem
// (fhir/terminology/code_system.h).
#include "api/rest/interactions.h"
#include "api/rest/operation_concept.h"
#include "api/rest/operation_parameters.h"
#include "api/rest/terminology_source.h"
#include "fhir/terminology/code_system.h"

namespace hearth::api {

Result<Response> subsumes_operation(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(OperationParams params, read_operation_params(ctx));
  // A coding's system stands for `system` when only codings are given.
  if (params.get("system") == nullptr) {
    if (const std::string* s = params.get("codingA.system")) params.add("system", *s);
  }
  if (params.get("codeA") == nullptr && params.get("codingA.code") != nullptr) {
    params.add("codeA", *params.get("codingA.code"));
  }
  if (params.get("codeB") == nullptr && params.get("codingB.code") != nullptr) {
    if (const std::string* s = params.get("codingB.system");
        s != nullptr && params.get("system") && *s != *params.get("system")) {
      return Status(Code::kInvalidArgument, "codingA and codingB must be of the same system",
                    "codingB");
    }
    params.add("codeB", *params.get("codingB.code"));
  }
  StoredTerminology source(ctx.reader);
  HEARTH_ASSIGN_OR_RETURN(auto a,
                          find_operation_concept(source, params, "system", "codeA", "codingA"));
  HEARTH_ASSIGN_OR_RETURN(auto b,
                          find_operation_concept(source, params, "system", "codeB", "codingB"));
  ParametersWriter out;
  out.add_code("outcome", fhir::terminology::subsumption_code(
                              fhir::terminology::subsumes(*a.first, *a.second, *b.second)));
  return out.finish(ctx.format);
}

}  // namespace hearth::api
