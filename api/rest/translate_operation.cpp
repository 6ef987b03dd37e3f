// ConceptMap/$translate (https://hl7.org/fhir/R4/conceptmap-operation-translate.html) over the
// ConceptMaps stored in Hearth and those built in from the official package
// (terminology_source.h, fhir/terminology/concept_map.h): `system` and
// `code` (or a `coding`), optionally `url` (the map), `source`/`target` (value sets),
// `targetsystem` and `reverse`, in; a Parameters with `result`, `message` and one `match` per
// mapping (equivalence, concept, source) out.
#include "api/rest/interactions.h"
#include "api/rest/operation_parameters.h"
#include "api/rest/terminology_source.h"
#include "fhir/terminology/concept_map.h"

namespace hearth::api {

Result<Response> translate_operation(const InteractionContext& ctx) {
  namespace term = fhir::terminology;
  HEARTH_ASSIGN_OR_RETURN(OperationParams params, read_operation_params(ctx));
  term::TranslateQuery q;
  const std::string* system = params.get("system");
  const std::string* code = params.get("code");
  if (system == nullptr || code == nullptr) {
    system = params.get("coding.system");
    code = params.get("coding.code");
  }
  if (system == nullptr || code == nullptr) {
    return Status(Code::kInvalidArgument, "$translate needs system and code, or coding");
  }
  q.system = *system;
  q.code = *code;
  for (auto [name, field] :
       {std::pair{"url", &q.url}, std::pair{"source", &q.source}, std::pair{"target", &q.target},
        std::pair{"targetsystem", &q.target_system}}) {
    if (const std::string* v = params.get(name)) *field = *v;
  }
  if (const std::string* reverse = params.get("reverse")) {
    if (*reverse != "true" && *reverse != "false") {
      return Status(Code::kInvalidArgument, "reverse must be true or false", "reverse");
    }
    q.reverse = *reverse == "true";
  }
  StoredTerminology source(ctx.reader);
  std::vector<const term::ConceptMap*> maps = source.concept_maps(q.url, q.code, q.reverse);
  if (!q.url.empty() && maps.empty()) {
    return Status(Code::kNotFound, "the concept map is neither stored nor built in", "url",
                  "not-found");
  }
  std::vector<term::TranslateMatch> matches = term::translate(q, maps);
  bool result = false;
  for (const term::TranslateMatch& m : matches) {
    if (m.equivalence != "unmatched" && m.equivalence != "disjoint" && !m.code.empty()) {
      result = true;
    }
  }
  ParametersWriter out;
  out.add_bool("result", result);
  out.add_string("message", matches.empty() ? std::string("no concept map maps the code")
                            : result
                                ? "the code has " + std::to_string(matches.size()) + " mapping(s)"
                                : "the code is mapped as unmatched or disjoint only");
  for (const term::TranslateMatch& m : matches) {
    out.begin_part("match");
    if (!m.equivalence.empty()) out.add_code("equivalence", m.equivalence);
    if (!m.code.empty()) out.add_coding("concept", m.system, m.code, m.display);
    out.add_uri("source", m.map->url);
    out.end_part();
  }
  return out.finish(ctx.format);
}

}  // namespace hearth::api
