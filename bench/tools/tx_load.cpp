// bench_tx_load: posts synthetic patient histories (synthetic_history.h) to a running Hearth as
// FHIR transactions and times them; the loader of bench/run_transactions.sh.
//
// Usage: bench_tx_load [--seed N] [--entries N] [--print] HOST PORT HISTORIES [CONNECTIONS]
//
// Generates histories 0..HISTORIES-1 of the seed (default 1; --entries per history, default
// 100) before the clock starts, then CONNECTIONS threads (default 4) each hold one keep-alive
// connection and POST the next history to /fhir (Content-Type application/fhir+json,
// Prefer: return=minimal), waiting for each answer. The clock runs from the first request to the
// last answer. A transaction succeeds when the answer is 200 with a Bundle of type
// transaction-response holding as many entries as were sent, each with a 2xx response.status.
// Nothing is retried: a transaction is not idempotent.
//
// --print writes history 0 (compact JSON) to stdout and exits; HOST, PORT and HISTORIES are
// then not needed.
//
// Prints one "fail ..." line per failed transaction (at most 20, then a count), then
//   histories=N entries=N ok=N failed=N seconds=S resources_per_second=R
//   transactions_per_second=T p50_ms=X p99_ms=Y mean_kb=K
// on one line (resources counted over successful transactions only). Exit status: 0 when every
// transaction succeeded, 1 otherwise, 2 on bad usage.
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
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "synthetic_history.h"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Failure {
  std::size_t history = 0;
  unsigned status = 0;  // 0: no HTTP response (connection error)
  std::string detail;
};

std::string_view string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  auto m = object.FindMember(name);
  if (m == object.MemberEnd() || !m->value.IsString()) return {};
  return {m->value.GetString(), m->value.GetStringLength()};
}

// The first diagnostics of an OperationOutcome (a whole answer, or an entry's response.outcome).
std::string outcome_text(const rapidjson::Value& outcome) {
  if (!outcome.IsObject()) return {};
  auto issues = outcome.FindMember("issue");
  if (issues == outcome.MemberEnd() || !issues->value.IsArray() || issues->value.Empty()) return {};
  const auto& issue = issues->value[0];
  std::string text(string_member(issue, "diagnostics"));
  auto expr = issue.FindMember("expression");
  if (expr != issue.MemberEnd() && expr->value.IsArray() && !expr->value.Empty() &&
      expr->value[0].IsString())
    text += std::string(" at ") + expr->value[0].GetString();
  return text;
}

// Empty when `body` is the expected response Bundle with `entries` successful entries; else why.
std::string check_response(const std::string& body, std::size_t entries) {
  rapidjson::Document doc;
  if (doc.Parse(body.data(), body.size()).HasParseError() || !doc.IsObject())
    return "answer is not JSON: " + body.substr(0, 200);
  if (string_member(doc, "resourceType") != "Bundle") return "answer is not a Bundle";
  if (string_member(doc, "type") != "transaction-response")
    return "Bundle.type is '" + std::string(string_member(doc, "type")) + "'";
  auto list = doc.FindMember("entry");
  const std::size_t count =
      list != doc.MemberEnd() && list->value.IsArray() ? list->value.Size() : 0;
  if (count != entries)
    return std::to_string(count) + " entries answered for " + std::to_string(entries) + " sent";
  std::size_t index = 0;
  for (const auto& entry : list->value.GetArray()) {
    auto response = entry.FindMember("response");
    const std::string_view status =
        response != entry.MemberEnd() ? string_member(response->value, "status") : "";
    if (status.empty() || status[0] != '2') {
      std::string why = "entry " + std::to_string(index) + " status '" + std::string(status) + "'";
      if (response != entry.MemberEnd() && response->value.HasMember("outcome"))
        why += ": " + outcome_text(response->value["outcome"]);
      return why;
    }
    ++index;
  }
  return {};
}

class Loader {
 public:
  Loader(std::string host, std::string port, const std::vector<hearth::bench::History>& histories)
      : host_(std::move(host)), port_(std::move(port)), histories_(histories) {}

  void run_connection() {
    asio::io_context io;
    tcp::socket socket(io);
    boost::beast::flat_buffer buffer;
    std::vector<double> latencies;
    for (std::size_t i = next_++; i < histories_.size(); i = next_++) {
      const auto& history = histories_[i];
      http::request<http::string_body> req{http::verb::post, "/fhir", 11};
      req.set(http::field::host, host_ + ":" + port_);
      req.set(http::field::content_type, "application/fhir+json");
      req.set(http::field::accept, "application/fhir+json");
      req.set("Prefer", "return=minimal");
      req.keep_alive(true);
      req.body() = history.json;
      req.prepare_payload();
      const auto start = Clock::now();
      auto failure = send(io, socket, buffer, req, i, history.entries);
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (failure) {
        std::lock_guard lock(mutex_);
        failures_.push_back(std::move(*failure));
      } else {
        committed_ += history.entries;
        ++ok_;
      }
    }
    boost::system::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
    std::lock_guard lock(mutex_);
    latencies_.insert(latencies_.end(), latencies.begin(), latencies.end());
  }

