// WASI preview2 host: one wasi:io/poll.poll per wait over the watched pollables
// plus a subscribe-duration pollable for the earliest timer.
#include "wasync/wasip2_host.hpp"

#include "wasip2.h"
#include "wasync/run.hpp"

namespace wasync {

time_point wasip2_host::now() noexcept {
  return time_point(duration(static_cast<std::int64_t>(wasi_clocks_monotonic_clock_now())));
}

bool wasip2_host::wait(std::optional<time_point> deadline) {
  if (!deadline && watches_.empty()) return false;  // nothing could ever wake us
  std::uint64_t timeout = 0;
  if (deadline) {
    // Compared before subtracting: run_until_done polls with time_point::min().
    const time_point t = now();
    if (*deadline > t) timeout = static_cast<std::uint64_t>((*deadline - t).count());
    // A due timer with nothing to poll needs no host call at all.
    if (timeout == 0 && watches_.empty()) return true;
  }
  poll_list_.clear();
  for (const watch_entry& w : watches_) poll_list_.push_back(w.pollable);
  wasi_io_poll_own_pollable_t clock{-1};
  if (deadline) {
    clock = wasi_clocks_monotonic_clock_subscribe_duration(timeout);
    poll_list_.push_back(clock.__handle);
  }
  // A borrow is the handle itself: the list is passed as it is.
  static_assert(sizeof(wasi_io_poll_borrow_pollable_t) == sizeof(std::int32_t));
  wasi_io_poll_list_borrow_pollable_t in{reinterpret_cast<wasi_io_poll_borrow_pollable_t*>(poll_list_.data()),
                                         poll_list_.size()};
  wasip2_list_u32_t ready;
  wasi_io_poll_poll(&in, &ready);
  ++polls_;
  ready_.clear();
  for (std::size_t i = 0; i < ready.len; ++i) {
    const std::size_t at = ready.ptr[i];
    if (at < watches_.size()) ready_.push_back(poll_list_[at]);
  }
  wasip2_list_u32_free(&ready);
  if (clock.__handle >= 0) wasi_io_poll_pollable_drop_own(clock);
  for (std::int32_t p : ready_) dispatch(p);
  return true;
}

void wasip2_host::dispatch(std::int32_t pollable) noexcept {
  // Looked up afresh: an earlier watcher's callback may have unwatched this one.
  const auto k = static_cast<std::size_t>(pollable);
  if (k < slot_.size() && slot_[k] != 0) watches_[slot_[k] - 1].watcher->on_ready(io_readable);
}

error wasip2_host::watch(int pollable, bool, fd_watcher& w) {
  if (pollable < 0) return error(errc::invalid_argument, "negative pollable handle");
  const auto k = static_cast<std::size_t>(pollable);
  if (k >= slot_.size()) slot_.resize(k + 1, 0);
  if (slot_[k] != 0) return error(errc::invalid_state, "another task already waits on this pollable");
  watches_.push_back({pollable, &w});
  slot_[k] = static_cast<std::uint32_t>(watches_.size());
  return {};
}

void wasip2_host::unwatch(int pollable, bool) noexcept {
  const auto k = static_cast<std::size_t>(pollable);
  if (pollable < 0 || k >= slot_.size() || slot_[k] == 0) return;
  const std::size_t pos = slot_[k] - 1;
  slot_[k] = 0;
  if (pos + 1 != watches_.size()) {
    watches_[pos] = watches_.back();
    slot_[static_cast<std::size_t>(watches_[pos].pollable)] = static_cast<std::uint32_t>(pos + 1);
  }
  watches_.pop_back();
}

host& default_host() {
  static wasip2_host h;
  return h;
}

}  // namespace wasync
