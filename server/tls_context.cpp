// The TLS settings in one place, so HTTPS and MLLP/TLS cannot drift apart.
#include "server/tls_context.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace hearth::server {
namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites with forward secrecy and an AEAD cipher (Mozilla's "intermediate" list without
// the DHE ones, which need parameters of their own). TLS 1.3 suites are OpenSSL's defaults,
// all of them AEAD.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Status file_error(const char* flag, const std::string& path, const boost::system::error_code& ec) {
  return Status(Code::kInvalidArgument, std::string(flag) + " '" + path + "': " + ec.message());
}

Result<std::shared_ptr<ssl::context>> build(const TlsFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Status(Code::kInternal, "OpenSSL refused the TLS 1.2 cipher list");
  }
  boost::system::error_code ec;
  context->use_certificate_chain_file(files.cert, ec);
  if (ec) return file_error("--tls-cert", files.cert, ec);
  context->use_private_key_file(files.key, ssl::context::pem, ec);
  if (ec) return file_error("--tls-key", files.key, ec);
  if (SSL_CTX_check_private_key(native) != 1) {
    return Status(Code::kInvalidArgument, "--tls-key '" + files.key +
                                              "' does not match the certificate in --tls-cert '" +
                                              files.cert + "'");
  }
  if (!files.client_ca.empty()) {
    context->load_verify_file(files.client_ca, ec);
    if (ec) return file_error("--mllp-client-ca", files.client_ca, ec);
    // The CA names the server sends in its CertificateRequest, so clients pick the right cert.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca.c_str());
    if (names != nullptr) SSL_CTX_set_client_CA_list(native, names);
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    // Session resumption with client certificates needs a context id (else the handshake of
    // a resumed session fails).
    static constexpr unsigned char kSessionContext[] = "hearth-mllp";
    SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
  }
  return context;
}

}  // namespace

Result<std::unique_ptr<TlsContext>> TlsContext::load(TlsFiles files) {
  std::unique_ptr<TlsContext> holder(new TlsContext(std::move(files)));
  HEARTH_RETURN_IF_ERROR(holder->reload());
  return holder;
}

std::shared_ptr<ssl::context> TlsContext::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

Status TlsContext::reload() {
  auto built = build(files_);
  if (!built) return built.status();
  std::lock_guard lock(mutex_);
  context_ = std::move(*built);
  return Status::ok();
}

std::string peer_certificate_subject(void* ssl) {
  X509* cert = SSL_get1_peer_certificate(static_cast<SSL*>(ssl));
  if (cert == nullptr) return {};
  std::string out;
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio != nullptr && X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0,
                                           XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    if (size > 0) out.assign(data, static_cast<std::size_t>(size));
  }
  BIO_free(bio);
  X509_free(cert);
  return out;
}

std::vector<std::string> peer_certificate_attribute(void* ssl, const std::string& attribute) {
  std::vector<std::string> values;
  const int nid = OBJ_txt2nid(attribute.c_str());
  if (nid == NID_undef) return values;
  X509* cert = SSL_get1_peer_certificate(static_cast<SSL*>(ssl));
  if (cert == nullptr) return values;
  X509_NAME* subject = X509_get_subject_name(cert);
  for (int at = X509_NAME_get_index_by_NID(subject, nid, -1); at >= 0;
       at = X509_NAME_get_index_by_NID(subject, nid, at)) {
    unsigned char* utf8 = nullptr;
    const int size =
        ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at)));
    // An entry that does not convert still counts, as "": it is never a tenant name.
    values.emplace_back(
        size > 0 ? std::string(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(size))
                 : std::string());
    OPENSSL_free(utf8);
  }
  X509_free(cert);
  return values;
}

bool is_known_attribute(const std::string& attribute) {
  return OBJ_txt2nid(attribute.c_str()) != NID_undef;
}

}  // namespace hearth::server
