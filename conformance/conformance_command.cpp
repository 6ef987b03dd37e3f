// The CLI of the conformance runner: file discovery, the engine loop, and the outputs.
#include "conformance/conformance_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "conformance/beast_transport.h"
#include "conformance/capability_suite.h"
#include "conformance/engine.h"
#include "conformance/json_util.h"
#include "conformance/junit.h"
#include "conformance/summary.h"
#include "conformance/test_report.h"

namespace hearth::conformance {
namespace {

namespace fs = std::filesystem;

struct ScriptFile {
  std::string path;
  bool explicit_file = false;
};

Result<std::vector<ScriptFile>> collect(const std::vector<std::string>& paths) {
  std::vector<ScriptFile> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::recursive_directory_iterator(p, ec)) {
        std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".json" || ext == ".xml"))
          found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      for (auto& f : found) out.push_back(ScriptFile{.path = std::move(f), .explicit_file = false});
    } else if (fs::is_regular_file(p, ec)) {
      out.push_back(ScriptFile{.path = p, .explicit_file = true});
    } else {
      return Status(Code::kNotFound, "no such file or directory: " + p);
    }
  }
  return out;
}

bool write_file(const fs::path& path, const std::string& text, std::ostream& err) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) {
    err << "cannot write " << path.string() << '\n';
    return false;
  }
  return true;
}

std::string report_name(const ScriptResult& r, std::map<std::string, int>& used) {
  std::string stem = !r.id.empty() ? r.id : fs::path(r.file).stem().string();
  for (auto& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') c = '_';
  }
  int n = used[stem]++;
  return stem + (n ? "-" + std::to_string(n + 1) : "") + ".testreport.json";
}

}  // namespace

CLI::App* add_conformance_command(CLI::App& app, CommandOptions& options) {
  CLI::App* conformance =
      app.add_subcommand("conformance", "Run FHIR TestScripts against a FHIR server");
  conformance->require_subcommand(1);
  CLI::App* run = conformance->add_subcommand(
      "run", "Run TestScript files or directories; print a summary, write TestReports");
  run->add_option("--server", options.server, "FHIR base URL, e.g. http://127.0.0.1:8080/fhir")
      ->required();
  run->add_option("--token", options.token, "Bearer token sent with every request");
  // One value per --var, so `--var A=1 script.json` leaves script.json a path.
  run->add_option("--var", options.vars, "NAME=VALUE overriding a TestScript variable (repeatable)")
      ->allow_extra_args(false);
  run->add_option("--out", options.out_dir, "Directory for the TestReports (and junit.xml)");
  run->add_option("--format", options.format, "text or junit")
      ->check(CLI::IsMember({"text", "junit"}))
      ->capture_default_str();
  run->add_option("--timeout", options.timeout_seconds, "Seconds per HTTP request")
      ->capture_default_str();
  run->add_option("--allow-fixture-path", options.fixture_roots,
                  "Also read fixture files below DIR (default: only below each script's folder)")
      ->allow_extra_args(false);
  run->add_option("paths", options.paths, "TestScript files (JSON or XML) or directories")
      ->required();
  CLI::App* capability = conformance->add_subcommand(
      "capability", "Generate a smoke TestScript from a server's CapabilityStatement (and run it)");
  capability->add_option("--server", options.server, "FHIR base URL")->required();
  capability->add_option("--token", options.token, "Bearer token sent with every request");
  capability->add_option("--out", options.suite_out, "File for the generated TestScript (JSON)");
  capability->add_flag("--run", options.run_suite, "Run the generated TestScript against --server");
  capability->add_option("--timeout", options.timeout_seconds, "Seconds per HTTP request")
      ->capture_default_str();
  capability->callback([&options] { options.capability = true; });
  return conformance;
}

int run_conformance_command(const CommandOptions& options, std::ostream& out, std::ostream& err) {
  auto transport = make_beast_transport(TransportOptions{
      .timeout =
          std::chrono::milliseconds(static_cast<std::int64_t>(options.timeout_seconds * 1000)),
      .max_body = 64u << 20});
  return run_conformance(options, *transport, out, err);
}

