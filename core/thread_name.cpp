#include "core/thread_name.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace hearth {

void set_thread_name(const char* name) {
  // Linux refuses names of 16 bytes or more (ERANGE) instead of cutting them.
  const std::string cut(name, std::min<std::size_t>(std::strlen(name), 15));
  pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace hearth
