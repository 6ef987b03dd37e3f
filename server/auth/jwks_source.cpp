// The refresh rules of jwks_source.h. A refetch that returns the same text changes nothing (no
// new generation), so a provider that rotates rarely costs the token cache nothing.
#include "server/auth/jwks_source.h"

#include <algorithm>

namespace hearth::server::auth {
namespace {

std::int64_t micros(std::chrono::seconds s) {
  return std::chrono::duration_cast<std::chrono::microseconds>(s).count();
}

}  // namespace

std::shared_ptr<JwksSource> JwksSource::fixed(std::shared_ptr<const Jwks> keys) {
  std::shared_ptr<JwksSource> source(new JwksSource());
  source->keys_ = std::move(keys);
  return source;
}

Result<std::shared_ptr<JwksSource>> JwksSource::fetched(JwksFetch fetch, const Clock& clock,
                                                        JwksRefresh refresh,
                                                        std::function<void(std::string_view)> log) {
  std::shared_ptr<JwksSource> source(new JwksSource());
  source->fetch_ = std::move(fetch);
  source->clock_ = &clock;
  source->refresh_ = refresh;
  source->log_ = std::move(log);
  std::lock_guard fetching(source->fetch_mutex_);
  HEARTH_RETURN_IF_ERROR(source->refetch(clock.now_micros()));
  return source;
}

std::shared_ptr<const Jwks> JwksSource::current() const {
  std::lock_guard lock(state_mutex_);
  return keys_;
}

std::shared_ptr<const Jwks> JwksSource::keys() {
  if (!fetch_) return current();
  const std::int64_t now = clock_->now_micros();
  {
    std::lock_guard lock(state_mutex_);
    if (now - fetched_at_ < micros(refresh_.max_age)) return keys_;
  }
  // Stale: one caller refetches; the others go on with the keys they have.
  std::unique_lock fetching(fetch_mutex_, std::try_to_lock);
  if (fetching.owns_lock()) {
    std::unique_lock lock(state_mutex_);
    const bool still_stale = now - fetched_at_ >= micros(refresh_.max_age);
    lock.unlock();
    if (still_stale) (void)refetch(now);
  }
  return current();
}

std::shared_ptr<const Jwks> JwksSource::keys_for_unknown_kid() {
  if (!fetch_) return current();
  // A fetch in flight: go on with the keys as they are rather than wait for it, so unknown
  // kids can hold at most one thread (the fetching one) however many arrive.
  std::unique_lock fetching(fetch_mutex_, std::try_to_lock);
  if (!fetching.owns_lock()) return current();
  const std::int64_t now = clock_->now_micros();
  if (kid_refetch_at_ && now - *kid_refetch_at_ < micros(refresh_.unknown_kid_interval)) {
    return current();
  }
  kid_refetch_at_ = now;
  (void)refetch(now);
  return current();
}

Status JwksSource::refetch(std::int64_t now) {
  fetches_.fetch_add(1);
  Result<std::string> text = fetch_();
  Status failed = Status::ok();
  if (!text) {
    failed = text.status();
  } else {
    {
      std::lock_guard lock(state_mutex_);
      if (keys_ != nullptr && *text == text_) {
        fetched_at_ = now;
        return Status::ok();
      }
    }
    Result<Jwks> parsed = Jwks::parse(*text);
    if (parsed) {
      auto keys = std::make_shared<const Jwks>(std::move(parsed).value());
      std::lock_guard lock(state_mutex_);
      keys_ = std::move(keys);
      text_ = std::move(text).value();
      fetched_at_ = now;
      generation_.fetch_add(1);
      return Status::ok();
    }
    failed = parsed.status();
  }
  // Keep the old keys; try again after max_age/10 rather than on every request.
  bool kept = false;
  {
    std::lock_guard lock(state_mutex_);
    if (keys_ != nullptr) {
      fetched_at_ = std::max(fetched_at_, now - micros(refresh_.max_age) * 9 / 10);
      kept = true;
    }
  }
  if (log_ && kept) {
    log_("JWKS refetch failed, keeping the keys fetched before: " + failed.message());
  }
  return failed;
}

}  // namespace hearth::server::auth
