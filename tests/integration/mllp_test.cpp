// The MLLP listener end to end: the real binary, real sockets, the real store (SQLite, or
// PostgreSQL with HEARTH_TEST_STORE). Each test uses its own sender (MSH-3), so tests sharing a
// PostgreSQL database never see each other's messages in the archive.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "harness.h"
#include "mllp_harness.h"
#include "tests/test_paths.h"

// Counts CI prints (tools/test runs these cases directly): shown whether the case passes or not.
#define PRINT_COUNT(expr) (std::cout << expr << std::endl)

namespace {

using namespace hearth::testing;

struct ArchiveRow {
  std::string id, status, control_id, type, note;
};

// The archive rows of `sender` (MSH-3, facility HOSP), newest first, via `hearth messages`.
std::vector<ArchiveRow> archive_of(const ServerProcess& server, const std::string& sender) {
  auto result = run_hearth({"messages", "--store", server.store_url(), "--limit", "1000000"});
  REQUIRE(result.exit_code == 0);
  std::vector<ArchiveRow> rows;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cols;
    std::size_t from = 0;
    for (;;) {
      std::size_t tab = line.find('\t', from);
      cols.push_back(line.substr(from, tab == std::string::npos ? std::string::npos : tab - from));
      if (tab == std::string::npos) break;
      from = tab + 1;
    }
    if (cols.size() < 8 || cols[3] != sender + "|HOSP") continue;
    rows.push_back(ArchiveRow{cols[0], cols[2], cols[4], cols[5], cols[7]});
  }
  return rows;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_CASE("mllp: an ORU^R01 from the corpus gets AA echoing its MSH-10") {
  ServerProcess server;
  REQUIRE(server.mllp_port() != 0);
  const std::string oru = read_file(hearth::test::source_dir() +
                                    "/tests/data/corpus/hl7v2/rethinkhealth-hl7v2/oru-r01-lab.hl7");
  REQUIRE_FALSE(oru.empty());
  MllpClient client("127.0.0.1", server.mllp_port());
  const std::string ack = client.exchange(oru);
  CHECK(msa(ack, 1) == "AA");
  CHECK(msa(ack, 2) == "MSG00003");
  CHECK(hl7_field(ack, "MSH", 9) == "ACK^R01^ACK");
  CHECK(hl7_field(ack, "MSH", 3) == "ORDER_APP");  // sender and receiver swapped
  CHECK(server.wait_for_log("MLLP 127.0.0.1:"));
  CHECK(server.wait_for_log(" ORU^R01 MSG00003 AA "));
}

TEST_CASE("mllp: split into 1-byte writes, two frames in one write, garbage between frames") {
  ServerProcess server;
  const std::string sender = unique_name("SPLIT");
  MllpClient client("127.0.0.1", server.mllp_port());
  const std::string framed = "\x0b" + make_oru(sender, "S1") + "\x1c\r";
  for (char c : framed) client.send_raw(std::string_view(&c, 1));
  CHECK(msa(client.read_ack(), 2) == "S1");

  client.send_raw("\x0b" + make_oru(sender, "S2") + "\x1c\r\x0b" + make_oru(sender, "S3") +
                  "\x1c\r");
  const std::string ack2 = client.read_ack();
  const std::string ack3 = client.read_ack();
  CHECK(msa(ack2, 1) == "AA");
  CHECK(msa(ack2, 2) == "S2");  // in order
  CHECK(msa(ack3, 2) == "S3");

  client.send_raw("noise\r\n\x1c\r junk \x0b" + make_oru(sender, "S4") + "\x1c\rmore junk\x0b" +
                  make_oru(sender, "S5") + "\x1c\r");
  CHECK(msa(client.read_ack(), 2) == "S4");
  CHECK(msa(client.read_ack(), 2) == "S5");
  CHECK(archive_of(server, sender).size() == 5);
}

TEST_CASE("mllp: malformed messages get AR with an ERR segment and are archived as rejected") {
  ServerProcess server;
  MllpClient client("127.0.0.1", server.mllp_port());
  const std::string no_msh = client.exchange("PID|1||123^^^MRN\rOBX|1|NM|X||1\r");
  CHECK(msa(no_msh, 1) == "AR");
  CHECK_FALSE(hl7_field(no_msh, "ERR", 3).empty());

  const std::string sender = unique_name("BAD");
  const std::string bad_msh2 =
      client.exchange("MSH|^~|" + sender + "|HOSP|||20260309||ORU^R01|B1|P|2.5.1\rPID|1\r");
  CHECK(msa(bad_msh2, 1) == "AR");
  CHECK_FALSE(hl7_field(bad_msh2, "ERR", 3).empty());
  auto rows = archive_of(server, sender);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].status == "rejected");
  CHECK(rows[0].control_id == "B1");
  // The connection stays usable after a reject.
  CHECK(msa(client.exchange(make_oru(sender, "B2")), 1) == "AA");
}

