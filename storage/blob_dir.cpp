// Blob files: atomic, durable writes and plain reads.
#include "storage/blob_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hearth::storage {
namespace fs = std::filesystem;

namespace {

bool fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<BlobDir>> BlobDir::open(std::string path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  const std::string probe = path + "/.probe";
  const int fd = ec ? -1 : ::open(probe.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status(Code::kUnavailable, "cannot write the blob directory '" + path + "'");
  ::close(fd);
  fs::remove(probe, ec);
  return std::unique_ptr<BlobDir>(new BlobDir(std::move(path)));
}

std::string BlobDir::file_of(std::string_view name) const {
  return path_ + "/" + std::string(name.substr(0, 2)) + "/" + std::string(name);
}

Status BlobDir::put(const Blob& blob) const {
  const std::string file = file_of(blob.name);
  const std::string dir = path_ + "/" + blob.name.substr(0, 2);
  const std::string tmp = file + ".tmp";
  std::error_code ec;
  fs::create_directories(dir, ec);
  const int fd = ::open(tmp.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && write_all(fd, blob.text) && ::fsync(fd) == 0;
  if (fd >= 0) ok = ::close(fd) == 0 && ok;
  ok = ok && std::rename(tmp.c_str(), file.c_str()) == 0 && fsync_path(dir, O_RDONLY | O_DIRECTORY);
  if (!ok) {
    fs::remove(tmp, ec);
    return Status(Code::kUnavailable, "cannot write a document to the blob directory");
  }
  return Status::ok();
}

Result<std::string> BlobDir::get(std::string_view name) const {
  std::ifstream in(file_of(name), std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    return Status(Code::kInternal, "a stored document is missing from the blob directory");
  }
  return std::move(text).str();
}

Result<std::int64_t> copy_blob_dir(const std::string& from, const std::string& to) {
  std::int64_t blobs = 0;
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) return Status(Code::kUnavailable, "cannot create '" + to + "'");
  for (const fs::directory_entry& sub : fs::directory_iterator(from, ec)) {
    if (!sub.is_directory(ec)) continue;
    const fs::path target = fs::path(to) / sub.path().filename();
    fs::create_directories(target, ec);
    for (const fs::directory_entry& file : fs::directory_iterator(sub.path(), ec)) {
      const fs::path name = file.path().filename();
      if (name.extension() == ".tmp") continue;
      ++blobs;
      if (fs::exists(target / name)) continue;
      fs::create_hard_link(file.path(), target / name, ec);
      if (ec) fs::copy_file(file.path(), target / name, ec);
      if (ec) return Status(Code::kUnavailable, "cannot copy '" + file.path().string() + "'");
    }
  }
  if (ec) return Status(Code::kUnavailable, "cannot read the blob directory '" + from + "'");
  return blobs;
}

}  // namespace hearth::storage
