// readable(fd) / writable(fd): wait until a host fd is ready, on any host that
// has an fd_reactor (native epoll, WASI preview1 poll_oneoff); elsewhere the
// wait fails with errc::not_supported. Cancelling stops watching it.
#pragma once

#include <utility>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/fd_reactor.hpp"

namespace wasync {
namespace detail {

/// A level wait: the fd_reactor's plain watch().
struct level_watch {
  using reactor_type = fd_reactor;
  static error watch(fd_reactor& r, int fd, bool for_write, fd_watcher& w) { return r.watch(fd, for_write, w); }
};

/// Waits for one fd and direction through the host's reactor of type
/// Watch::reactor_type (a host's own awaiters pick a reactor with more ways
/// to watch, such as the native edge-triggered one).
template <class Watch>
struct basic_fd_awaiter : leaf_awaiter, fd_watcher {
  using reactor_type = typename Watch::reactor_type;
  int fd;
  bool for_write;
  reactor_type* watching = nullptr;
  unsigned events = 0;

  basic_fd_awaiter(int f, bool w) noexcept : fd(f), for_write(w) {}
  basic_fd_awaiter(const basic_fd_awaiter& o) noexcept : leaf_awaiter(o), fd_watcher(), fd(o.fd), for_write(o.for_write) {}
  ~basic_fd_awaiter() { stop(); }

  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = for_write ? "fd writable" : "fd readable";
    on_cancel = [](wait_node& n, error why) {
      auto& a = static_cast<basic_fd_awaiter&>(n);
      a.stop();
      a.err = std::move(why);
      complete(a);
    };
    reactor_type* r = loop().driver().template reactor<reactor_type>();
    if (fd < 0) err = error(errc::invalid_argument, "negative fd");
    else if (!r) err = error(errc::not_supported, "this host has no file descriptors");
    else if (err = Watch::watch(*r, fd, for_write, *this); err.ok()) watching = r;
    if (auto next = suspend(h)) {
      stop();
      return next;
    }
    return coro::noop_coroutine();
  }
  void on_ready(unsigned ev) noexcept override {
    events = ev;
    stop();
    complete(*this);
  }
  void stop() noexcept {
    if (watching) std::exchange(watching, nullptr)->unwatch(fd, for_write);
  }
  /// Ends a parked wait from outside (its socket being closed) with `why`;
  /// nothing when it is not parked (or already woken).
  void abort(error why) noexcept {
    if (watching) on_cancel(*this, std::move(why));
  }
  result<unsigned> resume_result() {
    if (!err.ok()) return err;
    return events;
  }
  unsigned await_resume() { return unwrap(resume_result()); }
};

using fd_awaiter = basic_fd_awaiter<level_watch>;

}  // namespace detail

/// Waits until `fd` is readable (or hung up); yields the io_events seen.
[[nodiscard]] inline detail::fd_awaiter readable(int fd) noexcept { return {fd, false}; }
/// Waits until `fd` is writable; yields the io_events seen.
[[nodiscard]] inline detail::fd_awaiter writable(int fd) noexcept { return {fd, true}; }

}  // namespace wasync
