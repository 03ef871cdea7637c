// Native host: epoll + timerfd + eventfd.
#include "wasync/native_host.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "wasync/detail/fd_stream.hpp"
#include "wasync/detail/report_sink.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/run.hpp"

namespace wasync {
namespace {
void check(int rc, const char* what) {
  if (rc < 0) detail::fatal(std::string("native_host: ") + what + ": " + std::strerror(errno));
}
// epoll data for the host's own fds; watched fds use their fd number.
constexpr std::uint64_t timer_tag = ~std::uint64_t{0};
constexpr std::uint64_t event_tag = ~std::uint64_t{0} - 1;
}  // namespace

native_host::native_host()
    : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
      timer_fd_(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)),
      event_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  check(epoll_fd_, "epoll_create1");
  check(timer_fd_, "timerfd_create");
  check(event_fd_, "eventfd");
  detail::install_stderr_writer(&detail::stderr_write_now);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = timer_tag;
  check(epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &ev), "epoll_ctl(timerfd)");
  ev.data.u64 = event_tag;
  check(epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, event_fd_, &ev), "epoll_ctl(eventfd)");
}

native_host::~native_host() {
  close(event_fd_);
  close(timer_fd_);
  close(epoll_fd_);
}

time_point native_host::now() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return time_point(duration(std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec));
}

void native_host::notify() noexcept {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(event_fd_, &one, sizeof one);
}

bool native_host::wait(std::optional<time_point> deadline) {
  if (!pending_.empty()) {
    // Remembered edges first; their watchers run before the next epoll_wait.
    std::vector<pending_event> batch;
    batch.swap(pending_);
    for (const pending_event& p : batch) {
      auto it = interests_.find(p.fd);
      if (it == interests_.end()) continue;
      // A watcher cancelled since watch_edge() is not told.
      fd_watcher* w = p.for_write ? it->second.writer : it->second.reader;
      if (w == p.watcher) w->on_ready(p.events);
    }
    return true;
  }
  int timeout_ms = -1;
  if (deadline) {
    if (*deadline <= now()) {
      timeout_ms = 0;
    } else if (armed_ != deadline) {
      // One kernel timer, re-armed only when the earliest deadline changes.
      itimerspec spec{};
      const auto ns = deadline->time_since_epoch().count();
      spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
      spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
      check(timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr), "timerfd_settime");
      armed_ = deadline;
    }
  } else if (watched_ == 0) {
    return false;  // nothing could ever wake us
  }
  epoll_event events[64];
  int n;
  do {
    n = epoll_wait(epoll_fd_, events, 64, timeout_ms);
  } while (n < 0 && errno == EINTR);
  check(n, "epoll_wait");
  for (int i = 0; i < n; ++i) {
    const std::uint64_t tag = events[i].data.u64;
    if (tag == timer_tag || tag == event_tag) {
      std::uint64_t count;
      [[maybe_unused]] auto r = ::read(tag == timer_tag ? timer_fd_ : event_fd_, &count, sizeof count);
      if (tag == timer_tag) armed_.reset();
      continue;
    }
    const int fd = static_cast<int>(tag);
    const std::uint32_t ev = events[i].events;
    const unsigned seen = ((ev & EPOLLIN) ? io_readable : 0u) | ((ev & EPOLLOUT) ? io_writable : 0u) |
                          ((ev & (EPOLLHUP | EPOLLRDHUP)) ? io_hangup : 0u) | ((ev & EPOLLERR) ? io_error : 0u);
    auto it = interests_.find(fd);
    if (it == interests_.end()) continue;
    if (it->second.edge) {
      // Edge-triggered: nothing to re-arm; an edge nobody waits for is kept.
      if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
        if (fd_watcher* r = it->second.reader) r->on_ready(seen);
        else it->second.read_ready |= seen;
      }
      it = interests_.find(fd);
      if (it == interests_.end()) continue;
      if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
        if (fd_watcher* w = it->second.writer) w->on_ready(seen);
        else it->second.write_ready |= seen;
      }
      continue;
    }
    it->second.armed = 0;  // one-shot: the kernel disarmed it
    // The reader's callback may unwatch or watch the writer; look the interest up again.
    if (fd_watcher* r = it->second.reader; r && (ev & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP))) r->on_ready(seen);
    it = interests_.find(fd);
    if (it == interests_.end()) continue;
    if (fd_watcher* w = it->second.writer; w && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) w->on_ready(seen);
    // A watcher that was not told (the other direction) waits on.
    it = interests_.find(fd);
    if (it != interests_.end() && (it->second.reader || it->second.writer)) arm(fd, it->second);
  }
  return true;
}

