// The archive's status names (the `status` column).
#include "storage/message_archive.h"

namespace hearth::storage {

std::string_view message_status_text(MessageStatus status) {
  switch (status) {
    case MessageStatus::kAccepted: return "accepted";
    case MessageStatus::kRejected: return "rejected";
    case MessageStatus::kError: return "error";
  }
  return "error";
}

std::optional<MessageStatus> parse_message_status(std::string_view text) {
  if (text == "accepted") return MessageStatus::kAccepted;
  if (text == "rejected") return MessageStatus::kRejected;
  if (text == "error") return MessageStatus::kError;
  return std::nullopt;
}

}  // namespace hearth::storage
