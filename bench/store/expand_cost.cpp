// ValueSet/$expand of a stored 10,000-concept value set in one process, through the REST core
// (api::RestHandler over a fresh SQLite store, no HTTP): a CodeSystem of `concepts` concepts
// (100 top-level ones, the rest nested under them) and a ValueSet including all of it are
// stored, then timed:
//   - the first $expand (count 1000): the stored code system compiled, the whole value set
//     expanded and cached;
//   - `rounds` more $expand pages (offset stepping through the expansion), from the cache (each
//     still checks the two stored resources' versions);
//   - `rounds` $expand with a text filter, and `rounds` ValueSet/$validate-code;
//   - after an update of the code system, the next $expand (cache invalidated, rebuilt).
//
//   build/bench/store/expand_cost [concepts] [rounds]
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "api/rest/rest_handler.h"
#include "core/clock.h"
#include "storage/store.h"

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "expand_cost: %s\n", why.c_str());
  std::exit(1);
}

double now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

class Ids final : public hearth::IdGenerator {
 public:
  std::string next_id() override { return "id" + std::to_string(++n_); }

 private:
  int n_ = 0;
};

std::string code_system(int concepts, int version) {
  const int tops = 100;
  const int per = concepts / tops - 1;
  std::string cs = R"({"resourceType":"CodeSystem","id":"big","url":"http://example.org/big",)"
                   R"("version":")" +
                   std::to_string(version) +
                   R"(","status":"active","content":"complete","concept":[)";
  int made = 0;
  for (int t = 0; t < tops; ++t) {
    cs += std::string(t ? "," : "") + R"({"code":"T)" + std::to_string(t) + R"(","display":"Top )" +
          std::to_string(t) + R"(","concept":[)";
    ++made;
    for (int c = 0; c < per && made < concepts; ++c, ++made) {
      cs += std::string(c ? "," : "") + R"({"code":"C)" + std::to_string(t) + "-" +
            std::to_string(c) + R"(","display":"Concept )" + std::to_string(t * 1000 + c) + R"("})";
    }
    cs += "]}";
  }
  return cs + "]}";
}

}  // namespace

int main(int argc, char** argv) {
  const int concepts = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 50;
  const auto dir =
      std::filesystem::temp_directory_path() / ("hearth-expand-cost-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto clock = hearth::make_system_clock();
  {
    auto opened = hearth::storage::open_store("sqlite:" + (dir / "hearth.db").string(), *clock);
    if (!opened.is_ok()) die(opened.status().message());
    Ids ids;
    hearth::api::RestLimits limits;
    hearth::api::RestHandler handler(**opened, *clock, ids, limits);
    auto call = [&](std::string method, std::string path, std::string body,
                    std::vector<std::pair<std::string, std::string>> query) {
      hearth::api::Request r;
      r.method = std::move(method);
      r.path = std::move(path);
      r.body = std::move(body);
      r.query = std::move(query);
      if (!r.body.empty()) r.content_type = "application/fhir+json";
      r.base_url = "http://bench/fhir";
      hearth::api::Response response = handler.handle(r);
      if (response.status >= 300) {
        die(r.path + ": " + std::to_string(response.status) + " " + response.body.substr(0, 300));
      }
      return response;
    };
    const std::string cs = code_system(concepts, 1);
    call("PUT", "CodeSystem/big", cs, {});
    call("PUT", "ValueSet/big",
         R"({"resourceType":"ValueSet","id":"big","url":"http://example.org/vs/big",)"
         R"("status":"active","compose":{"include":[{"system":"http://example.org/big"}]}})",
         {});
    const std::string url = "http://example.org/vs/big";
    double t = now();
    hearth::api::Response first = call("GET", "ValueSet/$expand", "", {{"url", url}});
    const double first_ms = (now() - t) * 1e3;
    if (first.body.find("\"total\":" + std::to_string(concepts)) == std::string::npos) {
      die("the expansion does not hold every concept");
    }
    t = now();
    for (int i = 0; i < rounds; ++i) {
      call("GET", "ValueSet/$expand", "",
           {{"url", url}, {"offset", std::to_string((i * 1000) % concepts)}});
    }
    const double cached_ms = (now() - t) * 1e3 / rounds;
    t = now();
    for (int i = 0; i < rounds; ++i) {
      call("GET", "ValueSet/big/$expand", "", {{"filter", "concept 4" + std::to_string(i % 10)}});
    }
    const double filter_ms = (now() - t) * 1e3 / rounds;
    t = now();
    for (int i = 0; i < rounds; ++i) {
      call("GET", "ValueSet/$validate-code", "",
           {{"url", url}, {"code", "C" + std::to_string(i % 100) + "-5"}});
    }
    const double validate_ms = (now() - t) * 1e3 / rounds;
    call("PUT", "CodeSystem/big", code_system(concepts, 2), {});
    t = now();
    call("GET", "ValueSet/$expand", "", {{"url", url}});
    const double rebuilt_ms = (now() - t) * 1e3;
    std::printf(
        "expand_cost: %d concepts (CodeSystem %.1f KB): first $expand (compile + expand + "
        "cache) %.1f ms; cached page of 1000 %.2f ms; filtered %.2f ms; $validate-code %.2f ms; "
        "after a code system update %.1f ms\n",
        concepts, cs.size() / 1024.0, first_ms, cached_ms, filter_ms, validate_ms, rebuilt_ms);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
