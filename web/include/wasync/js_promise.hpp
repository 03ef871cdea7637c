// Promises both ways: C++ awaits a JS Promise (js_await), and a C++ task
// becomes a JS Promise (to_js_promise).
#pragma once

#include <utility>

#include "wasync/as_result.hpp"
#include "wasync/detail/awaiting.hpp"
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

/// Makes a pending JS promise; `resolvers` receives the handle that settles it.
js_value new_js_promise(js_value& resolvers);
void resolve_js_promise(const js_value& resolvers, js_value value);
void reject_js_promise(const js_value& resolvers, const error& e);

/// While alive, aborting the JS AbortSignal cancels `task`.
class abort_watch final : js_target {
 public:
  abort_watch(const js_value& signal, task_context& task) noexcept;
  ~abort_watch() = default;
  void settled(js_status, js_value, std::int32_t) noexcept override;

 private:
  task_context& task_;
};

template <class T>
task<void> settle_js_promise(task<T> t, js_value resolvers, js_value signal) {
  auto body = spawn(std::move(t), {.name = "promised task"});
  std::optional<abort_watch> watch;
  if (!signal.is_undefined()) watch.emplace(signal, *body.context());
  // Cancelling this task (loop shutdown) cancels the body through the await.
  auto r = co_await as_result(body);
  watch.reset();
  if (!r) {
    reject_js_promise(resolvers, r.error());
  } else if constexpr (std::is_void_v<T>) {
    resolve_js_promise(resolvers, js_value());
  } else {
    resolve_js_promise(resolvers, to_js(std::move(*r)));
  }
}

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
/// `signal` cancels the task (the Promise then rejects with code "cancelled").
template <class T>
js_value to_js_promise(task<T> t, js_value signal = {}) {
  js_value resolvers;
  js_value promise = detail::new_js_promise(resolvers);
  spawn(detail::settle_js_promise(std::move(t), std::move(resolvers), std::move(signal)), {.name = "to_js_promise"});
  return promise;
}

}  // namespace wasync
