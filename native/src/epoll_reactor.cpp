// The native reactor: epoll, one-shot level waits and persistent edge waits.
#include "wasync/epoll_reactor.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace wasync {
namespace {
error watch_error(int e) {
  return error(e == EBADF ? errc::invalid_argument : errc::not_supported,
               std::string("cannot watch fd: ") + std::strerror(e));
}
error busy_error() { return error(errc::invalid_state, "another task already waits on this fd in this direction"); }
}  // namespace

epoll_reactor::epoll_reactor() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) detail::fatal(std::string("epoll_create1: ") + std::strerror(errno));
}

epoll_reactor::~epoll_reactor() { close(epoll_fd_); }

int epoll_reactor::control(int fd, interest& i, std::uint32_t events) noexcept {
  epoll_event ev{};
  ev.data.u64 = static_cast<std::uint64_t>(fd);
  ev.events = events;
  int rc = epoll_ctl(epoll_fd_, i.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
  // Closing an fd removes it from epoll; the same number may be a new file now.
  if (rc < 0 && i.registered && errno == ENOENT) rc = epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  else if (rc < 0 && !i.registered && errno == EEXIST) rc = epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
  return rc < 0 ? errno : 0;
}

void epoll_reactor::watch_always(int fd, fd_watcher& w) {
  interest& i = interests_[fd];
  i.reader = &w;
  i.always = true;
  if (const int e = control(fd, i, EPOLLIN); e != 0) detail::fatal(std::string("epoll_ctl: ") + std::strerror(e));
  i.registered = true;
}

bool epoll_reactor::deliver_remembered() {
  if (pending_.empty()) return false;
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

void epoll_reactor::poll(int timeout_ms) {
  epoll_event events[64];
  int n;
  do {
    n = epoll_wait(epoll_fd_, events, 64, timeout_ms);
  } while (n < 0 && errno == EINTR);
  if (n < 0) detail::fatal(std::string("epoll_wait: ") + std::strerror(errno));
  for (int i = 0; i < n; ++i) dispatch(static_cast<int>(events[i].data.u64), events[i].events);
}

void epoll_reactor::dispatch(int fd, std::uint32_t ev) {
  const unsigned seen = ((ev & EPOLLIN) ? io_readable : 0u) | ((ev & EPOLLOUT) ? io_writable : 0u) |
                        ((ev & (EPOLLHUP | EPOLLRDHUP)) ? io_hangup : 0u) | ((ev & EPOLLERR) ? io_error : 0u);
  auto it = interests_.find(fd);
  if (it == interests_.end()) return;
  if (it->second.always) {
    it->second.reader->on_ready(seen);
    return;
  }
  if (it->second.edge) {
    // Edge-triggered: nothing to re-arm; an edge nobody waits for is kept.
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
      if (fd_watcher* r = it->second.reader) r->on_ready(seen);
      else it->second.read_ready |= seen;
    }
    it = interests_.find(fd);
    if (it == interests_.end()) return;
    if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
      if (fd_watcher* w = it->second.writer) w->on_ready(seen);
      else it->second.write_ready |= seen;
    }
    return;
  }
  it->second.armed = 0;  // one-shot: the kernel disarmed it
  // The reader's callback may unwatch or watch the writer; look the interest up again.
  if (fd_watcher* r = it->second.reader; r && (ev & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP))) r->on_ready(seen);
  it = interests_.find(fd);
  if (it == interests_.end()) return;
  if (fd_watcher* w = it->second.writer; w && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) w->on_ready(seen);
  // A watcher that was not told (the other direction) waits on.
  it = interests_.find(fd);
  if (it != interests_.end() && (it->second.reader || it->second.writer)) arm(fd, it->second);
}

int epoll_reactor::arm(int fd, interest& i) noexcept {
  const std::uint32_t want =
      (i.reader ? std::uint32_t{EPOLLIN | EPOLLRDHUP} : 0u) | (i.writer ? std::uint32_t{EPOLLOUT} : 0u);
  if (want == 0 || i.armed == want) return 0;
  if (const int e = control(fd, i, want | EPOLLONESHOT); e != 0) {
    i.registered = false;
    i.armed = 0;
    return e;
  }
  i.registered = true;
  i.armed = want;
  return 0;
}

error epoll_reactor::watch(int fd, bool for_write, fd_watcher& w) {
  interest& i = interests_[fd];
  fd_watcher*& slot = for_write ? i.writer : i.reader;
  if (slot || i.always) return busy_error();
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

error epoll_reactor::watch_edge(int fd, bool for_write, fd_watcher& w) {
  interest& i = interests_[fd];
  fd_watcher*& slot = for_write ? i.writer : i.reader;
  if (slot || i.always) return busy_error();
  if (!i.edge || !i.registered) {
    if (const int e = control(fd, i, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET); e != 0) {
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

void epoll_reactor::fresh_fd(int fd) noexcept {
  auto it = interests_.find(fd);
  if (it == interests_.end()) return;
  interest& i = it->second;
  i = interest{.reader = i.reader, .writer = i.writer};
}

void epoll_reactor::unwatch(int fd, bool for_write) noexcept {
  auto it = interests_.find(fd);
  if (it == interests_.end() || it->second.always) return;
  fd_watcher*& slot = for_write ? it->second.writer : it->second.reader;
  if (!slot) return;
  slot = nullptr;
  --watched_;
  // Still armed: the fd may be closed and its number reused before the next
  // watch, so that watch must ask the kernel again (MOD, or ADD after ENOENT).
  it->second.armed = 0;
}

}  // namespace wasync
