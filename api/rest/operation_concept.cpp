// Finding an operation's concept; see operation_concept.h.
#include "api/rest/operation_concept.h"

#include <string>

namespace hearth::api {

Result<ConceptRef> find_operation_concept(StoredTerminology& source, const OperationParams& params,
                                          std::string_view system_key, std::string_view code_key,
                                          std::string_view coding_key) {
  const std::string* system = params.get(system_key);
  const std::string* code = params.get(code_key);
  if (system == nullptr || code == nullptr) {
    system = params.get(std::string(coding_key) + ".system");
    code = params.get(std::string(coding_key) + ".code");
  }
  if (system == nullptr || code == nullptr) {
    return Status(Code::kInvalidArgument, "the operation needs " + std::string(system_key) +
                                              " and " + std::string(code_key) + ", or " +
                                              std::string(coding_key));
  }
  const fhir::terminology::CodeSystem* cs = source.code_system(*system);
  if (cs == nullptr) {
    return Status(Code::kNotFound,
                  source.compile_problem().empty()
                      ? std::string("the code system is neither stored nor built in")
                      : "the stored code system cannot be used: " + source.compile_problem(),
                  std::string(system_key), "not-found");
  }
  const fhir::terminology::Concept* c = fhir::terminology::find_concept(*cs, *code);
  if (c == nullptr) {
    return Status(Code::kInvalidArgument,
                  "the code is not in the code system " + std::string(cs->url),
                  std::string(code_key), "code-invalid");
  }
  return std::pair{cs, c};
}

}  // namespace hearth::api
