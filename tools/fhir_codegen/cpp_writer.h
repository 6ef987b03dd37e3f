// Writes the built tables as C++ constant data (model_tables.gen.cpp) defining the arrays that
// fhir/model_tables.h declares. The text depends only on the tables, so re-running the
// generator on the same package gives a byte-identical file.
#pragma once

#include <string>
#include <string_view>

#include "tools/fhir_codegen/model_builder.h"

namespace hearth::codegen {

// `s` as a C++ string_view literal ("..."sv), escaped byte by byte.
std::string cpp_literal(std::string_view s);

// The full text of model_tables.gen.cpp; `source` names the package in the header line.
std::string write_model_tables(const Tables& tables, const std::string& source);

}  // namespace hearth::codegen
