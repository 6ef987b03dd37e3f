// First SIGINT/SIGTERM: graceful shutdown; second: stop now. SIGHUP: reload.
#include "server/signals.h"

#include <csignal>
#include <string>

#include "server/access_log.h"

namespace hearth::server {

ShutdownSignals::ShutdownSignals(boost::asio::io_context& io, std::function<void()> graceful,
                                 std::function<void()> immediate)
    : signals_(io, SIGINT, SIGTERM),
      graceful_(std::move(graceful)),
      immediate_(std::move(immediate)) {
  wait();
}

void ShutdownSignals::wait() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;  // cancelled: the io_context is going away
    log_line(std::string("received ") + (signo == SIGINT ? "SIGINT" : "SIGTERM") +
             (received_ == 0 ? ", shutting down" : ", stopping now"));
    if (received_++ == 0) {
      graceful_();
    } else {
      immediate_();
    }
    wait();
  });
}

ReloadSignal::ReloadSignal(boost::asio::io_context& io, std::function<void()> reload)
    : signals_(io, SIGHUP), reload_(std::move(reload)) {
  wait();
}

void ReloadSignal::wait() {
  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    reload_();
    wait();
  });
}

}  // namespace hearth::server
