// htmlChecks() (https://hl7.org/fhir/R4/fhirpath.html#functions): whether a narrative's XHTML
// follows the rules of https://hl7.org/fhir/R4/narrative.html, as the invariants txt-1 and txt-2
// of Narrative.div require.
#pragma once

#include <string_view>

namespace hearth::fhir::fhirpath {

// True when `xhtml` is one well-formed `div` in the XHTML namespace that uses only the basic
// formatting elements narrative.html allows (HTML 4.0 chapters 7-11 except section 9.4, 15
// without its deprecated elements, plus `a` and `img`), carries no event attribute (`on...`) and
// no `javascript:` link, has no DOCTYPE, and holds some non-whitespace text or an image.
bool passes_html_checks(std::string_view xhtml);

}  // namespace hearth::fhir::fhirpath
