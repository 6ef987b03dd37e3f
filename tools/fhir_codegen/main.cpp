// fhir_codegen PACKAGE_DIR OUT_DIR: reads the official R4 package and writes the model tables
// (OUT_DIR/model_tables.gen.cpp). Exit status 0 on success, 1 on a package problem, 2 on usage.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tools/fhir_codegen/cpp_writer.h"
#include "tools/fhir_codegen/model_builder.h"
#include "tools/fhir_codegen/package_reader.h"

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
  hearth::Result<hc::Tables> tables = hc::build_tables(std::move(*package));
  if (!tables) {
    std::cerr << "fhir_codegen: " << tables.status().message() << "\n";
    return 1;
  }
  std::string text = hc::write_model_tables(*tables, "hl7.fhir.r4 4.0.1 (package/*.json)");
  std::filesystem::path out_dir(argv[2]);
  std::filesystem::create_directories(out_dir);
  std::filesystem::path out_file = out_dir / "model_tables.gen.cpp";
  std::filesystem::path tmp = out_dir / "model_tables.gen.cpp.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::cerr << "fhir_codegen: cannot write " << tmp << "\n";
      return 1;
    }
  }
  std::filesystem::rename(tmp, out_file);
  std::printf(
      "fhir_codegen: %zu types (%zu resources), %zu search parameters, %zu compartment rows\n",
      tables->types.size(), tables->resource_types.size(), tables->search_params.size(),
      tables->compartments.size());
  return 0;
}
