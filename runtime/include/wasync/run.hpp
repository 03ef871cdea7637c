// run(main): drive a loop on a host that owns the thread until `main` finishes,
// then cancel and drain whatever it left running (asyncio.run).
#pragma once

#include <chrono>

#include "wasync/detail/report_sink.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// The host of the linked host library (wasync::native, wasync::wasi).
host& default_host();

template <class T>
result<T> run(task<T> main, host& h, loop_options options = {}) {
  event_loop loop(h, options);
  auto handle = spawn(std::move(main), {.name = "main"});
  if (!loop.run_until_done(*handle.context())) {
    handle.context()->cancel(
        error(errc::deadlock, "the main task waits on nothing that can wake it"));
    loop.run_until_done(*handle.context());
  }
  result<T> r = handle.result();
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
