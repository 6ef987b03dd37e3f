// Reads beside an operation's resource, held to the grant (reachable_read.h).
#include "api/rest/reachable_read.h"

namespace hearth::api {

Result<std::string> read_reachable(const InteractionContext& ctx, std::string_view type,
                                   std::string_view id) {
  Route route = ctx.route;
  route.interaction = Interaction::kRead;
  route.type = std::string(type);
  route.id = std::string(id);
  const InteractionContext sub{ctx.store, ctx.reader, ctx.clock,  ctx.ids,     ctx.request,
                               route,     ctx.format, ctx.limits, ctx.security};
  HEARTH_RETURN_IF_ERROR(require_reachable(sub));
  HEARTH_ASSIGN_OR_RETURN(storage::ResourceVersion found, ctx.reader.read(type, id));
  return std::move(found.body);
}

std::pair<std::string, std::string> type_and_id(std::string_view reference) {
  if (const std::size_t history = reference.find("/_history/"); history != std::string::npos) {
    reference = reference.substr(0, history);
  }
  const std::size_t slash = reference.rfind('/');
  if (slash == std::string_view::npos) return {};
  const std::string_view id = reference.substr(slash + 1);
  std::string_view head = reference.substr(0, slash);
  const std::size_t type_start = head.rfind('/');
  if (type_start != std::string_view::npos) head = head.substr(type_start + 1);
  return {std::string(head), std::string(id)};
}

}  // namespace hearth::api
