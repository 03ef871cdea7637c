// call_soon / call_later / call_at: each callback is a small task, so it keeps
// the loop's FIFO and timer order and its cancellation rules.
#include "wasync/callbacks.hpp"

namespace wasync::detail {

task<void> run_callback(std::function<void()> f) {
  f();
  co_return;
}

task<void> run_callback_at(time_point when, std::function<void()> f) {
  co_await sleep_until(when);
  f();
}

callback_handle schedule_callback(task<void> t, time_point when, const char* name) {
  auto h = spawn(std::move(t), {.name = name});
  h.context()->mark_callback();
  return callback_handle(std::move(h), when);
}

}  // namespace wasync::detail
