// The HTTP Date header value ("Mon, 23 Nov 2026 18:15:20 GMT"), formatted at most once per
// second per thread: every response carries one, and formatting it each time is measurable on
// the read hot path.
//
// Thread-safety: the cache is thread-local; the returned view is valid until the calling
// thread's next call.
#pragma once

#include <string_view>

namespace hearth::server {

std::string_view current_http_date();

}  // namespace hearth::server
