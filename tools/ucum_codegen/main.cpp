// ucum_codegen UCUM_DEFS_JSON OUT_FILE: reads the UCUM definitions that @lhncbc/ucum-lhc ships
// (data/ucumDefs.min.json: the UCUM essence's prefixes and units, each unit with its magnitude in
// base units and its dimension vector, plus LOINC's common combinations) and writes the tables of
// fhir/search/ucum.h (OUT_FILE). Kept: every unit that converts by a factor, that is not special
// (an offset or a logarithm: Cel, [degF], [pH], dB ...) nor arbitrary (no conversion between two
// kinds of [IU]), with a dimension. A unit's amounts of substance (mol, eq) are counted apart
// from its magnitude (divided out by the magnitude of `mol`), so mmol/L and 10*3/uL never meet.
// Exit status 0 on success, 1 on a problem with the data or the output, 2 on usage.
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Unit {
  std::string code;
  double magnitude = 0;
  int dims[7] = {};
  int mole = 0;
  int equivalent = 0;
  bool metric = false;
};

// The index of `name` in the table's "config" row (a column name, or the first of a pair).
int column(const rapidjson::Value& config, const char* name) {
  for (rapidjson::SizeType i = 0; i < config.Size(); ++i) {
    const rapidjson::Value& c = config[i];
    if (c.IsString() && std::string(c.GetString()) == name) return static_cast<int>(i);
    if (c.IsArray() && c.Size() == 2 && c[1].IsString() && std::string(c[1].GetString()) == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"sv";
}

std::string number(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

bool fail(const std::string& message) {
  std::cerr << "ucum_codegen: " << message << "\n";
  return false;
}

bool generate(const rapidjson::Document& doc, std::ostringstream& out, std::size_t& units_kept,
              std::size_t& prefixes_kept) {
  if (!doc.IsObject() || !doc.HasMember("prefixes") || !doc.HasMember("units")) {
    return fail("no prefixes or units");
  }
  const rapidjson::Value& prefixes = doc["prefixes"];
  const rapidjson::Value& units = doc["units"];
  const int p_code = column(prefixes["config"], "code_");
  const int p_value = column(prefixes["config"], "value_");
  const rapidjson::Value& uc = units["config"];
  const int u_base = column(uc, "isBase_"), u_code = column(uc, "csCode_"),
            u_magnitude = column(uc, "magnitude_"), u_dims = column(uc, "dimVec_"),
            u_metric = column(uc, "isMetric_"), u_special = column(uc, "isSpecial_"),
            u_arbitrary = column(uc, "isArbitrary_"), u_mole = column(uc, "moleExp_"),
            u_equivalent = column(uc, "equivalentExp_");
  for (int c : {p_code, p_value, u_base, u_code, u_magnitude, u_dims, u_metric, u_special,
                u_arbitrary, u_mole, u_equivalent}) {
    if (c < 0) return fail("a column the generator reads is missing from the config rows");
  }
  std::vector<std::pair<std::string, double>> prefix_rows;
  for (const rapidjson::Value& row : prefixes["data"].GetArray()) {
    if (!row[p_code].IsString() || !row[p_value].IsNumber()) return fail("bad prefix row");
    prefix_rows.emplace_back(row[p_code].GetString(), row[p_value].GetDouble());
  }
  std::vector<Unit> kept;
  std::string base_symbols[7];
  double mol = 0;
  for (const rapidjson::Value& row : units["data"].GetArray()) {
    if (!row[u_code].IsString()) return fail("unit without a code");
    const std::string code = row[u_code].GetString();
    const rapidjson::Value& dims = row[u_dims];
    if (code == "mol" && row[u_magnitude].IsNumber()) mol = row[u_magnitude].GetDouble();
    if (row[u_base].IsTrue()) {
      for (rapidjson::SizeType i = 0; dims.IsArray() && i < dims.Size() && i < 7; ++i) {
        if (dims[i].IsInt() && dims[i].GetInt() == 1) base_symbols[i] = code;
      }
    }
    if (row[u_special].IsTrue() || row[u_arbitrary].IsTrue()) continue;
    if (!dims.IsArray() || dims.Size() != 7 || !row[u_magnitude].IsNumber()) continue;
    if (!std::all_of(dims.Begin(), dims.End(),
                     [](const rapidjson::Value& d) { return d.IsInt(); })) {
      continue;
    }
    Unit u;
    u.code = code;
    u.magnitude = row[u_magnitude].GetDouble();
    if (!(u.magnitude > 0) || !std::isfinite(u.magnitude)) continue;
    for (rapidjson::SizeType i = 0; i < 7; ++i) u.dims[i] = dims[i].GetInt();
    u.mole = row[u_mole].IsInt() ? row[u_mole].GetInt() : 0;
    u.equivalent = row[u_equivalent].IsInt() ? row[u_equivalent].GetInt() : 0;
    // UCUM's base units are metric (they take prefixes), though the data marks only derived ones.
    u.metric = row[u_metric].IsTrue() || row[u_base].IsTrue();
    kept.push_back(u);
  }
  if (!(mol > 0)) return fail("no magnitude for mol");
  for (const std::string& s : base_symbols) {
    if (s.empty()) return fail("a dimension without its base unit");
  }
  for (Unit& u : kept) u.magnitude /= std::pow(mol, u.mole + u.equivalent);
  std::sort(kept.begin(), kept.end(), [](const Unit& a, const Unit& b) { return a.code < b.code; });
  kept.erase(std::unique(kept.begin(), kept.end(),
                         [](const Unit& a, const Unit& b) { return a.code == b.code; }),
             kept.end());
  // Longest first: "da" is tried before "d".
  std::stable_sort(prefix_rows.begin(), prefix_rows.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });

  out << "// Generated by tools/ucum_codegen from @lhncbc/ucum-lhc's data/ucumDefs.min.json (the\n"
         "// UCUM essence's units). Do not edit.\n"
         "#include \"fhir/search/ucum_tables.h\"\n\n"
         "namespace hearth::fhir::search::detail {\n\n"
         "using namespace std::string_view_literals;\n\n";
  out << "const std::array<std::string_view, 7> kUcumBaseUnits = {";
  for (int i = 0; i < 7; ++i) out << (i ? ", " : "") << quoted(base_symbols[i]);
  out << "};\n\n";
  out << "const std::array<UcumPrefix, " << prefix_rows.size() << "> kUcumPrefixList = {{\n";
  for (const auto& [code, value] : prefix_rows) {
    out << "    {" << quoted(code) << ", " << number(value) << "},\n";
  }
  out << "}};\n\n";
  out << "const std::array<UcumUnit, " << kept.size() << "> kUcumUnitList = {{\n";
  for (const Unit& u : kept) {
    out << "    {" << quoted(u.code) << ", " << number(u.magnitude) << ", {";
    for (int i = 0; i < 7; ++i) out << (i ? ", " : "") << u.dims[i];
    out << "}, " << u.mole << ", " << u.equivalent << ", " << (u.metric ? "true" : "false")
        << "},\n";
  }
  out << "}};\n\n";
  out << "std::span<const UcumPrefix> ucum_prefixes() { return kUcumPrefixList; }\n"
         "std::span<const UcumUnit> ucum_units() { return kUcumUnitList; }\n"
         "std::span<const std::string_view, 7> ucum_base_units() { return kUcumBaseUnits; }\n\n"
         "}  // namespace hearth::fhir::search::detail\n";
  units_kept = kept.size();
  prefixes_kept = prefix_rows.size();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ucum_codegen UCUM_DEFS_JSON OUT_FILE\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::cerr << "ucum_codegen: cannot read " << argv[1] << "\n";
    return 1;
  }
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  if (doc.HasParseError()) {
    std::cerr << "ucum_codegen: " << argv[1] << " is not JSON\n";
    return 1;
  }
  std::ostringstream out;
  std::size_t units = 0, prefixes = 0;
  if (!generate(doc, out, units, prefixes)) return 1;
  const std::filesystem::path out_file(argv[2]);
  std::filesystem::create_directories(out_file.parent_path());
  const std::filesystem::path tmp = out_file.string() + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file << out.str();
    if (!file) {
      std::cerr << "ucum_codegen: cannot write " << tmp << "\n";
      return 1;
    }
  }
  std::filesystem::rename(tmp, out_file);
  std::cerr << "ucum_codegen: " << units << " units, " << prefixes << " prefixes\n";
  return 0;
}
