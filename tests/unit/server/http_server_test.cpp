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
#include <chrono>
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
  Running(int workers, HttpHandlers handlers, const std::function<void(Config&)>& tweak = {}) {
    Config config;
    config.listen = "127.0.0.1:0";
    config.threads = 2;
    config.workers = workers;
    config.allowed_hosts = {"test:1", "127.0.0.1"};
    if (tweak) tweak(config);
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

http::response<http::string_body> post(asio::ip::tcp::socket& socket, std::string target,
                                       std::string body) {
  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, "test:1");
  request.body() = std::move(body);
  request.prepare_payload();
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response;
}

// A service that takes `hold` per request and records how many bodies it held at once.
FakeService body_counting_service(std::atomic<int>& running, std::atomic<int>& most,
                                  std::chrono::milliseconds hold) {
  return FakeService(
      [&running, &most, hold](const api::Request& request) {
        int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(hold);
        --running;
        api::Response response;
        response.content_type = "text/plain";
        response.body = std::to_string(request.body.size());
        return response;
      },
      always_writes);
}

TEST_CASE("--max-buffered-body: bodies beyond the budget wait; a lone large body passes") {
  std::atomic<int> running{0}, most{0};
  FakeService fhir = body_counting_service(running, most, std::chrono::milliseconds(100));
  Running server(8, HttpHandlers{.fhir = fhir},
                 [](Config& config) { config.max_buffered_body = 1000; });
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      asio::io_context io;
      asio::ip::tcp::socket socket(io);
      socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
      if (post(socket, "/fhir/Patient", std::string(600, 'x')).result_int() == 200) ++ok;
    });
  }
  for (auto& client : clients) client.join();
  CHECK(ok == 4);
  CHECK(most == 1);  // 600 + 600 > 1000: one body at a time

  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  auto large = post(socket, "/fhir/Patient", std::string(5000, 'x'));
  CHECK(large.result_int() == 200);
  CHECK(large.body() == "5000");
  // Small bodies share the budget.
  most = 0;
  clients.clear();
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      asio::io_context client_io;
      asio::ip::tcp::socket client(client_io);
      client.connect({asio::ip::make_address("127.0.0.1"), server.port()});
      post(client, "/fhir/Patient", std::string(100, 'x'));
    });
  }
  for (auto& client : clients) client.join();
  CHECK(most > 1);
}

TEST_CASE("--max-buffered-body: a body that finds no room in time gets 503 and Retry-After") {
  std::atomic<int> running{0}, most{0};
  FakeService fhir = body_counting_service(running, most, std::chrono::milliseconds(500));
  Running server(8, HttpHandlers{.fhir = fhir}, [](Config& config) {
    config.max_buffered_body = 1000;
    config.max_buffered_body_wait_ms = 20;
  });
  std::vector<http::response<http::string_body>> responses(3);
  std::vector<std::thread> clients;
  for (auto& response : responses) {
    clients.emplace_back([&server, &response] {
      asio::io_context io;
      asio::ip::tcp::socket socket(io);
      socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
      response = post(socket, "/fhir/Patient", std::string(800, 'x'));
    });
  }
  for (auto& client : clients) client.join();
  int served = 0, busy = 0;
  for (const auto& response : responses) {
    if (response.result_int() == 200) ++served;
    if (response.result_int() == 503) {
      ++busy;
      CHECK(response[http::field::retry_after] == "5");
      // 5xx bodies are generic (the flag is named in the server log, not to the client).
      CHECK(response.body().find("OperationOutcome") != std::string::npos);
      CHECK_FALSE(response.keep_alive());
    }
  }
  CHECK(served >= 1);
  CHECK(served + busy == 3);
  CHECK(busy >= 1);  // each holds the budget 500 ms; a wait lasts 20 ms
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