TEST_CASE("mllp: a duplicate gets the identical ACK and is archived once; reuse is flagged") {
  ServerProcess server;
  const std::string sender = unique_name("DUP");
  MllpClient client("127.0.0.1", server.mllp_port());
  const std::string first = client.exchange(make_oru(sender, "D1"));
  CHECK(msa(first, 1) == "AA");
  const std::string again = client.exchange(make_oru(sender, "D1"));
  CHECK(again == first);
  MllpClient other("127.0.0.1", server.mllp_port());  // another connection, same answer
  CHECK(other.exchange(make_oru(sender, "D1")) == first);
  CHECK(archive_of(server, sender).size() == 1);

  // The same control id with other content is a new message: AA, two rows, the new one flagged.
  const std::string changed = client.exchange(make_oru(sender, "D1", "9.9"));
  CHECK(msa(changed, 1) == "AA");
  CHECK(changed != first);
  auto rows = archive_of(server, sender);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].status == "accepted");
  CHECK(rows[0].note.rfind("control-id-reused: ", 0) == 0);
  CHECK(rows[0].note.find(rows[1].id) != std::string::npos);
  CHECK(rows[1].status == "accepted");
  CHECK(rows[1].note.empty());
  // Its resend is a duplicate of the new row.
  CHECK(client.exchange(make_oru(sender, "D1", "9.9")) == changed);
  CHECK(archive_of(server, sender).size() == 2);
}

TEST_CASE("mllp: --hl7-duplicate-control-id=reject answers a reused control id AE 205") {
  ServerOptions options;
  options.args = {"--hl7-duplicate-control-id", "reject"};
  ServerProcess server(options);
  const std::string sender = unique_name("STRICT");
  MllpClient client("127.0.0.1", server.mllp_port());
  CHECK(msa(client.exchange(make_oru(sender, "S1")), 1) == "AA");
  const std::string changed = client.exchange(make_oru(sender, "S1", "9.9"));
  CHECK(msa(changed, 1) == "AE");
  CHECK(hl7_field(changed, "ERR", 3).rfind("205^", 0) == 0);
  auto rows = archive_of(server, sender);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].status == "error");
  CHECK(rows[0].note.find(rows[1].id) != std::string::npos);
}

