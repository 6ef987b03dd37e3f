// Signal handling on an io_context (asio::signal_set): SIGINT/SIGTERM, where the first signal
// asks for a graceful shutdown and a second one for an immediate stop; SIGHUP, which reloads
// (the TLS certificates).
//
// Thread-safety: construct and destroy on the thread that owns the io_context; the callbacks
// run on an io thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>

namespace hearth::server {

class ShutdownSignals {
 public:
  // `graceful` runs on the first signal, `immediate` on any later one.
  ShutdownSignals(boost::asio::io_context& io, std::function<void()> graceful,
                  std::function<void()> immediate);

 private:
  void wait();

  boost::asio::signal_set signals_;
  std::function<void()> graceful_;
  std::function<void()> immediate_;
  int received_ = 0;
};

class ReloadSignal {
 public:
  // `reload` runs on every SIGHUP.
  ReloadSignal(boost::asio::io_context& io, std::function<void()> reload);

 private:
  void wait();

  boost::asio::signal_set signals_;
  std::function<void()> reload_;
};

}  // namespace hearth::server
