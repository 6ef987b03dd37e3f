// bench_load_examples: writes every resource of an official package directory into a running
// Hearth over loopback, the way a bulk import would, and times it.
//
// Usage: bench_load_examples HOST PORT PACKAGE_DIR [CONNECTIONS]
//
// Every *.json of PACKAGE_DIR except package.json and dot-files is read and parsed first
// (untimed); a file whose top level is not an object with a string "resourceType" is skipped as
// a non-resource. A resource with an id is sent as PUT /fhir/{resourceType}/{id} (update as
// create), one without as POST /fhir/{resourceType}, with Prefer: return=minimal. CONNECTIONS
// threads (default 4) each hold one keep-alive connection and take the next file in name order;
// the clock runs from the first request to the last response.
//
// Prints one "fail STATUS FILE: DIAGNOSTICS" line per rejected file (status 0: transport error),
// then a count per failing status and a last line
//   count=N ok=N failed=N skipped=N seconds=S per_second=R
// Exit status: 0 when every resource was accepted (200 or 201), 1 otherwise, 2 on bad usage.
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

struct Item {
  std::string file;    // file name, for reports
  std::string target;  // "/fhir/Patient/example" or "/fhir/Patient"
  bool put = false;
  std::string body;
};

struct Failure {
  unsigned status = 0;  // 0: no HTTP response (connection error)
  std::string file;
  std::string detail;
};

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// Reads and classifies the package; returns the resources in file-name order.
std::vector<Item> scan(const fs::path& dir, std::size_t& skipped) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    if (name == "package.json" || name.front() == '.') continue;
    paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Item> items;
  items.reserve(paths.size());
  for (const auto& path : paths) {
    auto text = read_file(path);
    rapidjson::Document doc;
    if (!text || doc.Parse(text->data(), text->size()).HasParseError() || !doc.IsObject()) {
      ++skipped;
      continue;
    }
    auto type = doc.FindMember("resourceType");
    if (type == doc.MemberEnd() || !type->value.IsString()) {
      ++skipped;
      continue;
    }
    Item item;
    item.file = path.filename().string();
    item.target = std::string("/fhir/") + type->value.GetString();
    auto id = doc.FindMember("id");
    if (id != doc.MemberEnd() && id->value.IsString()) {
      item.target += '/';
      item.target += id->value.GetString();
      item.put = true;
    }
    item.body = std::move(*text);
    items.push_back(std::move(item));
  }
  return items;
}

// One-line summary of a rejection: the first OperationOutcome diagnostics, else the body head.
std::string describe(const std::string& body) {
  rapidjson::Document doc;
  if (!doc.Parse(body.data(), body.size()).HasParseError() && doc.IsObject()) {
    auto issues = doc.FindMember("issue");
    if (issues != doc.MemberEnd() && issues->value.IsArray() && !issues->value.Empty()) {
      const auto& issue = issues->value[0];
      for (const char* key : {"diagnostics", "expression"}) {
        auto m = issue.FindMember(key);
        if (m == issue.MemberEnd()) continue;
        if (m->value.IsString()) return m->value.GetString();
        if (m->value.IsArray() && !m->value.Empty() && m->value[0].IsString())
          return m->value[0].GetString();
      }
    }
  }
  return body.substr(0, 200);
}

class Loader {
 public:
  Loader(std::string host, std::string port, std::vector<Item>& items)
      : host_(std::move(host)), port_(std::move(port)), items_(items) {}