int native_host::arm(int fd, interest& i) noexcept {
  const std::uint32_t want =
      (i.reader ? std::uint32_t{EPOLLIN | EPOLLRDHUP} : 0u) | (i.writer ? std::uint32_t{EPOLLOUT} : 0u);
  if (want == 0 || i.armed == want) return 0;
  epoll_event ev{};
  ev.data.u64 = static_cast<std::uint64_t>(fd);
  ev.events = want | EPOLLONESHOT;
  int rc = epoll_ctl(epoll_fd_, i.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
  // Closing an fd removes it from epoll; the same number may be a new file now.
  if (rc < 0 && i.registered && errno == ENOENT) rc = epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  else if (rc < 0 && !i.registered && errno == EEXIST) rc = epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
  if (rc < 0) {
    i.registered = false;
    i.armed = 0;
    return errno;
  }
  i.registered = true;
  i.armed = want;
  return 0;
}

namespace {
error watch_error(int e) {
  return error(e == EBADF ? errc::invalid_argument : errc::not_supported,
               std::string("cannot watch fd: ") + std::strerror(e));
}
error busy_error() { return error(errc::invalid_state, "another task already waits on this fd in this direction"); }
}  // namespace

error native_host::watch(int fd, bool for_write, fd_watcher& w) {
  interest& i = interests_[fd];
  fd_watcher*& slot = for_write ? i.writer : i.reader;
  if (slot) return busy_error();
  slot = &w;
  if (i.edge) {
    // Back to one-shot: its level semantics (ready now means told now) need a re-arm.
    i.edge = false;
    i.armed = 0;
  }
  if (const int e = arm(fd, i); e != 0) {
    slot = nullptr;
    return watch_error(e);
  }
  ++watched_;
  return {};
}

error native_host::watch_edge(int fd, bool for_write, fd_watcher& w) {
  interest& i = interests_[fd];
  fd_watcher*& slot = for_write ? i.writer : i.reader;
  if (slot) return busy_error();
  if (!i.edge || !i.registered) {
    epoll_event ev{};
    ev.data.u64 = static_cast<std::uint64_t>(fd);
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    int rc = epoll_ctl(epoll_fd_, i.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
    if (rc < 0 && i.registered && errno == ENOENT) rc = epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
    else if (rc < 0 && !i.registered && errno == EEXIST) rc = epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
    if (rc < 0) {
      const int e = errno;
      i = interest{.reader = i.reader, .writer = i.writer};
      return watch_error(e);
    }
    // The kernel reports the fd's current readiness as a first edge.
    i.registered = true;
    i.edge = true;
    i.armed = 0;
    i.read_ready = i.write_ready = 0;
  }
  slot = &w;
  ++watched_;
  if (unsigned& ready = for_write ? i.write_ready : i.read_ready; ready != 0)
    pending_.push_back({fd, for_write, &w, std::exchange(ready, 0u)});
  return {};
}

void native_host::fresh_fd(int fd) noexcept {
  auto it = interests_.find(fd);
  if (it == interests_.end()) return;
  interest& i = it->second;
  i = interest{.reader = i.reader, .writer = i.writer};
}

void native_host::unwatch(int fd, bool for_write) noexcept {
  auto it = interests_.find(fd);
  if (it == interests_.end()) return;
  fd_watcher*& slot = for_write ? it->second.writer : it->second.reader;
  if (!slot) return;
  slot = nullptr;
  --watched_;
  // Still armed: the fd may be closed and its number reused before the next
  // watch, so that watch must ask the kernel again (MOD, or ADD after ENOENT).
  it->second.armed = 0;
}

host& default_host() {
  static native_host h;
  return h;
}

}  // namespace wasync