TEST_CASE("mllp: 100 concurrent connections x 20 messages all get AA") {
  constexpr int kConnections = 100;
  constexpr int kMessages = 20;
  ServerProcess server;
  const std::string sender = unique_name("LOAD");
  std::atomic<int> accepted{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  std::atomic<int> connected{0};
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      try {
        MllpClient client("127.0.0.1", server.mllp_port(), std::chrono::seconds(60));
        // Every connection is open before any message goes out: 100 at once.
        ++connected;
        while (connected.load() < kConnections) std::this_thread::yield();
        for (int i = 0; i < kMessages; ++i) {
          const std::string id = "L" + std::to_string(c) + "-" + std::to_string(i);
          const std::string ack = client.exchange(make_oru(sender, id));
          if (msa(ack, 1) == "AA" && msa(ack, 2) == id) {
            ++accepted;
          } else {
            std::lock_guard lock(mutex);
            failures.push_back(id + ": " + ack);
          }
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        failures.push_back(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& f : failures) INFO(f);
  CHECK(failures.empty());
  CHECK(accepted.load() == kConnections * kMessages);
  CHECK(archive_of(server, sender).size() == kConnections * kMessages);
}

TEST_CASE("mllp: --hl7-accept-types/--hl7-accept-versions: others get AR 200 / 203") {
  ServerOptions options;
  options.args = {"--hl7-accept-types", "ADT,ORU^R01", "--hl7-accept-versions", "2.5.1"};
  ServerProcess server(options);
  const std::string sender = unique_name("RULE");
  MllpClient client("127.0.0.1", server.mllp_port());
  CHECK(msa(client.exchange(make_oru(sender, "R1")), 1) == "AA");
  std::string orm = make_oru(sender, "R2");
  orm.replace(orm.find("ORU^R01^ORU_R01"), 15, "ORM^O01^ORM_O01");
  const std::string orm_ack = client.exchange(orm);
  CHECK(msa(orm_ack, 1) == "AR");
  CHECK(hl7_field(orm_ack, "ERR", 3).rfind("200", 0) == 0);
  std::string old = make_oru(sender, "R3");
  old.replace(old.find("|2.5.1"), 6, "|2.5");
  const std::string old_ack = client.exchange(old);
  CHECK(msa(old_ack, 1) == "AR");
  CHECK(hl7_field(old_ack, "ERR", 3).rfind("203", 0) == 0);
  const auto rows = archive_of(server, sender);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].status == "rejected");
  CHECK(rows[1].status == "rejected");
  CHECK(rows[2].status == "accepted");
}

TEST_CASE("mllp: a stalled sender (half a frame, then silence) does not hold up others") {
  ServerProcess server;
  const std::string sender = unique_name("SLOW");
  MllpClient stalled("127.0.0.1", server.mllp_port());
  const std::string half = make_oru(sender, "S0");
  stalled.send_raw(std::string("\x0b") + half.substr(0, half.size() / 2));
  // Each ACK must come within the client's timeout (it throws otherwise), while the stalled
  // connection still holds its half frame.
  MllpClient other("127.0.0.1", server.mllp_port(), std::chrono::seconds(5));
  for (int i = 1; i <= 20; ++i) {
    CHECK(msa(other.exchange(make_oru(sender, "S" + std::to_string(i))), 1) == "AA");
  }
  // The stalled sender finishes later and is answered too.
  stalled.send_raw(half.substr(half.size() / 2) + "\x1c\r");
  CHECK(msa(stalled.read_ack(), 1) == "AA");
  CHECK(archive_of(server, sender).size() == 21);
}

TEST_CASE("mllp: a sender disconnecting mid-message loses only that message") {
  ServerProcess server;
  const std::string sender = unique_name("HALF");
  {
    MllpClient quitter("127.0.0.1", server.mllp_port());
    CHECK(msa(quitter.exchange(make_oru(sender, "H1")), 1) == "AA");
    const std::string half = make_oru(sender, "H2");
    quitter.send_raw(std::string("\x0b") + half.substr(0, half.size() / 2));
  }  // closed without the frame's end
  MllpClient other("127.0.0.1", server.mllp_port());
  CHECK(msa(other.exchange(make_oru(sender, "H3")), 1) == "AA");
  const auto rows = archive_of(server, sender);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].control_id == "H3");
  CHECK(rows[1].control_id == "H1");
}

