// The process's one set of store instruments, never destroyed (a committer thread may record
// until the process ends).
#include "storage/store_metrics.h"

namespace hearth::storage {

StoreMetrics& store_metrics() {
  static StoreMetrics* const instance = new StoreMetrics();
  return *instance;
}

}  // namespace hearth::storage
