// The tenant segment of a path: split, checked against the id rule and the base's own words.
#include "server/tenant_path.h"

#include "api/rest/route.h"
#include "fhir/model.h"

namespace hearth::server {
namespace {

// Words that begin a path below a FHIR base of `--tenancy none`.
bool is_base_word(std::string_view segment) {
  return segment.starts_with('$') || segment.starts_with('_') || segment == "metadata" ||
         segment == ".well-known" || fhir::is_resource_type(segment);
}

std::string usage(std::string_view base) {
  return "under --tenancy url every path names its tenant first: " + std::string(base) +
         "/[tenant]/...";
}

}  // namespace

Status check_tenant_name(std::string_view name) {
  if (is_base_word(name)) {
    return Status(Code::kNotFound, "'" + std::string(name) +
                                       "' is part of a FHIR path (a resource type, metadata, "
                                       ".well-known, $ or _), not a tenant");
  }
  if (!api::is_valid_id(name) || name == "." || name == "..") {
    return Status(Code::kMalformed,
                  "malformed tenant: a tenant is 1 to 64 characters of A-Z, a-z, 0-9, '-' and "
                  "'.'");
  }
  return Status::ok();
}

Status take_tenant(std::string_view base, std::string_view& rest, std::string& tenant) {
  std::string_view tail = rest;
  while (tail.starts_with('/')) tail.remove_prefix(1);
  const std::size_t slash = tail.find('/');
  const std::string_view segment = tail.substr(0, slash);
  if (segment.empty()) {
    return Status(Code::kNotFound, "no tenant in the path; " + usage(base));
  }
  if (Status name = check_tenant_name(segment); !name.is_ok()) {
    if (name.code() == Code::kNotFound) {
      return Status(Code::kNotFound, "no tenant in the path ('" + std::string(segment) +
                                         "' is part of a FHIR path, not a tenant); " + usage(base));
    }
    return Status(Code::kMalformed,
                  "malformed tenant in the path; a tenant is 1 to 64 "
                  "characters of A-Z, a-z, 0-9, '-' and '.'");
  }
  tenant.assign(segment);
  rest = slash == std::string_view::npos ? std::string_view() : tail.substr(slash);
  return Status::ok();
}

}  // namespace hearth::server
