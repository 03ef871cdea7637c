// run(main): drive a loop on a host that owns the thread until `main` finishes,
// then cancel and drain whatever it left running (asyncio.run).
#pragma once

#include <chrono>
#include <type_traits>
#include <utility>

#include "wasync/detail/report_sink.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// The host of the linked host library (wasync::native, wasync::wasi, wasync::web).
driver& default_host();

namespace detail {
/// main's value as an exit status: an int as it is, anything else 0.
template <class T>
task<int> exit_status(task<T> main) {
  if constexpr (std::is_same_v<T, int>) {
    co_return co_await std::move(main);
  } else if constexpr (std::is_void_v<T>) {
    co_await std::move(main);
    co_return 0;
  } else {
    (void)co_await std::move(main);
    co_return 0;
  }
}
}  // namespace detail

/// Runs `main` to completion (asyncio.run): then cancels and awaits whatever it
/// left running and returns main's outcome; a main that waits on nothing that
/// can wake it fails with errc::deadlock. On a host that does not own the
/// thread (the web) run() does not return: the program exits with main's
/// status (an int main's value, else 0; 1 after printing an error).
template <class T>
result<T> run(task<T> main, driver& h, loop_options options = {}) {
  if (!h.owns_thread()) {
    task<int> status = detail::exit_status(std::move(main));
    h.run_main(status);
    detail::fatal("run_main returned");
  }
  event_loop loop(h, options);
  auto handle = spawn(std::move(main), {.name = "main"});
  detail::task_context& t = *handle.context();
  if (!loop.run_until_done(t)) {
    t.cancel(error(errc::deadlock, "the main task waits on nothing that can wake it"));
    loop.run_until_done(t);
  }
  // Still running: its cancellation waits on tasks that wait on it.
  result<T> r = error(errc::deadlock, "the main task waits on tasks that wait on it");
  if (t.done()) {
    t.mark_retrieved();
    r = handle.context()->slot.take();  // moved: main's value may be move-only
  }
  handle = {};
  loop.shutdown();
  // Reports still queued (standard error was full) get a short last chance.
  detail::flush_reports(std::chrono::milliseconds(100));
  return r;
}

template <class T>
result<T> run(task<T> main, loop_options options = {}) {
  return run(std::move(main), default_host(), options);
}

}  // namespace wasync
