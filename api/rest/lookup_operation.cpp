// CodeSystem/$lookup (https://hl7.org/fhir/R4/codesystem-operation-lookup.html) over the
// CodeSystems stored in Hearth and those built in from the official package
// (terminology_source.h): `system` and
// `code` (or a `coding`) in, a Parameters out with name, version, display, and as properties
// the concept's parent and children, and whether it is abstract or inactive. Only text from the
// code system is echoed (the client's may not be valid UTF-8).
#include "api/rest/interactions.h"
#include "api/rest/operation_concept.h"
#include "api/rest/operation_parameters.h"
#include "api/rest/terminology_source.h"
#include "fhir/terminology/code_system.h"

namespace hearth::api {
namespace {

void add_property(ParametersWriter& out, std::string_view code, std::string_view value) {
  out.begin_part("property");
  out.add_code("code", code);
  out.add_code("value", value);
  out.end_part();
}

void add_flag(ParametersWriter& out, std::string_view code) {
  out.begin_part("property");
  out.add_code("code", code);
  out.add_bool("value", true);
  out.end_part();
}

}  // namespace

Result<Response> lookup_operation(const InteractionContext& ctx) {
  namespace term = fhir::terminology;
  HEARTH_ASSIGN_OR_RETURN(OperationParams params, read_operation_params(ctx));
  StoredTerminology source(ctx.reader);
  HEARTH_ASSIGN_OR_RETURN(auto found,
                          find_operation_concept(source, params, "system", "code", "coding"));
  const auto& [cs, c] = found;
  ParametersWriter out;
  out.add_string("name", cs->name.empty() ? cs->url : cs->name);
  if (!cs->version.empty()) out.add_string("version", cs->version);
  out.add_string("display", term::display_of(*cs, *c).empty() ? term::code_of(*cs, *c)
                                                              : term::display_of(*cs, *c));
  if (const term::Concept* parent = term::parent_of(*cs, *c)) {
    add_property(out, "parent", term::code_of(*cs, *parent));
  }
  for (const term::Concept* child : term::children_of(*cs, *c)) {
    add_property(out, "child", term::code_of(*cs, *child));
  }
  if ((c->flags & term::kConceptNotSelectable) != 0) add_flag(out, "notSelectable");
  if ((c->flags & term::kConceptInactive) != 0) add_flag(out, "inactive");
  return out.finish(ctx.format);
}

}  // namespace hearth::api
