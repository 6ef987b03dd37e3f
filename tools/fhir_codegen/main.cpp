// fhir_codegen PACKAGE_DIR OUT_DIR: reads the official R4 package and writes the model tables
// (OUT_DIR/model_tables.gen.cpp) and the expanded required value sets
// (OUT_DIR/value_set_tables.gen.cpp), the invariants (OUT_DIR/constraint_tables.gen.cpp) and
// the code systems, value sets and concept maps (OUT_DIR/terminology_tables.gen.cpp) and the
// shipped profiles (OUT_DIR/profile_tables.gen.cpp). Exit status 0
// on success, 1 on a package problem, 2 on usage.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tools/fhir_codegen/constraint_writer.h"
#include "tools/fhir_codegen/cpp_writer.h"
#include "tools/fhir_codegen/model_builder.h"
#include "tools/fhir_codegen/package_reader.h"
#include "tools/fhir_codegen/profile_writer.h"
#include "tools/fhir_codegen/terminology_writer.h"
#include "tools/fhir_codegen/value_set_writer.h"

namespace {

// Writes `text` to dir/name through a temporary file, so a reader never sees half a file.
bool write_file(const std::filesystem::path& dir, const std::string& name,
                const std::string& text) {
  std::filesystem::path tmp = dir / (name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::cerr << "fhir_codegen: cannot write " << tmp << "\n";
      return false;
    }
  }
  std::filesystem::rename(tmp, dir / name);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fhir_codegen PACKAGE_DIR OUT_DIR\n";
    return 2;
  }
  namespace hc = hearth::codegen;
  hearth::Result<hc::Package> package = hc::read_package(argv[1]);
  if (!package) {
    std::cerr << "fhir_codegen: " << package.status().message() << "\n";
    return 1;
  }
  const std::string source = "hl7.fhir.r4 4.0.1 (package/*.json)";
  const std::string terminology = hc::write_terminology_tables(*package, source);
  hearth::Result<std::string> profiles = hc::write_profile_tables(argv[1], source);
  if (!profiles) {
    std::cerr << "fhir_codegen: " << profiles.status().message() << "\n";
    return 1;
  }
  hearth::Result<hc::Tables> tables = hc::build_tables(std::move(*package));
  if (!tables) {
    std::cerr << "fhir_codegen: " << tables.status().message() << "\n";
    return 1;
  }
  std::filesystem::path out_dir(argv[2]);
  std::filesystem::create_directories(out_dir);
  if (!write_file(out_dir, "model_tables.gen.cpp", hc::write_model_tables(*tables, source)) ||
      !write_file(out_dir, "value_set_tables.gen.cpp",
                  hc::write_value_set_tables(tables->value_sets, source)) ||
      !write_file(out_dir, "constraint_tables.gen.cpp",
                  hc::write_constraint_tables(*tables, source)) ||
      !write_file(out_dir, "terminology_tables.gen.cpp", terminology) ||
      !write_file(out_dir, "profile_tables.gen.cpp", *profiles)) {
    return 1;
  }
  std::size_t codes = 0, unknown = 0;
  for (const hc::ExpandedValueSet& vs : tables->value_sets) {
    codes += vs.codes.size();
    unknown += vs.unknown_systems.empty() ? 0 : 1;
  }
  std::printf(
      "fhir_codegen: %zu types (%zu resources), %zu search parameters, %zu compartment rows, "
      "%zu required value sets (%zu codes; %zu with codes of unknown systems)\n",
      tables->types.size(), tables->resource_types.size(), tables->search_params.size(),
      tables->compartments.size(), tables->value_sets.size(), codes, unknown);
  return 0;
}
