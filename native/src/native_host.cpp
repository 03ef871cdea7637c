// Native host: the driver (timerfd, eventfd) parks in its epoll reactor.
#include "wasync/native_host.hpp"

#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include "wasync/detail/fd_stream.hpp"
#include "wasync/detail/report_sink.hpp"
#include "wasync/run.hpp"

namespace wasync {
namespace {
int check(int rc, const char* what) {
  if (rc < 0) detail::fatal(std::string("native_host: ") + what + ": " + std::strerror(errno));
  return rc;
}
}  // namespace

native_host::native_host()
    : timer_(check(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), "timerfd_create"), this),
      wake_(check(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd"), this) {
  detail::install_stderr_writer(&detail::stderr_write_now);
  epoll_.watch_always(timer_.fd, timer_);
  epoll_.watch_always(wake_.fd, wake_);
}

native_host::~native_host() {
  close(wake_.fd);
  close(timer_.fd);
}

void native_host::drain_fd::on_ready(unsigned) noexcept {
  std::uint64_t count;
  [[maybe_unused]] auto r = ::read(fd, &count, sizeof count);
  if (this == &host->timer_) host->armed_.reset();
}

void* native_host::find_reactor(reactor_kind kind) noexcept {
  if (kind == reactor_kind::epoll) return &epoll_;
  if (kind == reactor_kind::fds) return static_cast<fd_reactor*>(&epoll_);
  return nullptr;
}

time_point native_host::now() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return time_point(duration(std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec));
}

void native_host::unpark() noexcept {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_.fd, &one, sizeof one);
}

bool native_host::park(std::optional<time_point> deadline) {
  // Remembered edges first; their watchers run before the next epoll_wait.
  if (epoll_.deliver_remembered()) return true;
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
      check(timerfd_settime(timer_.fd, TFD_TIMER_ABSTIME, &spec, nullptr), "timerfd_settime");
      armed_ = deadline;
    }
  } else if (epoll_.watched() == 0) {
    return false;  // nothing could ever wake us
  }
  epoll_.poll(timeout_ms);
  return true;
}

driver& default_host() {
  static native_host h;
  return h;
}

}  // namespace wasync
