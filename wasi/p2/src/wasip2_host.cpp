// WASI preview2 host: the driver's clock pollable, polled with its reactor's.
#include "wasync/wasip2_host.hpp"

#include "wasip2.h"
#include "wasync/detail/fd_stream.hpp"
#include "wasync/detail/report_sink.hpp"
#include "wasync/run.hpp"

namespace wasync {

wasip2_host::wasip2_host() { detail::install_stderr_writer(&detail::stderr_write_now); }

time_point wasip2_host::now() noexcept {
  return time_point(duration(static_cast<std::int64_t>(wasi_clocks_monotonic_clock_now())));
}

bool wasip2_host::park(std::optional<time_point> deadline) {
  const bool io = pollables_.watched() != 0;
  if (!deadline && !io) return false;  // nothing could ever wake us
  if (!deadline) {
    pollables_.poll(std::nullopt);
    return true;
  }
  // Due already: a timer, or run_until_done's poll with time_point::min().
  const bool due = *deadline <= now();
  // A due timer with nothing to poll needs no host call at all.
  if (due && !io) return true;
  // An instant already past (0) is ready at once.
  const std::uint64_t at = due ? 0 : static_cast<std::uint64_t>(deadline->time_since_epoch().count());
  pollables_.poll(clock_at(at));
  return true;
}

std::int32_t wasip2_host::clock_at(std::uint64_t instant) noexcept {
  if (clock_ >= 0 && clock_instant_ == instant) return clock_;
  if (clock_ >= 0) wasi_io_poll_pollable_drop_own({clock_});
  clock_ = wasi_clocks_monotonic_clock_subscribe_instant(instant).__handle;
  pollables_.count_subscription();
  clock_instant_ = instant;
  return clock_;
}

driver& default_host() {
  static wasip2_host h;
  return h;
}

}  // namespace wasync
