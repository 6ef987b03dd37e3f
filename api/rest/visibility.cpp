// filter_visible: the one place a later security layer decides what a requester is shown.
#include "api/rest/visibility.h"

namespace hearth::api {

void filter_visible(const Request& /*request*/,
                    std::vector<storage::ResourceVersion>& /*resources*/) {
  // No authorisation yet: everything stored is visible to every request.
}

}  // namespace hearth::api