  void run_connection() {
    asio::io_context io;
    tcp::socket socket(io);
    boost::beast::flat_buffer buffer;
    for (std::size_t i = next_++; i < items_.size(); i = next_++) {
      Item& item = items_[i];
      http::request<http::string_body> req{item.put ? http::verb::put : http::verb::post,
                                           item.target, 11};
      req.set(http::field::host, host_ + ":" + port_);
      req.set(http::field::content_type, "application/fhir+json");
      req.set(http::field::accept, "application/fhir+json");
      req.set("Prefer", "return=minimal");
      req.keep_alive(true);
      req.body() = std::move(item.body);
      req.prepare_payload();
      // A keep-alive connection the server closed in between is retried once on a fresh one.
      std::optional<Failure> failure;
      for (int attempt = 0; attempt < 2; ++attempt) {
        failure = send(io, socket, buffer, req, item.file);
        if (!failure || failure->status != 0) break;
      }
      if (failure) {
        std::lock_guard lock(mutex_);
        failures_.push_back(std::move(*failure));
      } else {
        ++ok_;
      }
    }
    boost::system::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  std::size_t ok() const { return ok_; }
  std::vector<Failure>& failures() { return failures_; }

 private:
  std::optional<Failure> send(asio::io_context& io, tcp::socket& socket,
                              boost::beast::flat_buffer& buffer,
                              const http::request<http::string_body>& req,
                              const std::string& file) {
    boost::system::error_code ec;
    if (!socket.is_open()) {
      tcp::resolver resolver(io);
      auto endpoints = resolver.resolve(host_, port_, ec);
      if (!ec) asio::connect(socket, endpoints, ec);
      if (ec) return close(socket, buffer, file, "connect: " + ec.message());
      socket.set_option(tcp::no_delay(true), ec);
    }
    http::write(socket, req, ec);
    if (ec) return close(socket, buffer, file, "write: " + ec.message());
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    http::read(socket, buffer, parser, ec);
    if (ec) return close(socket, buffer, file, "read: " + ec.message());
    const auto& res = parser.get();
    if (!res.keep_alive()) close(socket, buffer, file, "");
    const unsigned status = res.result_int();
    if (status == 200 || status == 201) return std::nullopt;
    return Failure{status, file, describe(res.body())};
  }

  static Failure close(tcp::socket& socket, boost::beast::flat_buffer& buffer,
                       const std::string& file, std::string why) {
    boost::system::error_code ec;
    socket.close(ec);
    buffer.clear();
    return Failure{0, file, std::move(why)};
  }

  std::string host_, port_;
  std::vector<Item>& items_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> ok_{0};
  std::mutex mutex_;
  std::vector<Failure> failures_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr, "usage: bench_load_examples HOST PORT PACKAGE_DIR [CONNECTIONS]\n");
    return 2;
  }
  const int connections = argc == 5 ? std::atoi(argv[4]) : 4;
  if (connections < 1 || !fs::is_directory(argv[3])) {
    std::fprintf(stderr, "bench_load_examples: bad CONNECTIONS or PACKAGE_DIR\n");
    return 2;
  }
  std::size_t skipped = 0;
  std::vector<Item> items = scan(argv[3], skipped);
  std::fprintf(stderr, "bench_load_examples: %zu resources, %zu skipped, %d connections\n",
               items.size(), skipped, connections);

  Loader loader(argv[1], argv[2], items);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(connections));
  for (int i = 0; i < connections; ++i)
    threads.emplace_back([&loader] { loader.run_connection(); });
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  auto& failures = loader.failures();
  std::sort(failures.begin(), failures.end(),
            [](const Failure& a, const Failure& b) { return a.file < b.file; });
  std::map<unsigned, std::size_t> by_status;
  for (const auto& f : failures) {
    ++by_status[f.status];
    std::printf("fail %u %s: %s\n", f.status, f.file.c_str(), f.detail.c_str());
  }
  for (const auto& [status, n] : by_status) std::printf("status %u: %zu files\n", status, n);
  std::printf("count=%zu ok=%zu failed=%zu skipped=%zu seconds=%.3f per_second=%.0f\n",
              items.size(), loader.ok(), failures.size(), skipped, seconds,
              seconds > 0 ? static_cast<double>(items.size()) / seconds : 0.0);
  return failures.empty() ? 0 : 1;
}