// The sender behaves like a lab system: it resends a message until it gets AA, reconnecting
// when the connection breaks. The server is killed (SIGKILL) and restarted three times while
// 8 connections send 5,000 messages. Every message must end up acknowledged and archived
// exactly once: a message committed just before a kill (its AA lost) is resent, recognised as
// a duplicate and not stored again.
TEST_CASE("mllp: 5,000 messages over 8 connections, kill -9 and restart x3: each archived once") {
  constexpr int kConnections = 8;
  constexpr int kPerConnection = 625;
  constexpr int kKills = 3;
  constexpr int kTotal = kConnections * kPerConnection;
  ServerProcess server;
  const std::string sender = unique_name("KILL");
  std::atomic<std::uint16_t> port{server.mllp_port()};
  std::atomic<int> acked_count{0}, resends{0}, not_aa{0};
  std::atomic<bool> give_up{false};
  std::mutex mutex;
  std::set<std::string> acked;
  std::vector<std::thread> threads;
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      std::unique_ptr<MllpClient> client;
      for (int i = 0; i < kPerConnection; ++i) {
        const std::string id = "K" + std::to_string(c) + "-" + std::to_string(i);
        const std::string message = make_oru(sender, id);
        for (bool first = true;; first = false) {
          if (give_up.load()) return;
          if (!first) ++resends;
          try {
            if (!client) {
              client =
                  std::make_unique<MllpClient>("127.0.0.1", port.load(), std::chrono::seconds(5));
            }
            if (msa(client->exchange(message), 1) == "AA") break;
            ++not_aa;  // e.g. AE 207 while the store is going away: send it again
          } catch (const std::exception&) {
            client.reset();  // the server died under us: reconnect and resend
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }
        std::lock_guard lock(mutex);
        acked.insert(id);
        ++acked_count;
      }
    });
  }
  int kills = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (int k = 1; k <= kKills; ++k) {
    while (acked_count.load() < k * kTotal / (kKills + 1) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server.kill9();
    ++kills;
    server.restart();
    port = server.mllp_port();
  }
  while (acked_count.load() < kTotal && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  give_up = true;
  for (auto& t : threads) t.join();
  CHECK(kills == kKills);
  CHECK(static_cast<int>(acked.size()) == kTotal);
  std::map<std::string, int> archived;
  int not_accepted = 0;
  for (const auto& row : archive_of(server, sender)) {
    ++archived[row.control_id];
    if (row.status != "accepted") ++not_accepted;
  }
  int missing = 0, twice = 0;
  for (const auto& id : acked) {
    if (archived[id] == 0) ++missing;
  }
  for (const auto& [id, count] : archived) {
    if (count != 1) ++twice;
  }
  CHECK(missing == 0);
  CHECK(twice == 0);
  CHECK(not_accepted == 0);
  CHECK(static_cast<int>(archived.size()) == kTotal);
  PRINT_COUNT("kill -9 test: " << acked.size() << " acknowledged, " << archived.size()
                               << " archived once each, " << kills << " kills, " << resends.load()
                               << " resends, " << not_aa.load() << " non-AA answers");
}

TEST_CASE("mllp: an oversize message gets AR with ERR 207; the connection goes on") {
  ServerOptions options;
  options.args = {"--mllp-max-message", "1000"};
  ServerProcess server(options);
  const std::string sender = unique_name("BIG");
  MllpClient client("127.0.0.1", server.mllp_port());
  CHECK(msa(client.exchange(make_oru(sender, "OK1")), 1) == "AA");
  // Sent in pieces, so the limit is crossed mid-frame, before the frame's end arrives.
  const std::string big = make_oru(sender, "BIG1", std::string(5000, '7'));
  client.send_raw(std::string("\x0b") + big.substr(0, 1500));
  client.send_raw(big.substr(1500) + "\x1c\r");
  const std::string reject = client.read_ack();
  CHECK(msa(reject, 1) == "AR");
  CHECK(msa(reject, 2) == "BIG1");  // named from the frame's head
  CHECK(hl7_field(reject, "ERR", 3).rfind("207", 0) == 0);
  CHECK(hl7_field(reject, "MSH", 5) == sender);  // addressed back to the sender
  CHECK(server.wait_for_log("(--mllp-max-message) discarded"));
  // The same connection still works, and only the messages received whole are archived.
  CHECK(msa(client.exchange(make_oru(sender, "OK2")), 1) == "AA");
  CHECK(archive_of(server, sender).size() == 2);
}

TEST_CASE("mllp: --mllp-listen off disables the listener; SIGTERM drains and exits 0") {
  {
    ServerOptions options;
    options.args = {"--mllp-listen", "off"};
    ServerProcess server(options);
    CHECK(server.mllp_port() == 0);
  }
  ServerProcess server;
  MllpClient client("127.0.0.1", server.mllp_port());
  CHECK(msa(client.exchange(make_oru(unique_name("TERM"), "T1")), 1) == "AA");
  server.signal(SIGTERM);
  const std::optional<int> code = server.wait_exit(std::chrono::seconds(15));
  if (code != 0) {
    // What the server said on its way out (a sanitizer report lands here too).
    for (const auto& line : server.log_lines()) MESSAGE(line);
  }
  CHECK(code.has_value());
  CHECK(code.value_or(-1) == 0);
}

TEST_CASE("hearth send: files and directories, one line per message, exit code by outcome") {
  // The strict control-id rule gives an error ACK to provoke below.
  ServerOptions options;
  options.args = {"--hl7-duplicate-control-id", "reject"};
  ServerProcess server(options);
  const std::string sender = unique_name("SEND");
  const auto dir = std::filesystem::temp_directory_path() / unique_name("hearth-send-");
  std::filesystem::create_directories(dir / "sub");
  {
    std::ofstream(dir / "a.hl7", std::ios::binary)
        << make_oru(sender, "F1") << make_oru(sender, "F2");  // two messages in one file
    std::string silent = make_oru(sender, "F3");
    silent.replace(silent.find("|P|2.5.1"), 8, "|P|2.5.1|||NE|NE");
    std::ofstream(dir / "sub" / "b.hl7", std::ios::binary) << silent;
  }
  const std::string port = std::to_string(server.mllp_port());
  auto ok = run_hearth({"send", "--port", port, dir.string()});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("a.hl7#1 F1 AA\n") != std::string::npos);
  CHECK(ok.out.find("a.hl7#2 F2 AA\n") != std::string::npos);
  CHECK(ok.out.find("b.hl7#1 F3 no-ack-requested\n") != std::string::npos);
  CHECK(ok.out.find("sent 3 message(s) from 2 file(s)") != std::string::npos);
  // F3 asked for no ACK, so `send` may be done before the server archived it: wait for it.
  std::size_t archived = 0;
  for (int attempt = 0; attempt < 200 && archived < 3; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    archived = archive_of(server, sender).size();
  }
  CHECK(archived == 3);

  std::ofstream(dir / "bad.hl7", std::ios::binary) << "PID|1\r";
  auto rejected = run_hearth({"send", "--port", port, (dir / "bad.hl7").string()});
  CHECK(rejected.exit_code == 1);
  CHECK(rejected.out.find("bad.hl7#1 - AR\n") != std::string::npos);
  CHECK(run_hearth({"send", "--port", port, (dir / "none").string()}).exit_code == 2);

  // MSH-15 ER (ACK only on error) and SU (only on success): silence is an answer too. The ER
  // message reuses F1's control id with other content, so it does get its error ACK.
  {
    auto with_msh15 = [&](const std::string& id, const std::string& msh15, const char* value) {
      std::string m = make_oru(sender, id, value);
      m.replace(m.find("|P|2.5.1"), 8, "|P|2.5.1|||" + msh15 + "|NE");
      return m;
    };
    std::ofstream(dir / "cond.hl7", std::ios::binary)
        << with_msh15("C1", "ER", "7.5") << with_msh15("F1", "ER", "9.9")
        << with_msh15("C2", "SU", "7.5") << with_msh15("C3", "AL", "7.5");
  }
  auto conditional = run_hearth(
      {"send", "--port", port, "--conditional-ack-wait", "0.3", (dir / "cond.hl7").string()});
  CHECK(conditional.exit_code == 1);  // the CE
  CHECK(conditional.out.find("cond.hl7#1 C1 no-ack-ER\n") != std::string::npos);
  CHECK(conditional.out.find("cond.hl7#2 F1 CE\n") != std::string::npos);
  CHECK(conditional.out.find("cond.hl7#3 C2 CA\n") != std::string::npos);
  CHECK(conditional.out.find("cond.hl7#4 C3 CA\n") != std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
