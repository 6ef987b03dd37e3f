// POSIX sockets with poll() timeouts; the deframer from hl7/ (tests may use any layer).
#include "mllp_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "hl7/mllp_framer.h"

namespace hearth::testing {

struct MllpClient::Impl {
  int fd = -1;
  std::chrono::milliseconds timeout;
  hl7::MllpDeframer deframer;

  // Waits for `events`; false on timeout.
  bool wait(short events) const {
    pollfd p{fd, events, 0};
    int n;
    do {
      n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (n < 0 && errno == EINTR);
    return n > 0;
  }
};

MllpClient::MllpClient(const std::string& host, std::uint16_t port,
                       std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->timeout = timeout;
  impl_->fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (impl_->fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  if (::connect(impl_->fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const std::string error = std::strerror(errno);
    ::close(impl_->fd);
    impl_->fd = -1;
    throw std::runtime_error("mllp connect to " + host + ":" + std::to_string(port) +
                             " failed: " + error);
  }
  int one = 1;
  ::setsockopt(impl_->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

MllpClient::~MllpClient() {
  if (impl_ && impl_->fd >= 0) ::close(impl_->fd);
}

void MllpClient::send_raw(std::string_view bytes) {
  while (!bytes.empty()) {
    if (!impl_->wait(POLLOUT)) throw std::runtime_error("mllp send timed out");
    ssize_t n = ::send(impl_->fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("mllp send failed: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void MllpClient::send(std::string_view message) {
  send_raw(hl7::mllp_frame(message));
}

std::string MllpClient::read_ack() {
  char buffer[16 * 1024];
  for (;;) {
    if (auto frame = impl_->deframer.next()) {
      if (!frame->is_ok()) throw std::runtime_error("mllp: oversize ACK");
      return std::move(frame->value());
    }
    if (!impl_->wait(POLLIN)) throw std::runtime_error("mllp: timed out waiting for an ACK");
    ssize_t n = ::recv(impl_->fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("mllp: connection closed while waiting for an ACK");
    impl_->deframer.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
}

bool MllpClient::closed_by_peer() {
  char buffer[4096];
  for (;;) {
    if (!impl_->wait(POLLIN)) return false;
    ssize_t n = ::recv(impl_->fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
  }
}

std::string hl7_field(std::string_view message, std::string_view segment_id, int n) {
  std::size_t start = 0;
  while (start < message.size()) {
    std::size_t end = message.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = message.size();
    std::string_view line = message.substr(start, end - start);
    if (line.size() > 3 && line.substr(0, 3) == segment_id) {
      // MSH-1 is the separator itself, so MSH fields are shifted by one.
      int index = segment_id == "MSH" ? n - 1 : n;
      const char sep = line[3];
      std::size_t from = 0;
      for (int i = 0; i < index; ++i) {
        from = line.find(sep, from);
        if (from == std::string_view::npos) return "";
        ++from;
      }
      std::size_t to = line.find(sep, from);
      return std::string(line.substr(from, to == std::string_view::npos ? line.npos : to - from));
    }
    start = end + 1;
  }
  return "";
}

std::string make_oru(std::string_view sender, std::string_view control_id, std::string_view value) {
  std::string m = "MSH|^~\\&|";
  m += sender;
  m += "|HOSP|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|";
  m += control_id;
  m += "|P|2.5.1\rPID|1||67890^^^MRN||SMITH^JANE\rOBX|1|NM|WBC^White Blood Cell Count^LN||";
  m += value;
  m += "|10*3/uL|4.5-11.0|N|||F\r";
  return m;
}

}  // namespace hearth::testing
