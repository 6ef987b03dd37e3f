// TLS server contexts (OpenSSL 3 through Asio) for the HTTPS and MLLP/TLS listeners, built
// from PEM files: TLS 1.2 or later, forward-secret AEAD ciphers only, no compression, no
// renegotiation; with a client CA, a client certificate is required and verified against it
// (mutual TLS). reload() rebuilds the context from the same files (SIGHUP): connections already
// open keep the context they were accepted with, new handshakes take the new one; a reload that
// fails leaves the old context in place.
//
// Thread-safety: current() and reload() may be called from any thread.
// Errors: kInvalidArgument when a file cannot be read or parsed, or the key does not match the
// certificate; the message names the flag and the file, never key material.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"

namespace hearth::server {

struct TlsFiles {
  std::string cert;       // --tls-cert: the certificate chain, leaf first (PEM)
  std::string key;        // --tls-key: its private key (PEM, unencrypted)
  std::string client_ca;  // --mllp-client-ca: CA certificates (PEM); "" = no client certificate
};

class TlsContext {
 public:
  static Result<std::unique_ptr<TlsContext>> load(TlsFiles files);

  // The context new connections use; hold the pointer for the connection's lifetime.
  std::shared_ptr<boost::asio::ssl::context> current() const;

  // Rebuilds the context from the files; on error the current one stays.
  Status reload();

  bool requires_client_certificate() const { return !files_.client_ca.empty(); }

 private:
  explicit TlsContext(TlsFiles files) : files_(std::move(files)) {}

  TlsFiles files_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
};

// The subject of the certificate the peer presented and the handshake verified, as an RFC 2253
// string ("CN=lab-1,O=Acme Labs,C=US"); "" when there is none. `ssl` is the connection's
// native handle (an SSL*).
std::string peer_certificate_subject(void* ssl);

// The values (UTF-8) of the subject entries named `attribute` ("CN", "O", "OU", ...: OpenSSL's
// short or long name) in the certificate the peer presented and the handshake verified, in
// subject order; none when there is no certificate or no such entry.
std::vector<std::string> peer_certificate_attribute(void* ssl, const std::string& attribute);

// Whether OpenSSL knows `attribute` as an object name (for checking --mllp-cert-tenant at start).
bool is_known_attribute(const std::string& attribute);

}  // namespace hearth::server
