// HttpServer in-process with fake API services: what the real REST core never does on purpose
// (throwing) and the inline/pool choice from route rows and store traits, plus graceful
// shutdown from another thread.
#include "server/http_server.h"

#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/code_table.h"
#include "server/request_mapping.h"

namespace hearth::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

// A fake API product: `answer` is its handle(), `use` its route rows' StoreUse.
class FakeService final : public api::Service {
 public:
  using Answer = std::function<api::Response(const api::Request&)>;
  using Use = std::function<api::StoreUse(const api::Request&)>;
  FakeService(Answer answer, Use use) : answer_(std::move(answer)), use_(std::move(use)) {}
  api::StoreUse store_use(const api::Request& request) const override { return use_(request); }
  api::Response handle(const api::Request& request) const override { return answer_(request); }

 private:
  Answer answer_;
  Use use_;
};

api::StoreUse always_writes(const api::Request&) {
  return api::StoreUse::kWrite;
}

FakeService counting_service(std::atomic<int>& calls) {
  return FakeService(
      [&calls](const api::Request& request) {
        ++calls;
        if (request.path == "throw") throw std::runtime_error("boom");
        if (request.path == "throw-int") throw 42;
        api::Response response;
        response.content_type = "text/plain";
        response.body = request.method + " " + request.path + " " + request.base_url;
        return response;
      },
      always_writes);
}

// "quick/..." paths are point reads (inline on a store with cheap reads), the rest writes; it
// records which threads ran what.
FakeService thread_recording_service(std::mutex& mutex, std::set<std::thread::id>& quick,
                                     std::set<std::thread::id>& pooled) {
  return FakeService(
      [&](const api::Request& request) {
        const bool is_quick = request.path.rfind("quick/", 0) == 0;
        {
          std::lock_guard<std::mutex> lock(mutex);
          (is_quick ? quick : pooled).insert(std::this_thread::get_id());
        }
        api::Response response;
        response.content_type = "text/plain";
        response.body = request.path;
        return response;
      },
      [](const api::Request& request) {
        return request.path.rfind("quick/", 0) == 0 ? api::StoreUse::kPointRead
                                                    : api::StoreUse::kWrite;
      });
}

// A running in-process server; stops on scope exit.
class Running {
 public:
  Running(int workers, HttpHandlers handlers) {
    Config config;
    config.listen = "127.0.0.1:0";
    config.threads = 2;
    config.workers = workers;
    config.allowed_hosts = {"test:1", "127.0.0.1"};
    REQUIRE(finalize(config).is_ok());
    server_ = std::make_unique<HttpServer>(config, std::move(handlers));
    REQUIRE(server_->listen().is_ok());
    thread_ = std::thread([this] { abandoned_ = server_->run(); });
  }
  ~Running() {
    server_->shutdown();
    thread_.join();
  }
  HttpServer& server() { return *server_; }
  unsigned short port() const {
    auto address = server_->local_address();
    return static_cast<unsigned short>(std::stoi(address.substr(address.rfind(':') + 1)));
  }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int abandoned_ = 0;
};

http::response<http::string_body> get(asio::ip::tcp::socket& socket, std::string target) {
  http::request<http::string_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "test:1");
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response;
}

void check_server(int workers) {
  std::atomic<int> calls{0};
  FakeService fhir = counting_service(calls);
  Running running(workers, HttpHandlers{.fhir = fhir});
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), running.port()});

  auto ok = get(socket, "/fhir/Patient/1?x=y");
  CHECK(ok.result_int() == 200);
  CHECK(ok.body() == "GET Patient/1 http://test:1/fhir");

  auto thrown = get(socket, "/fhir/throw");
  CHECK(thrown.result_int() == 500);
  CHECK(thrown.body().find(R"("resourceType":"OperationOutcome")") != std::string::npos);
  CHECK(thrown.body().find("boom") == std::string::npos);  // logged, never sent
  auto thrown_int = get(socket, "/fhir/throw-int");
  CHECK(thrown_int.result_int() == 500);

  auto outside = get(socket, "/elsewhere");
  CHECK(outside.result_int() == 404);
  CHECK(get(socket, "/hl7/messages").result_int() == 404);   // no /hl7 handler wired
  CHECK(get(socket, "/fhir/metadata").result_int() == 200);  // same connection, still serving
  CHECK(calls == 4);
}

