// Promises both ways: C++ awaits a JS Promise (js_await), and a C++ task
// becomes a JS Promise (to_js_promise).
#pragma once

#include <utility>

#include "wasync/as_result.hpp"
#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/js_call.hpp"
#include "wasync/detail/js_op.hpp"
#include "wasync/js_value.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {
namespace detail {

struct js_await_awaiter : js_op {
  js_value owned;           ///< the promise when the awaiter was given it
  std::int32_t promise_id;  ///< the promise JS reads when the await starts
  explicit js_await_awaiter(js_value&& p) noexcept : owned(std::move(p)), promise_id(owned.id()) { what = "JS promise"; }
  explicit js_await_awaiter(const js_value& p) noexcept : promise_id(p.id()) { what = "JS promise"; }
  js_await_awaiter(const js_await_awaiter& o) : js_op(o), owned(o.owned), promise_id(o.owned.id() != 0 ? owned.id() : o.promise_id) {}
  js_await_awaiter(js_await_awaiter&& o) noexcept
      : js_op(o), owned(std::move(o.owned)), promise_id(o.promise_id) {}
  void start(std::int32_t id) noexcept override;
  result<js_value> resume_result() {
    if (!err.ok()) return err;
    return std::move(value);
  }
  js_value await_resume() { return unwrap(resume_result()); }
};

/// to_js_promise's call: settles JS's Promise with the task's outcome.
template <class T>
struct promised_call final : js_call {
  explicit promised_call(spawned<T>& t) noexcept : js_call(t) {}
  void task_done(task_context& t) noexcept override {
    auto& slot = static_cast<spawned<T>&>(t).slot;
    t.mark_retrieved();
    if (slot.failed()) {
      complete(slot.err);
    } else {
      js_value v;
      if constexpr (!std::is_void_v<T>) v = to_js(std::move(*slot.value));
      const std::int32_t id = v.release();  // JS takes it
      complete(&id, sizeof id);
    }
    // The task's own reference outlives this call: finish() releases it next.
    t.release();
    delete this;
  }
};

}  // namespace detail

/// Awaits a JS Promise (any other value resolves at once). A rejection becomes
/// errc::js_error with the JS error's message. Cancelling the wait cannot stop
/// the JS work; its late outcome is dropped and released.
[[nodiscard]] inline detail::js_await_awaiter js_await(js_value&& promise) noexcept {
  return detail::js_await_awaiter(std::move(promise));
}
/// The same for a promise the caller keeps: no copy (a copy costs two JS
/// calls); `promise` must live until the await has begun (JS reads it then).
[[nodiscard]] inline detail::js_await_awaiter js_await(const js_value& promise) noexcept {
  return detail::js_await_awaiter(promise);
}

/// Runs `t` as a task and returns a JS Promise of its outcome: resolved with
/// `to_js(value)` (undefined for void), or rejected with an Error whose
/// `message` is the error's message and whose `code` is its errc name
/// ("timeout", "network_error", ...). Aborting the optional AbortSignal
/// `signal` (a real AbortSignal: any other value never fires) cancels the task
/// (the Promise then rejects with code "cancelled"); the task and the Promise
/// share one op id in the web host's JS operations (detail/js_call.hpp).
template <class T>
js_value to_js_promise(task<T> t, const js_value& signal = {}) {
  auto* call = new detail::promised_call<T>(*detail::launch(std::move(t), "to_js_promise"));
  return call->promise(signal);
}

}  // namespace wasync
