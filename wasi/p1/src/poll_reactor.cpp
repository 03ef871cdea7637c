// WASI preview1 reactor: poll_oneoff with one subscription per watch, and the driver's clock.
#include "wasync/poll_reactor.hpp"

#include <wasi/api.h>

#include <string>

#include "wasi_errors.hpp"

namespace wasync {
namespace {

// Subscription userdata: a watch's key (fd * 2 + direction), or this for the clock.
constexpr __wasi_userdata_t clock_tag = ~__wasi_userdata_t{0};

__wasi_subscription_t clock_subscription(std::int64_t timeout_ns) noexcept {
  __wasi_subscription_t s{};
  s.userdata = clock_tag;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  // Relative: node:wasi never fires absolute MONOTONIC subscriptions.
  s.u.u.clock.timeout = static_cast<__wasi_timestamp_t>(timeout_ns);
  return s;
}

__wasi_subscription_t fd_subscription(int fd, bool for_write, __wasi_userdata_t tag) noexcept {
  __wasi_subscription_t s{};
  s.userdata = tag;
  if (for_write) {
    s.u.tag = __WASI_EVENTTYPE_FD_WRITE;
    s.u.u.fd_write.file_descriptor = static_cast<__wasi_fd_t>(fd);
  } else {
    s.u.tag = __WASI_EVENTTYPE_FD_READ;
    s.u.u.fd_read.file_descriptor = static_cast<__wasi_fd_t>(fd);
  }
  return s;
}

unsigned direction_bit(std::size_t key) noexcept { return (key & 1) ? io_writable : io_readable; }

}  // namespace

struct poll_reactor::poll_buffers {
  std::vector<__wasi_subscription_t> subscriptions;
  std::vector<__wasi_event_t> events;
  std::vector<std::size_t> ready_now;  ///< keys of always-ready watches
};

poll_reactor::poll_reactor() : buffers_(std::make_unique<poll_buffers>()) {}
poll_reactor::~poll_reactor() = default;

bool poll_reactor::poll(std::int64_t timeout) {
  poll_buffers& b = *buffers_;
  b.subscriptions.clear();
  b.ready_now.clear();
  for (const watch_entry& w : watches_) {
    if (w.always_ready) b.ready_now.push_back(key(w.fd, w.for_write));
    else b.subscriptions.push_back(fd_subscription(w.fd, w.for_write, key(w.fd, w.for_write)));
  }
  if (!b.ready_now.empty()) timeout = 0;
  // A zero timeout with nothing to poll needs no host call at all.
  if (timeout >= 0 && !(timeout == 0 && b.subscriptions.empty()))
    b.subscriptions.push_back(clock_subscription(timeout));

  bool clock_alone = false;
  if (!b.subscriptions.empty()) {
    b.events.resize(b.subscriptions.size());
    __wasi_size_t n = 0;
    const __wasi_errno_t rc =
        __wasi_poll_oneoff(b.subscriptions.data(), b.events.data(), b.subscriptions.size(), &n);
    if (rc != 0) {
      if (watches_.empty()) detail::fatal(detail::errno_error(rc, "wasi_host: poll_oneoff on the clock").message());
      recover_from_failed_poll();
      return false;
    }
    for (__wasi_size_t i = 0; i < n; ++i) {
      const __wasi_event_t& ev = b.events[i];
      if (ev.userdata == clock_tag) {
        clock_alone = n == 1;
        continue;
      }
      unsigned bits = direction_bit(ev.userdata);
      if (ev.fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP) bits |= io_hangup;
      // The watcher retries its read or write and meets the real error there.
      if (ev.error != 0) bits |= io_error;
      dispatch(ev.userdata, bits);
    }
  }
  for (std::size_t k : b.ready_now) dispatch(k, direction_bit(k));
  return clock_alone;
}

void poll_reactor::dispatch(std::size_t k, unsigned events) noexcept {
  // Looked up afresh: an earlier watcher's callback may have unwatched this one.
  if (k < slot_.size() && slot_[k] != 0) watches_[slot_[k] - 1].watcher->on_ready(events);
}

void poll_reactor::recover_from_failed_poll() noexcept {
  // node:wasi fails the whole poll_oneoff (errno 63, PERM) when one fd cannot be
  // polled (/dev/null, for one). Find such fds by polling each alone: reading or
  // writing them does not block, so from now on they are reported ready at once.
  poll_buffers& b = *buffers_;
  bool found = false;
  for (watch_entry& w : watches_) {
    if (w.always_ready) continue;
    const __wasi_subscription_t alone[2] = {fd_subscription(w.fd, w.for_write, 0), clock_subscription(0)};
    __wasi_event_t events[2];
    __wasi_size_t n = 0;
    if (__wasi_poll_oneoff(alone, events, 2, &n) != 0) {
      w.always_ready = true;
      found = true;
    }
  }
  if (found) return;
  // No single fd is to blame: report an error to every watcher rather than spin.
  b.ready_now.clear();
  for (const watch_entry& w : watches_) b.ready_now.push_back(key(w.fd, w.for_write));
  for (std::size_t k : b.ready_now) dispatch(k, direction_bit(k) | io_error);
}

error poll_reactor::watch(int fd, bool for_write, fd_watcher& w) {
  if (fd < 0) return error(errc::invalid_argument, "negative fd");
  __wasi_fdstat_t st;
  if (const __wasi_errno_t rc = __wasi_fd_fdstat_get(static_cast<__wasi_fd_t>(fd), &st); rc != 0)
    return detail::errno_error(rc, "cannot watch fd " + std::to_string(fd));
  const std::size_t k = key(fd, for_write);
  if (k >= slot_.size()) slot_.resize(k + 1, 0);
  if (slot_[k] != 0) return error(errc::invalid_state, "another task already waits on this fd in this direction");
  const bool file = st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE || st.fs_filetype == __WASI_FILETYPE_DIRECTORY;
  watches_.push_back({fd, for_write, file, &w});
  slot_[k] = static_cast<std::uint32_t>(watches_.size());
  return {};
}

void poll_reactor::unwatch(int fd, bool for_write) noexcept {
  const std::size_t k = key(fd, for_write);
  if (fd < 0 || k >= slot_.size() || slot_[k] == 0) return;
  const std::size_t pos = slot_[k] - 1;
  slot_[k] = 0;
  if (pos + 1 != watches_.size()) {
    watches_[pos] = watches_.back();
    slot_[key(watches_[pos].fd, watches_[pos].for_write)] = static_cast<std::uint32_t>(pos + 1);
  }
  watches_.pop_back();
}

}  // namespace wasync
