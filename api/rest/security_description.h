// How clients of the FHIR REST API authenticate, as the CapabilityStatement (rest.security) and
// [base]/.well-known/smart-configuration describe it to them. The server fills it from its flags
// (--auth, --issuer, --oauth-authorize-url, --oauth-token-url); the REST core only publishes it.
#pragma once

#include <string>

namespace hearth::api {

struct SecurityDescription {
  // Bearer tokens from an OAuth 2.0 authorization server (SMART on FHIR). False: no
  // authentication is described and the SMART configuration is 404.
  bool smart = false;
  std::string issuer;         // the tokens' "iss"
  std::string authorize_url;  // the authorization server's endpoints ("" when not configured)
  std::string token_url;
};

}  // namespace hearth::api
