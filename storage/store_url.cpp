// Store URL parsing. PostgreSQL URIs are parsed by libpq itself (so every libpq URI form and
// parameter works) and re-emitted as a keyword=value conninfo string, the only form SOCI
// passes through intact; SQLite paths become SOCI's `db=...` connect string.
#include "storage/store_url.h"

#include <libpq-fe.h>

#include "core/redact.h"

namespace hearth::storage {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// SOCI splits its connect string on spaces and honours double quotes around a value.
std::string soci_quote(std::string_view value) {
  std::string out = "\"";
  out.append(value);
  out.push_back('"');
  return out;
}

// libpq conninfo value quoting: single quotes, with \ and ' escaped.
std::string conninfo_quote(const char* value) {
  std::string out = "'";
  for (const char* c = value; *c != '\0'; ++c) {
    if (*c == '\\' || *c == '\'') out.push_back('\\');
    out.push_back(*c);
  }
  out.push_back('\'');
  return out;
}

Result<std::string> postgresql_conninfo(std::string_view url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(url).c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Status(Code::kInvalidArgument, "bad PostgreSQL URL: " + redact_credentials(message));
  }
  std::string conninfo;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (!conninfo.empty()) conninfo.push_back(' ');
    conninfo += o->keyword;
    conninfo += '=';
    conninfo += conninfo_quote(o->val);
  }
  PQconninfoFree(options);
  return conninfo;
}

}  // namespace

Result<StoreUrl> parse_store_url(std::string_view url) {
  StoreUrl out;
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    out.dialect = Dialect::kPostgresql;
    Result<std::string> conninfo = postgresql_conninfo(url);
    if (!conninfo.is_ok()) return std::move(conninfo).take_status();
    out.connect = std::move(conninfo).value();
    return out;
  }
  if (starts_with(url, "sqlite:")) {
    std::string_view rest = url.substr(7);
    out.dialect = Dialect::kSqlite;
    if (rest == ":memory:") {
      out.memory = true;
      out.connect = "db=:memory:";
      return out;
    }
    if (starts_with(rest, "//")) rest.remove_prefix(2);  // tolerate sqlite://PATH
    if (const std::size_t mark = rest.find('?'); mark != std::string_view::npos) {
      const std::string_view query = rest.substr(mark + 1);
      rest = rest.substr(0, mark);
      if (query == "synchronous=full" || query == "synchronous=FULL") {
        out.sync_every_commit = true;
      } else if (query == "synchronous=normal" || query == "synchronous=NORMAL") {
        out.sync_every_commit = false;
      } else {
        return Status(Code::kInvalidArgument,
                      "unknown SQLite store parameter '" + std::string(query) +
                          "' (supported: synchronous=full or synchronous=normal)");
      }
    }
    if (rest.empty()) {
      return Status(Code::kInvalidArgument, "store URL 'sqlite:' needs a file path");
    }
    if (rest.find('"') != std::string_view::npos) {
      return Status(Code::kInvalidArgument, "SQLite path must not contain '\"'");
    }
    out.path = std::string(rest);
    out.connect = "db=" + soci_quote(rest);
    return out;
  }
  return Status(Code::kInvalidArgument,
                "unknown store URL scheme in '" + redact_credentials(url) +
                    "' (expected sqlite:PATH, sqlite::memory: or postgresql://...)");
}

}  // namespace hearth::storage
