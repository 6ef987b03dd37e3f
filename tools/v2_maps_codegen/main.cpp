// v2_maps_codegen MAPPINGS_DIR OUT_FILE [OWN_MAPS_DIR]: reads the HL7 V2-to-FHIR IG's CSV maps
// (and Hearth's own, for messages the IG has no map for) and writes them as C++ tables
// (hl7/to_fhir/map_tables.h). Exit status 0 on success, 1 on a problem with
// the maps or the output, 2 on usage.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tools/v2_maps_codegen/map_reader.h"
#include "tools/v2_maps_codegen/table_writer.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: v2_maps_codegen MAPPINGS_DIR OUT_FILE [OWN_MAPS_DIR]\n";
    return 2;
  }
  namespace hc = hearth::codegen;
  hearth::Result<hc::V2Maps> maps = hc::read_v2_maps(argv[1], argc == 4 ? argv[3] : "");
  if (!maps) {
    std::cerr << "v2_maps_codegen: " << maps.status().message() << "\n";
    return 1;
  }
  const std::string text = hc::write_v2_map_tables(
      *maps, "hl7/to_fhir/maps/mappings (HL7 V2-to-FHIR IG, CSV) and hl7/to_fhir/maps/hearth");
  const std::filesystem::path out_file(argv[2]);
  std::filesystem::create_directories(out_file.parent_path());
  const std::filesystem::path tmp = out_file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::cerr << "v2_maps_codegen: cannot write " << tmp << "\n";
      return 1;
    }
  }
  std::filesystem::rename(tmp, out_file);
  std::cerr << "v2_maps_codegen: " << maps->segments.size() << " segment maps, "
            << maps->data_types.size() << " data type maps, " << maps->concepts.size()
            << " vocabulary maps, " << maps->messages.size() << " message maps\n";
  return 0;
}
