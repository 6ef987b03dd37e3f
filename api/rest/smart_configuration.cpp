// GET [base]/.well-known/smart-configuration (SMART App Launch 2.0, "Conformance"): where the
// authorization server is and what it offers, for clients that discover it from the FHIR base.
// The authorization server is not Hearth's: the document only repeats what the flags say.
#include "api/rest/interactions.h"
#include "api/rest/json_writer.h"
#include "api/rest/outcome.h"

namespace hearth::api {

Result<Response> smart_configuration_interaction(const InteractionContext& ctx) {
  const SecurityDescription& security = ctx.security;
  if (!security.smart) {
    return Status(Code::kNotFound, "this server does not use SMART on FHIR (--auth jwt)");
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("issuer");
  write_str(w, security.issuer);
  if (!security.authorize_url.empty()) {
    w.Key("authorization_endpoint");
    write_str(w, security.authorize_url);
  }
  if (!security.token_url.empty()) {
    w.Key("token_endpoint");
    write_str(w, security.token_url);
  }
  w.Key("grant_types_supported");
  w.StartArray();
  write_str(w, "authorization_code");
  write_str(w, "client_credentials");
  w.EndArray();
  w.Key("code_challenge_methods_supported");
  w.StartArray();
  write_str(w, "S256");
  w.EndArray();
  w.Key("token_endpoint_auth_methods_supported");
  w.StartArray();
  write_str(w, "private_key_jwt");
  w.EndArray();
  w.Key("capabilities");
  w.StartArray();
  write_str(w, "launch-standalone");
  write_str(w, "client-confidential-asymmetric");
  w.EndArray();
  w.EndObject();
  Response response;
  response.status = 200;
  response.content_type = "application/json";
  response.body.assign(buffer.GetString(), buffer.GetSize());
  return response;
}

}  // namespace hearth::api
