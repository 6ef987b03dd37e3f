// Internal to storage/: preparing a SOCI statement whose inputs and outputs were exchanged first
// (use()/into() bound to members that outlive it), so that each execute() sends only the values:
// PostgreSQL keeps the plan of a prepared statement, SQLite its compiled program.
#pragma once

#include <soci/soci.h>

#include <string>

namespace hearth::storage::detail {

// Prepares `st` from `text` with the exchanges already made. SOCI errors propagate.
inline void prepare_statement(soci::statement& st, const std::string& text) {
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
}

}  // namespace hearth::storage::detail