TEST_CASE("HttpServer with a worker pool: exceptions become 500, serving goes on") {
  check_server(2);
}

TEST_CASE("HttpServer inline (--workers 0)") {
  check_server(0);
}

TEST_CASE("point reads on a store with cheap reads run on the io threads, the rest on the pool") {
  std::mutex mutex;
  std::set<std::thread::id> quick_threads, pooled_threads;
  FakeService fhir = thread_recording_service(mutex, quick_threads, pooled_threads);
  Running running(2, HttpHandlers{.fhir = fhir, .cheap_reads = true});
  asio::io_context io;
  std::vector<asio::ip::tcp::socket> sockets;
  for (int c = 0; c < 4; ++c) {  // several connections, so both io threads serve
    sockets.emplace_back(io).connect({asio::ip::make_address("127.0.0.1"), running.port()});
  }
  for (int i = 0; i < 20; ++i) {
    for (auto& socket : sockets) {
      CHECK(get(socket, "/fhir/quick/" + std::to_string(i)).result_int() == 200);
      CHECK(get(socket, "/fhir/slow/" + std::to_string(i)).result_int() == 200);
    }
  }
  std::lock_guard<std::mutex> lock(mutex);
  CHECK_FALSE(quick_threads.empty());
  CHECK_FALSE(pooled_threads.empty());
  for (const auto& id : quick_threads) CHECK(pooled_threads.count(id) == 0);
}

TEST_CASE("/hl7 requests go to the hl7 service, on the pool its route rows ask for") {
  std::mutex mutex;
  std::set<std::thread::id> io_threads, hl7_threads;
  std::vector<std::string> hl7_paths;
  FakeService fhir(
      [&](const api::Request&) {
        std::lock_guard<std::mutex> lock(mutex);
        io_threads.insert(std::this_thread::get_id());
        return api::Response{};
      },
      [](const api::Request&) { return api::StoreUse::kNone; });  // FHIR: all inline
  FakeService hl7(
      [&](const api::Request& request) {
        std::lock_guard<std::mutex> lock(mutex);
        hl7_threads.insert(std::this_thread::get_id());
        hl7_paths.push_back(request.method + " " + request.path + " " + request.base_url);
        api::Response response;
        response.status = 202;
        return response;
      },
      [](const api::Request&) { return api::StoreUse::kRead; });
  HttpHandlers handlers{.fhir = fhir, .hl7 = &hl7};
  Running running(2, std::move(handlers));
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), running.port()});
  for (int i = 0; i < 10; ++i) {
    CHECK(get(socket, "/fhir/metadata").result_int() == 200);
    CHECK(get(socket, "/hl7/messages/" + std::to_string(i)).result_int() == 202);
  }
  CHECK(get(socket, "/hl7").result_int() == 202);
  CHECK(get(socket, "/hl7x").result_int() == 404);
  std::lock_guard<std::mutex> lock(mutex);
  REQUIRE(hl7_paths.size() == 11);
  CHECK(hl7_paths[3] == "GET messages/3 http://test:1/fhir");
  CHECK(hl7_paths[10] == "GET  http://test:1/fhir");
  for (const auto& id : hl7_threads) CHECK(io_threads.count(id) == 0);
}

TEST_CASE("HttpServer::listen reports a port in use") {
  std::atomic<int> calls{0};
  FakeService fhir = counting_service(calls);
  Running running(1, HttpHandlers{.fhir = fhir});
  Config config;
  config.listen = running.server().local_address();
  REQUIRE(finalize(config).is_ok());
  HttpServer second(config, HttpHandlers{.fhir = fhir});
  Status status = second.listen();
  CHECK(status.code() == Code::kUnavailable);
}

}  // namespace
}  // namespace hearth::server
