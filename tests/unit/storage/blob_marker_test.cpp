// Moving large `data` strings out of a body's text and back (storage/blob_marker.h).
#include "storage/blob_marker.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth::storage {
namespace {

std::string base64_of_size(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("ABCDEFGHabcdefgh0123456789+/"[i % 28]);
  return out;
}

TEST_CASE("blob markers: a large attachment moves out and comes back byte for byte") {
  const std::string big = base64_of_size(kMinBlobBytes);
  const std::string small = base64_of_size(kMinBlobBytes - 1);
  const std::string original =
      R"({"resourceType":"DocumentReference","content":[{"attachment":{"data":")" + big +
      R"(","title":"a"}},{"attachment":{"data":")" + small + R"("}}]})";
  std::string text = original;
  std::vector<Blob> blobs = detach_blobs(text, false);
  REQUIRE(blobs.size() == 1);
  CHECK(blobs[0].text == big);
  CHECK(blobs[0].name.size() == kBlobNameLength);
  CHECK(text.find(big) == std::string::npos);
  CHECK(text.find(small) != std::string::npos);  // below the threshold: stays
  CHECK(text.find(R"("data":"hearth-blob:)" + blobs[0].name + R"(","title")") != std::string::npos);
  CHECK(has_blob_markers(text));
  CHECK_FALSE(has_blob_markers(original));
  CHECK(attach_blobs(text, blobs) == original);
  auto looked_up = attach_blobs(text, [&](std::string_view name) -> Result<std::string> {
    CHECK(name == blobs[0].name);
    return blobs[0].text;
  });
  REQUIRE(looked_up.is_ok());
  CHECK(*looked_up == original);
}

TEST_CASE("blob markers: several in one body come back each in its place") {
  const std::string a = base64_of_size(kMinBlobBytes);
  const std::string b = base64_of_size(kMinBlobBytes + 3);
  // Side by side, and at the very start of the body's first member.
  const std::string original = R"({"data":")" + a + R"(","content":[{"attachment":{"data":")" + b +
                               R"("}},{"attachment":{"data":")" + a + R"("}}]})";
  std::string text = original;
  std::vector<Blob> blobs = detach_blobs(text, false);
  REQUIRE(blobs.size() == 3);
  CHECK(has_blob_markers(text));
  CHECK(attach_blobs(text, blobs) == original);
  std::vector<std::string> asked;
  auto looked_up = attach_blobs(text, [&](std::string_view name) -> Result<std::string> {
    asked.emplace_back(name);
    for (const Blob& blob : blobs) {
      if (blob.name == name) return blob.text;
    }
    return Status(Code::kInternal, "unknown");
  });
  REQUIRE(looked_up.is_ok());
  CHECK(*looked_up == original);
  REQUIRE(asked.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) CHECK(asked[k] == blobs[k].name);  // in body order
}

TEST_CASE("blob markers: a Binary's data moves whatever its size; names differ") {
  std::string one = R"({"resourceType":"Binary","contentType":"text/plain","data":"aGk="})";
  std::string two = one;
  auto first = detach_blobs(one, true);
  auto second = detach_blobs(two, true);
  REQUIRE(first.size() == 1);
  REQUIRE(second.size() == 1);
  CHECK(first[0].text == "aGk=");
  CHECK(first[0].name != second[0].name);
  CHECK(one != two);
}

TEST_CASE("blob markers: what does not move, and what a client cannot fake") {
  // A value with an escape stays (putting it back must be a plain substitution).
  const std::string escaped =
      R"({"resourceType":"Binary","data":"a\nb)" + base64_of_size(kMinBlobBytes) + R"("})";
  std::string text = escaped;
  CHECK(detach_blobs(text, true).empty());
  CHECK(text == escaped);
  // Other members of that size stay.
  const std::string other =
      R"({"resourceType":"Patient","text":{"div":")" + base64_of_size(kMinBlobBytes) + R"("}})";
  text = other;
  CHECK(detach_blobs(text, false).empty());
  // A client's data that looks like a marker is moved like a large one, so that reading it back
  // gives the client's text, not a blob of that name.
  const std::string fake =
      R"({"resourceType":"Observation","valueSampledData":{"data":"hearth-blob:)"
      R"(0123456789abcdef0123456789abcdef"}})";
  text = fake;
  auto moved = detach_blobs(text, false);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].text == "hearth-blob:0123456789abcdef0123456789abcdef");
  CHECK(attach_blobs(text, moved) == fake);
  // Marker-like text in another member, or a name of the wrong shape, is not a marker.
  CHECK_FALSE(has_blob_markers(R"({"note":"hearth-blob:0123456789abcdef0123456789abcdef"})"));
  CHECK_FALSE(has_blob_markers(R"({"data":"hearth-blob:0123"})"));
  CHECK_FALSE(has_blob_markers(R"({"data":"hearth-blob:0123456789ABCDEF0123456789ABCDEF"})"));
}

TEST_CASE("blob markers: a lookup's error is the result") {
  std::string text = R"({"resourceType":"Binary","data":"aGk="})";
  REQUIRE(detach_blobs(text, true).size() == 1);
  auto failed = attach_blobs(text, [](std::string_view) -> Result<std::string> {
    return Status(Code::kInternal, "missing");
  });
  CHECK(failed.status().code() == Code::kInternal);
}

}  // namespace
}  // namespace hearth::storage
