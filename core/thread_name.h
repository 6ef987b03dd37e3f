// Names the calling thread (at most 15 bytes show) so that `top -H`, `ps -L` and profilers tell
// Hearth's threads apart: the HTTP io threads, the SQLite committer, the WAL checkpointer, ...
// Best effort: a name the platform refuses is ignored. Thread-safety: names only the caller.
#pragma once

namespace hearth {

void set_thread_name(const char* name);

}  // namespace hearth
