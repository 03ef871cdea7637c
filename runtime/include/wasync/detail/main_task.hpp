// main as a task of its own, for the hosts whose run_main() returns to their
// caller (the web, WASI 0.3) and so cannot run asyncio.run's ending in
// run(): the loop runs this task like any other.
#pragma once

#include "wasync/task.hpp"

namespace wasync::detail {

class task_context;

/// Runs `main` as the task "main" (`running` points at it while it runs),
/// then cancels and awaits every task it left behind (a failure during that
/// is reported, never lost). Gives main's status, or 1 after printing
/// "wasync: main task failed: ..." to standard error.
[[nodiscard]] task<int> main_task(task<int> main, task_context*& running);

}  // namespace wasync::detail
