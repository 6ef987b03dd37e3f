// --blob-dir against the real binary: a Binary's content and a large attachment's data go to
// files, small data stays in the row, every read gives back exactly what was written (create
// response, read, vread, search, history, a transaction's entries); `hearth backup` copies the
// directory beside the backup file and `hearth restore` puts it back, after which a server on the
// restored store and directory serves the same bodies. A server started without the directory a
// store needs answers 500 for such a resource (and serves the others).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

using hearth::testing::run_hearth;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;
using hearth::testing::TempDir;

namespace {

std::string base64_text(std::size_t size, char seed) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) out.push_back(kAlphabet[(i * 7 + seed) % 64]);
  return out;
}

// Every file under `dir` (the blobs), as their contents.
std::vector<std::string> blob_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out.push_back(text.str());
  }
  return out;
}

bool contains(const std::string& body, const std::string& part) {
  return body.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("blob dir: contents outside the rows, read back whole, backed up and restored") {
  // On a shared PostgreSQL test store, rows naming this test's (deleted) directory would fail the
  // later tests' broad searches; the storage suite runs the same behaviour on PostgreSQL.
  const char* shared = std::getenv("HEARTH_TEST_STORE");
  if (shared != nullptr && std::string_view(shared).rfind("sqlite:", 0) != 0) {
    MESSAGE("blob dir: SQLite only here (shared test store); storage suite covers PostgreSQL");
    return;
  }
  TempDir blobs;
  ServerOptions options;
  options.args = {"--blob-dir", blobs.path};
  ServerProcess server(options);
  auto client = server.client();
  const std::string content = base64_text(4000, 1);  // a Binary moves whatever its size
  const std::string big = base64_text(40000, 2);     // an attachment above 16 KiB moves
  const std::string small = base64_text(2000, 3);    // one below stays in the row
  auto binary = client.post(
      "Binary",
      R"({"resourceType":"Binary","contentType":"application/pdf","data":")" + content + R"("})",
      {{"Prefer", "return=representation"}});
  REQUIRE(binary.status == 201);
  CHECK(contains(binary.body, content));
  const std::string location = binary.header("Location");
  const std::size_t id_at = location.find("Binary/") + 7;
  const std::string binary_id = location.substr(id_at, location.find('/', id_at) - id_at);
  auto document = client.post(
      "DocumentReference", R"({"resourceType":"DocumentReference","status":"current","content":[)"
                           R"({"attachment":{"contentType":"text/plain","data":")" +
                               big + R"("}},{"attachment":{"contentType":"text/plain","data":")" +
                               small + R"("}}]})");
  REQUIRE(document.status == 201);
  const std::string doc_location = document.header("Location");
  const std::size_t doc_at = doc_location.find("DocumentReference/") + 18;
  const std::string doc_id = doc_location.substr(doc_at, doc_location.find('/', doc_at) - doc_at);
  const std::string by_id = "DocumentReference?_id=" + doc_id;
  std::vector<std::string> files = blob_files(blobs.path);
  REQUIRE(files.size() == 2);
  CHECK((files[0] == content || files[1] == content));
  CHECK((files[0] == big || files[1] == big));

  auto read = client.get("Binary/" + binary_id);
  REQUIRE(read.status == 200);
  CHECK(contains(read.body, "\"data\":\"" + content + "\""));
  CHECK_FALSE(contains(read.body, "hearth-blob:"));
  auto found = client.get(by_id);
  REQUIRE(found.status == 200);
  CHECK(contains(found.body, big));
  CHECK(contains(found.body, small));
  CHECK_FALSE(contains(found.body, "hearth-blob:"));
  auto history = client.get("DocumentReference/" + doc_id + "/_history");
  REQUIRE(history.status == 200);
  CHECK(contains(history.body, big));

  // A transaction's Binary: the same.
  const std::string in_tx = base64_text(30000, 4);
  auto tx = client.post("", R"({"resourceType":"Bundle","type":"transaction","entry":[)"
                            R"({"fullUrl":"urn:uuid:0c4f5a7e-2b1d-4a8e-9f3c-5d6e7f8a9b0c",)"
                            R"("resource":{"resourceType":"Binary","contentType":"text/plain",)"
                            R"("data":")" +
                                in_tx + R"("},"request":{"method":"POST","url":"Binary"}}]})");
  REQUIRE(tx.status == 200);
  CHECK(blob_files(blobs.path).size() == 3);
  CHECK(contains(tx.body, "Binary/"));
  const std::size_t tx_at = tx.body.find("Binary/") + 7;
  const std::string tx_id = tx.body.substr(tx_at, tx.body.find_first_of("/\"", tx_at) - tx_at);
  auto binaries = client.get("Binary?_id=" + tx_id);
  REQUIRE(binaries.status == 200);
  CHECK(contains(binaries.body, in_tx));

  TempDir out;
  const std::string backup = out.path + "/hearth.backup";
  auto backed_up = run_hearth(
      {"backup", "--store", server.store_url(), "--blob-dir", blobs.path, "--out", backup});
  REQUIRE(backed_up.exit_code == 0);
  CHECK(contains(backed_up.out, "3 blobs"));
  CHECK(blob_files(backup + ".blobs").size() == 3);
  const std::string restored_store = "sqlite:" + out.path + "/restored/hearth.db";
  auto refused = run_hearth({"restore", "--store", restored_store, "--in", backup});
  CHECK(refused.exit_code == 2);
  CHECK(contains(refused.err, "--blob-dir"));
  const std::string restored_blobs = out.path + "/restored-blobs";
  auto restored = run_hearth(
      {"restore", "--store", restored_store, "--blob-dir", restored_blobs, "--in", backup});
  REQUIRE(restored.exit_code == 0);
  CHECK(blob_files(restored_blobs).size() == 3);
  ServerOptions restored_options;
  restored_options.store = restored_store;
  restored_options.args = {"--blob-dir", restored_blobs};
  ServerProcess again(restored_options);
  auto after = again.client().get(by_id);
  REQUIRE(after.status == 200);
  CHECK(contains(after.body, big));
  CHECK(contains(after.body, small));

  // The same store without its directory: the resources naming blobs are a 500 that names no
  // internals; the others are served.
  ServerOptions no_blobs;
  no_blobs.store = restored_store;
  ServerProcess without(no_blobs);
  auto missing = without.client().get(by_id);
  CHECK(missing.status == 500);
  CHECK_FALSE(contains(missing.body, "sqlite"));
  CHECK(without.client().get("metadata").status == 200);
}