  std::size_t ok() const { return ok_; }
  std::size_t committed() const { return committed_; }
  std::vector<Failure>& failures() { return failures_; }
  std::vector<double>& latencies() { return latencies_; }

 private:
  std::optional<Failure> send(asio::io_context& io, tcp::socket& socket,
                              boost::beast::flat_buffer& buffer,
                              const http::request<http::string_body>& req, std::size_t history,
                              std::size_t entries) {
    boost::system::error_code ec;
    if (!socket.is_open()) {
      tcp::resolver resolver(io);
      auto endpoints = resolver.resolve(host_, port_, ec);
      if (!ec) asio::connect(socket, endpoints, ec);
      if (ec) return close(socket, buffer, history, "connect: " + ec.message());
      socket.set_option(tcp::no_delay(true), ec);
    }
    http::write(socket, req, ec);
    if (ec) return close(socket, buffer, history, "write: " + ec.message());
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    http::read(socket, buffer, parser, ec);
    if (ec) return close(socket, buffer, history, "read: " + ec.message());
    const auto& res = parser.get();
    if (!res.keep_alive()) close(socket, buffer, history, "");
    const unsigned status = res.result_int();
    if (status != 200) {
      rapidjson::Document doc;
      std::string detail = doc.Parse(res.body().data(), res.body().size()).HasParseError()
                               ? res.body().substr(0, 200)
                               : outcome_text(doc);
      return Failure{history, status, std::move(detail)};
    }
    std::string why = check_response(res.body(), entries);
    if (!why.empty()) return Failure{history, status, std::move(why)};
    return std::nullopt;
  }

  static Failure close(tcp::socket& socket, boost::beast::flat_buffer& buffer, std::size_t history,
                       std::string why) {
    boost::system::error_code ec;
    socket.close(ec);
    buffer.clear();
    return Failure{history, 0, std::move(why)};
  }

  std::string host_, port_;
  const std::vector<hearth::bench::History>& histories_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> ok_{0};
  std::atomic<std::size_t> committed_{0};
  std::mutex mutex_;
  std::vector<Failure> failures_;
  std::vector<double> latencies_;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(rank, sorted.size() - 1)];
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_tx_load [--seed N] [--entries N] [--print] HOST PORT "
               "HISTORIES [CONNECTIONS]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seed = 1;
  hearth::bench::HistoryOptions options;
  bool print = false;
  std::vector<const char*> args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--seed" || arg == "--entries") && i + 1 < argc) {
      const auto n = std::strtoull(argv[++i], nullptr, 10);
      if (arg == "--seed")
        seed = n;
      else
        options.entries = n;
    } else if (arg == "--print") {
      print = true;
    } else if (arg.starts_with("--")) {
      return usage();
    } else {
      args.push_back(argv[i]);
    }
  }
  if (print) {
    std::fputs(hearth::bench::make_history(seed, 0, options).json.c_str(), stdout);
    std::fputc('\n', stdout);
    return 0;
  }
  if (args.size() < 3 || args.size() > 4) return usage();
  const std::size_t count = std::strtoull(args[2], nullptr, 10);
  const int connections = args.size() == 4 ? std::atoi(args[3]) : 4;
  if (count == 0 || connections < 1 || options.entries < 2) return usage();

  std::vector<hearth::bench::History> histories;
  histories.reserve(count);
  std::size_t entries = 0, bytes = 0;
  for (std::size_t i = 0; i < count; ++i) {
    histories.push_back(hearth::bench::make_history(seed, i, options));
    entries += histories.back().entries;
    bytes += histories.back().json.size();
  }
  std::fprintf(stderr,
               "bench_tx_load: %zu transaction bundles, %zu entries, %.1f MB, %d connections\n",
               count, entries, static_cast<double>(bytes) / 1048576.0, connections);

  Loader loader(args[0], args[1], histories);
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(connections));
  for (int i = 0; i < connections; ++i)
    threads.emplace_back([&loader] { loader.run_connection(); });
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  auto& failures = loader.failures();
  std::sort(failures.begin(), failures.end(),
            [](const Failure& a, const Failure& b) { return a.history < b.history; });
  for (std::size_t i = 0; i < failures.size() && i < 20; ++i)
    std::printf("fail history %zu: status %u: %s\n", failures[i].history, failures[i].status,
                failures[i].detail.c_str());
  if (failures.size() > 20) std::printf("fail ... %zu more\n", failures.size() - 20);

  auto& latencies = loader.latencies();
  std::sort(latencies.begin(), latencies.end());
  std::printf(
      "histories=%zu entries=%zu ok=%zu failed=%zu seconds=%.3f resources_per_second=%.0f "
      "transactions_per_second=%.1f p50_ms=%.1f p99_ms=%.1f mean_kb=%.1f\n",
      count, entries, loader.ok(), failures.size(), seconds,
      seconds > 0 ? static_cast<double>(loader.committed()) / seconds : 0.0,
      seconds > 0 ? static_cast<double>(loader.ok()) / seconds : 0.0, percentile(latencies, 0.5),
      percentile(latencies, 0.99), static_cast<double>(bytes) / static_cast<double>(count) / 1024);
  return failures.empty() ? 0 : 1;
}
