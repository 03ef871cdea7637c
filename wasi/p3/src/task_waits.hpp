// How many tasks wait on a waitable of the WASI 0.3 host (a stream
// operation, a subtask): what can wake the loop besides its timers, which
// wasip3_host::watched() reports. An operation nobody waits for any more (a
// read whose wait was cancelled keeps running) does not count: its end wakes
// no task.
#pragma once

#include <cstddef>

namespace wasync::detail {

inline std::size_t task_waits = 0;

}  // namespace wasync::detail
