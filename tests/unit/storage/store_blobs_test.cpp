// Store behaviour suite: documents kept outside the database (StoreOptions::blob_dir,
// storage/blob_dir.h), run against every backend (store_backends.h). A write's blobs go to files
// and its row keeps markers; every read path gives the body with the blobs in place; a store
// without a directory keeps them in the row; a store whose rows name blobs refuses to read them
// without its directory.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/blob_dir.h"
#include "storage/store.h"
#include "store_backends.h"
#include "store_search_support.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::ManualClock;
using testing::sqlite_scalar;

struct Fixture {
  std::string content = std::string(20000, 'Q');
  std::string marked_body;  // as make_body gives it, the content replaced by a marker
  std::string full_body;    // as a reader must see it
  std::vector<Blob> blobs;

  explicit Fixture(const std::string& id) {
    const std::string before =
        R"({"resourceType":"Binary","id":")" + id + R"(","contentType":"text/plain","data":")";
    full_body = before + content + "\"}";
    marked_body = full_body;
    blobs = detach_blobs(marked_body, true);
  }

  WriteRequest request(const std::string& id) const {
    WriteRequest r;
    r.type = "Binary";
    r.id = id;
    r.make_body = [body = marked_body](std::int64_t, std::int64_t) { return body; };
    r.blobs = blobs;
    return r;
  }
};

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

StoreOptions blob_options(const std::string& dir) {
  StoreOptions options;
  options.blob_dir = dir;
  return options;
}

std::string blob_root(const std::string& name) {
  return (testing::temp_root() / ("blobs-" + name)).string();
}

TEST_CASE("blobs: written to the directory, every read gives the body whole") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    const std::string dir = blob_root(b.name + "-whole");
    auto opened = open_store(b.url, clock, blob_options(dir));
    REQUIRE(opened.is_ok());
    Store& store = **opened;
    Fixture f("b1");
    REQUIRE(f.blobs.size() == 1);
    auto created = store.create(f.request("b1"));
    REQUIRE(created.is_ok());
    CHECK(created->stored.body == f.full_body);
    const std::string& name = f.blobs[0].name;
    CHECK(read_text(std::filesystem::path(dir) / name.substr(0, 2) / name) == f.content);
    if (!b.sqlite_path.empty()) {  // the row names the blob and does not hold its content
      CHECK(sqlite_scalar(b.sqlite_path,
                          "SELECT COUNT(*) FROM resource_version WHERE length(body) < 1000 AND "
                          "instr(body, 'hearth-blob:" +
                              name + "') > 0") == 1);
      CHECK(sqlite_scalar(b.sqlite_path,
                          "SELECT COUNT(*) FROM resource_version WHERE length(body) > 20000") == 0);
    }
    auto read = store.read("Binary", "b1");
    REQUIRE(read.is_ok());
    CHECK(read->body == f.full_body);
    auto vread = store.vread("Binary", "b1", 1);
    REQUIRE(vread.is_ok());
    CHECK(vread->body == f.full_body);
    HistoryQuery versions;
    versions.type = "Binary";
    versions.id = "b1";
    auto history = store.history(versions);
    REQUIRE(history.is_ok());
    REQUIRE(history->entries.size() == 1);
    CHECK(history->entries[0].body == f.full_body);
    fhir::search::SearchQuery query;
    query.resource_type = "Binary";
    query.count = 10;
    auto page = store.search(query);
    REQUIRE(page.is_ok());
    REQUIRE(page->entries.size() == 1);
    CHECK(page->entries[0].body == f.full_body);
    // Inside a transaction too.
    Status in_tx = store.transact([&](StoreTransaction& tx) -> Status {
      auto got = tx.read("Binary", "b1");
      if (!got.is_ok()) return got.status();
      CHECK(got->body == f.full_body);
      Fixture g("b2");
      auto made = tx.create(g.request("b2"));
      if (!made.is_ok()) return made.status();
      CHECK(made->stored.body == g.full_body);
      return Status::ok();
    });
    CHECK(in_tx.is_ok());
    auto second = store.read("Binary", "b2");
    REQUIRE(second.is_ok());
    CHECK(second->body.find(std::string(20000, 'Q')) != std::string::npos);
  }
}

TEST_CASE("blobs: without a directory they stay in the row") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = testing::open_or_die(b.url, clock);
    Fixture f("b1");
    auto created = store->create(f.request("b1"));
    REQUIRE(created.is_ok());
    CHECK(created->stored.body == f.full_body);
    auto read = store->read("Binary", "b1");
    REQUIRE(read.is_ok());
    CHECK(read->body == f.full_body);
    if (!b.sqlite_path.empty()) {
      CHECK(sqlite_scalar(b.sqlite_path,
                          "SELECT COUNT(*) FROM resource_version WHERE length(body) > 20000 AND "
                          "instr(body, 'hearth-blob:') = 0") == 1);
    }
  }
}

TEST_CASE("blobs: a store that keeps them refuses to read without its directory") {
  for (const auto& b : backends(true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    const std::string dir = blob_root(b.name + "-refuse");
    Fixture f("b1");
    {
      auto opened = open_store(b.url, clock, blob_options(dir));
      REQUIRE(opened.is_ok());
      REQUIRE((*opened)->create(f.request("b1")).is_ok());
    }
    auto without = testing::open_or_die(b.url, clock);
    auto read = without->read("Binary", "b1");
    CHECK(read.status().code() == Code::kInternal);
    CHECK(read.status().message().find("--blob-dir") != std::string::npos);
    // The file gone from the directory: the same, not a body with a marker.
    std::filesystem::remove_all(dir);
    auto opened = open_store(b.url, clock, blob_options(dir));
    REQUIRE(opened.is_ok());
    CHECK((*opened)->read("Binary", "b1").status().code() == Code::kInternal);
  }
}

TEST_CASE("blob directory: copy counts and keeps what is there") {
  const std::string from = blob_root("copy-from");
  auto dir = BlobDir::open(from);
  REQUIRE(dir.is_ok());
  std::string one = R"({"data":"aGk="})", two = R"({"data":"aG8="})";
  auto a = detach_blobs(one, true), c = detach_blobs(two, true);
  REQUIRE((*dir)->put(a[0]).is_ok());
  REQUIRE((*dir)->put(c[0]).is_ok());
  auto got = (*dir)->get(a[0].name);
  REQUIRE(got.is_ok());
  CHECK(*got == "aGk=");
  CHECK((*dir)->get("0123456789abcdef0123456789abcdef").status().code() == Code::kInternal);
  const std::string to = blob_root("copy-to");
  auto copied = copy_blob_dir(from, to);
  REQUIRE(copied.is_ok());
  CHECK(*copied == 2);
  auto again = copy_blob_dir(from, to);
  REQUIRE(again.is_ok());
  CHECK(*again == 2);
  auto target = BlobDir::open(to);
  REQUIRE(target.is_ok());
  auto copy = (*target)->get(c[0].name);
  REQUIRE(copy.is_ok());
  CHECK(*copy == "aG8=");
  CHECK(BlobDir::open("/proc/no-such-dir/blobs").status().code() == Code::kUnavailable);
}

}  // namespace
}  // namespace hearth::storage
