// WASI preview2 host: one wasi:io/poll.poll per wait over the watched pollables
// plus a subscribe-duration pollable for the earliest timer.
#include "wasync/wasip2_host.hpp"

#include <string>

#include "stdio_handles.hpp"
#include "wasip2.h"
#include "wasync/detail/fd_stream.hpp"
#include "wasync/detail/report_sink.hpp"
#include "wasync/run.hpp"

namespace wasync {

wasip2_host::wasip2_host() { detail::install_stderr_writer(&detail::stderr_write_now); }

wasip2_host::~wasip2_host() {
  for (const watch_entry& w : watches_)
    if (w.fd_key >= 0) wasi_io_poll_pollable_drop_own({w.pollable});
}

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
  if (k >= slot_.size() || slot_[k] == 0) return;
  const watch_entry& w = watches_[slot_[k] - 1];
  w.watcher->on_ready(w.fd_key >= 0 && (w.fd_key & 1) ? io_writable : io_readable);
}

error wasip2_host::watch_pollable(std::int32_t pollable, fd_watcher& w) {
  if (pollable < 0) return error(errc::invalid_argument, "negative pollable handle");
  const auto k = static_cast<std::size_t>(pollable);
  if (k >= slot_.size()) slot_.resize(k + 1, 0);
  if (slot_[k] != 0) return error(errc::invalid_state, "another task already waits on this pollable");
  watches_.push_back({pollable, &w, -1});
  slot_[k] = static_cast<std::uint32_t>(watches_.size());
  return {};
}

void wasip2_host::remove(std::int32_t pollable) noexcept {
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

void wasip2_host::unwatch_pollable(std::int32_t pollable) noexcept { remove(pollable); }

error wasip2_host::watch(int fd, bool for_write, fd_watcher& w) {
  const bool usable = for_write ? fd == 1 || fd == 2 : fd == 0;
  if (!usable)
    return error(errc::invalid_argument, "cannot watch fd " + std::to_string(fd) +
                                             (for_write ? " for writing" : " for reading") +
                                             ": the WASI preview2 reactor has only the standard streams");
  const int key = fd * 2 + (for_write ? 1 : 0);
  if (fd_pollable_[key] >= 0)
    return error(errc::invalid_state, "another task already waits on this fd in this direction");
  const std::int32_t stream = detail::stdio_handle(fd);
  const std::int32_t p = for_write ? wasi_io_streams_method_output_stream_subscribe({stream}).__handle
                                   : wasi_io_streams_method_input_stream_subscribe({stream}).__handle;
  if (error e = watch_pollable(p, w); !e.ok()) {
    wasi_io_poll_pollable_drop_own({p});
    return e;
  }
  watches_.back().fd_key = key;
  fd_pollable_[key] = p;
  return {};
}

void wasip2_host::unwatch(int fd, bool for_write) noexcept {
  const int key = fd * 2 + (for_write ? 1 : 0);
  if (fd < 0 || key >= 6 || fd_pollable_[key] < 0) return;
  const std::int32_t p = std::exchange(fd_pollable_[key], -1);
  remove(p);
  wasi_io_poll_pollable_drop_own({p});
}

host& default_host() {
  static wasip2_host h;
  return h;
}

}  // namespace wasync