namespace {

int run_capability(const CommandOptions& options, HttpTransport& transport, std::ostream& out,
                   std::ostream& err) {
  auto statement = fetch_capability_statement(transport, options.server, options.token);
  if (!statement) {
    err << "cannot read the CapabilityStatement: " << statement.status().message() << '\n';
    return 1;
  }
  auto suite = smoke_suite(*statement);
  if (!suite) {
    err << "cannot use the CapabilityStatement: " << suite.status().message() << '\n';
    return 1;
  }
  bool to_stdout = options.suite_out.empty() && !options.run_suite;
  std::ostream& info = to_stdout ? err : out;
  info << "generated " << suite->tests << " test(s) over " << suite->resource_types
       << " resource type(s)";
  info << "; not probed: " << suite->skipped.size() << '\n';
  for (const auto& s : suite->skipped) info << "  SKIP  " << s << '\n';
  std::string text = fhir::write_json(suite->script, true) + "\n";
  if (to_stdout) out << text;
  if (!options.suite_out.empty()) {
    if (!write_file(options.suite_out, text, err)) return 2;
    info << "wrote " << options.suite_out << '\n';
  }
  if (!options.run_suite) return 0;
  EngineOptions engine_options;
  engine_options.base_url = options.server;
  engine_options.token = options.token;
  engine_options.fixture_roots = options.fixture_roots;
  engine_options.on_test = [&out](const ScriptResult& s, const TestResult& t) {
    write_progress(out, s, t);
  };
  Engine engine(transport, engine_options);
  std::vector<ScriptResult> results;
  results.push_back(engine.run(suite->script, ".",
                               options.suite_out.empty() ? "(generated)" : options.suite_out));
  write_summary(out, results);
  out.flush();
  return totals(results).scripts_failed > 0 ? 1 : 0;
}

}  // namespace

int run_conformance(const CommandOptions& options, HttpTransport& transport, std::ostream& out,
                    std::ostream& err) {
  if (auto url = parse_url(options.server); !url) {
    err << "--server: " << url.status().message() << '\n';
    return 2;
  }
  if (options.capability) return run_capability(options, transport, out, err);
  EngineOptions engine_options;
  engine_options.base_url = options.server;
  engine_options.token = options.token;
  engine_options.fixture_roots = options.fixture_roots;
  for (const auto& v : options.vars) {
    std::size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "--var must be NAME=VALUE, got '" << v << "'\n";
      return 2;
    }
    engine_options.variables[v.substr(0, eq)] = v.substr(eq + 1);
  }
  auto files = collect(options.paths);
  if (!files) {
    err << files.status().message() << '\n';
    return 2;
  }
  if (!options.out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    if (ec) {
      err << "cannot create --out " << options.out_dir << ": " << ec.message() << '\n';
      return 2;
    }
  }
  bool junit_to_stdout = options.format == "junit" && options.out_dir.empty();
  std::ostream& progress = junit_to_stdout ? err : out;
  engine_options.on_test = [&progress](const ScriptResult& s, const TestResult& t) {
    write_progress(progress, s, t);
  };
  Engine engine(transport, engine_options);

  std::vector<ScriptResult> results;
  for (const auto& f : *files) {
    auto doc = load_resource_file(f.path);
    if (doc && !f.explicit_file && string_member(*doc, "resourceType") != "TestScript") continue;
    if (!doc && !f.explicit_file) {
      progress << "  skipping " << f.path << ": " << doc.status().message() << '\n';
      continue;
    }
    progress << f.path << '\n';
    ScriptResult r = doc ? engine.run(*doc, fs::path(f.path).parent_path().string(), f.path)
                         : engine.run_file(f.path);
    if (!r.load_error.empty()) progress << "  FAIL  " << r.name << ": " << r.load_error << '\n';
    results.push_back(std::move(r));
  }
  if (results.empty()) {
    err << "no TestScript found in the given paths\n";
    return 2;
  }
  write_summary(progress, results);
  bool written = true;
  if (!options.out_dir.empty()) {
    std::map<std::string, int> used;
    for (const auto& r : results) {
      written =
          write_file(fs::path(options.out_dir) / report_name(r, used), test_report_json(r), err) &&
          written;
    }
  }
  if (options.format == "junit") {
    std::string xml = junit_xml(results);
    if (junit_to_stdout) {
      out << xml;
    } else {
      written = write_file(fs::path(options.out_dir) / "junit.xml", xml, err) && written;
    }
  }
  out.flush();
  Totals t = totals(results);
  return (t.scripts_failed > 0 || !written) ? 1 : 0;
}

}  // namespace hearth::conformance
