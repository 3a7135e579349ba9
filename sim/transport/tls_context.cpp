// TlsContext: OpenSSL's client context through Boost.Asio, loaded once per run.

#include "transport/tls_context_impl.hpp"

namespace mqttsim::transport {

namespace ssl = boost::asio::ssl;

TlsContext::TlsContext(std::unique_ptr<Impl> impl) : impl_{std::move(impl)} {}
TlsContext::~TlsContext() = default;

std::shared_ptr<TlsContext> TlsContext::load(const TlsSettings& settings, std::string& error) {
  auto impl = std::make_unique<Impl>();
  impl->insecure = settings.insecure;
  boost::system::error_code code;
  ssl::context& context = impl->context;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1,
                      code);
  if (settings.insecure) {
    context.set_verify_mode(ssl::verify_none, code);
  } else {
    context.set_verify_mode(ssl::verify_peer, code);
    if (settings.cafile.empty()) {
      context.set_default_verify_paths(code);
      if (code) {
        error = "cannot use the system's trusted certificates: " + code.message();
        return nullptr;
      }
    } else {
      context.load_verify_file(settings.cafile, code);
      if (code) {
        error = "cannot load --cafile " + settings.cafile + ": " + code.message();
        return nullptr;
      }
    }
  }
  if (settings.certfile.empty() != settings.keyfile.empty()) {
    error = "--cert and --key go together: give both or neither";
    return nullptr;
  }
  if (!settings.certfile.empty()) {
    context.use_certificate_chain_file(settings.certfile, code);
    if (code) {
      error = "cannot load --cert " + settings.certfile + ": " + code.message();
      return nullptr;
    }
    context.use_private_key_file(settings.keyfile, ssl::context::pem, code);
    if (code) {
      error = "cannot load --key " + settings.keyfile + ": " + code.message();
      return nullptr;
    }
  }
  return std::shared_ptr<TlsContext>{new TlsContext{std::move(impl)}};
}

}  // namespace mqttsim::transport
