// The native host (Linux): epoll for fd readiness, one timerfd armed for the
// earliest deadline, an eventfd for notify(). Real native programs, the unit
// tests and the benchmarks run on it.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/host.hpp"

namespace wasync {

class native_host final : public host {
 public:
  native_host();
  ~native_host() override;
  native_host(const native_host&) = delete;
  native_host& operator=(const native_host&) = delete;

  time_point now() noexcept override;
  bool wait(std::optional<time_point> deadline) override;
  /// Wakes a blocked wait(); safe from other threads and signal handlers.
  void notify() noexcept override;

  /// Told when its fd is ready (EPOLLIN / EPOLLOUT / EPOLLERR / EPOLLHUP bits).
  struct watcher {
    virtual void on_ready(std::uint32_t events) noexcept = 0;
  };
  /// Watch `fd` for reading or writing; one watcher per direction and fd.
  void watch(int fd, bool for_write, watcher& w);
  void unwatch(int fd, bool for_write) noexcept;
  std::size_t watched() const noexcept { return watched_; }

  /// The host of the running loop, when it is a native_host (else fatal).
  static native_host& current();

 private:
  struct interest {
    watcher* reader = nullptr;
    watcher* writer = nullptr;
  };
  void update(int fd, interest& i);

  int epoll_fd_;
  int timer_fd_;
  int event_fd_;
  std::optional<time_point> armed_;  ///< what timer_fd_ is armed for
  std::unordered_map<int, interest> interests_;
  std::size_t watched_ = 0;
};

namespace detail {
struct fd_awaiter : leaf_awaiter, native_host::watcher {
  int fd;
  bool for_write;
  native_host* host = nullptr;
  std::uint32_t events = 0;

  fd_awaiter(int f, bool w) noexcept : fd(f), for_write(w) {}
  fd_awaiter(const fd_awaiter& o) noexcept : leaf_awaiter(o), watcher(), fd(o.fd), for_write(o.for_write) {}
  ~fd_awaiter() {
    if (host) host->unwatch(fd, for_write);
  }

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
    if (auto next = suspend(h)) return next;
    host = &native_host::current();
    host->watch(fd, for_write, *this);
    return coro::noop_coroutine();
  }
  void on_ready(std::uint32_t ev) noexcept override {
    events = ev;
    stop();
    complete(*this);
  }
  void stop() noexcept {
    if (host) std::exchange(host, nullptr)->unwatch(fd, for_write);
  }
  result<std::uint32_t> resume_result() {
    if (!err.ok()) return err;
    return events;
  }
  std::uint32_t await_resume() { return unwrap(resume_result()); }
};
}  // namespace detail

/// Waits until `fd` is readable; yields the epoll event bits. Cancelling unwatches it.
[[nodiscard]] inline detail::fd_awaiter readable(int fd) noexcept { return {fd, false}; }
/// Waits until `fd` is writable; yields the epoll event bits.
[[nodiscard]] inline detail::fd_awaiter writable(int fd) noexcept { return {fd, true}; }

}  // namespace wasync
