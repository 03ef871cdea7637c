// WASI preview1 host: the driver's clock and parking, in its reactor's poll_oneoff.
#include "wasync/wasi_host.hpp"

#include <wasi/api.h>

#include "wasync/detail/fd_stream.hpp"
#include "wasync/detail/report_sink.hpp"
#include "wasync/run.hpp"

namespace wasync {
namespace {
// Whole milliseconds: the clock granularity node:wasi rounds timeouts down to.
constexpr std::int64_t ns_per_ms = 1'000'000;
}  // namespace

wasi_host::wasi_host() { detail::install_stderr_writer(&detail::stderr_write_now); }

time_point wasi_host::now() noexcept {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0) detail::fatal("wasi_host: no monotonic clock");
  return time_point(duration(static_cast<std::int64_t>(t)));
}

bool wasi_host::park(std::optional<time_point> deadline) {
  if (!deadline && fds_.watched() == 0) return false;  // nothing could ever wake us
  std::int64_t timeout = -1;  // none
  if (deadline) {
    // Compared before subtracting: run_until_done polls with time_point::min().
    const time_point t = now();
    timeout = *deadline <= t ? 0 : (*deadline - t).count();
    if (coarse_clock_) timeout = (timeout + ns_per_ms - 1) / ns_per_ms * ns_per_ms;
  }
  if (fds_.poll(timeout) && deadline && timeout > 0 && now() < *deadline) coarse_clock_ = true;
  return true;
}

driver& default_host() {
  static wasi_host h;
  return h;
}

}  // namespace wasync
