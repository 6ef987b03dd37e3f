// Hiding credentials in text that goes to a log or an error message: store URLs
// (postgresql://user:secret@host/db), libpq conninfo strings (password=secret, password =
// 'a b') and database error texts that quote either.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace hearth {

// `text` with the password of every "scheme://user:password@" and the value of every
// "password=" (case-insensitive; spaces around '=', a single-quoted value with \-escapes as
// libpq writes them) replaced by "***". Text without either comes back unchanged.
std::string redact_credentials(std::string_view text);

}  // namespace hearth
