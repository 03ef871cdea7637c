// readable(fd) / writable(fd): wait until a host fd is ready, on any host that
// has fds (native epoll, WASI poll_oneoff). Cancelling stops watching it.
#pragma once

#include <utility>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/host.hpp"

namespace wasync {
namespace detail {

struct fd_awaiter : leaf_awaiter, fd_watcher {
  int fd;
  bool for_write;
  bool edge = false;  ///< host::watch_edge: the owner retries after EAGAIN
  host* watching = nullptr;
  unsigned events = 0;

  fd_awaiter(int f, bool w, bool e = false) noexcept : fd(f), for_write(w), edge(e) {}
  fd_awaiter(const fd_awaiter& o) noexcept
      : leaf_awaiter(o), fd_watcher(), fd(o.fd), for_write(o.for_write), edge(o.edge) {}
  ~fd_awaiter() { stop(); }

  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = for_write ? "fd writable" : "fd readable";
    on_cancel = [](wait_node& n, error why) {
      auto& a = static_cast<fd_awaiter&>(n);
      a.stop();
      a.err = std::move(why);
      complete(a);
    };
    host& hst = loop().host();
    if (fd < 0) err = error(errc::invalid_argument, "negative fd");
    else if (err = edge ? hst.watch_edge(fd, for_write, *this) : hst.watch(fd, for_write, *this); err.ok())
      watching = &hst;
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
  result<unsigned> resume_result() {
    if (!err.ok()) return err;
    return events;
  }
  unsigned await_resume() { return unwrap(resume_result()); }
};

}  // namespace detail

/// Waits until `fd` is readable (or hung up); yields the io_events seen.
[[nodiscard]] inline detail::fd_awaiter readable(int fd) noexcept { return {fd, false}; }
/// Waits until `fd` is writable; yields the io_events seen.
[[nodiscard]] inline detail::fd_awaiter writable(int fd) noexcept { return {fd, true}; }

}  // namespace wasync
