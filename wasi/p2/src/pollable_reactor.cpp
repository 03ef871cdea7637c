// WASI preview2 reactor: the watched pollables in one wasi:io/poll.poll.
#include "wasync/pollable_reactor.hpp"

#include "wasip2.h"

namespace wasync {

void pollable_reactor::poll(std::optional<std::int32_t> clock) {
  poll_list_.clear();
  for (const watch_entry& w : watches_) poll_list_.push_back(w.pollable);
  if (clock) poll_list_.push_back(*clock);
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
  for (std::int32_t p : ready_) dispatch(p);
}

void pollable_reactor::dispatch(std::int32_t pollable) noexcept {
  // Looked up afresh: an earlier watcher's callback may have unwatched this one.
  const auto k = static_cast<std::size_t>(pollable);
  if (k >= slot_.size() || slot_[k] == 0) return;
  watches_[slot_[k] - 1].watcher->on_ready(io_readable);
}

error pollable_reactor::watch(std::int32_t pollable, fd_watcher& w) {
  if (pollable < 0) return error(errc::invalid_argument, "negative pollable handle");
  const auto k = static_cast<std::size_t>(pollable);
  if (k >= slot_.size()) slot_.resize(k + 1, 0);
  if (slot_[k] != 0) return error(errc::invalid_state, "another task already waits on this pollable");
  watches_.push_back({pollable, &w});
  slot_[k] = static_cast<std::uint32_t>(watches_.size());
  return {};
}

void pollable_reactor::unwatch(std::int32_t pollable) noexcept {
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

}  // namespace wasync
