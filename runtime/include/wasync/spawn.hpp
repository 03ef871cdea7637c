// spawn(task) starts a task on the loop (asyncio.create_task) and returns a
// task_handle to await, cancel or drop. A dropped handle leaves the task
// running; its error, if nobody retrieves it, goes to the loop's error handler.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/task.hpp"

namespace wasync {

struct spawn_options {
  const char* name = "task";  ///< shown in dumps and error reports; must outlive the task
};

namespace detail {

template <class T>
struct spawned final : task_context {
  outcome<T> slot;
  explicit spawned(coro::coroutine_handle<task_promise<T>> h, const char* n) noexcept
      : task_context(n, slot, h) {
    h.promise().out = &slot;
    h.promise().ctx = this;
  }
  /// task_context::release() with the type known: the last reference deletes
  /// the task without a virtual call.
  void release() noexcept {
    if (!drop_ref()) return;
    report_unretrieved();
    delete this;
  }
};

/// A frame as a new task not yet given to a loop (event_loop::adopt or
/// start_now does that); the context has one reference for the caller.
template <class T>
spawned<T>* launch_unscheduled(task<T> t, const char* name) {
  auto h = t.release();
  if (!h) fatal("spawn of an empty wasync::task");
  auto* s = new spawned<T>(h, name);
  s->add_ref();  // one for the running task, one for the caller
  return s;
}

/// Launches a frame as a new task; the returned context has one reference for the caller.
template <class T>
spawned<T>* launch(task<T> t, const char* name) {
  auto* s = launch_unscheduled(std::move(t), name);
  adopt(*s);
  return s;
}

/// Awaits a spawned task. Cancelling the awaiter cancels the awaited task, as in
/// asyncio. The await holds a reference: dropping the handle meanwhile is safe.
template <class T, bool Move>
struct handle_awaiter : leaf_awaiter {
  spawned<T>* target;

  explicit handle_awaiter(spawned<T>* t) noexcept : target(t) { target->add_ref(); }
  handle_awaiter(handle_awaiter&& o) noexcept : leaf_awaiter(o), target(std::exchange(o.target, nullptr)) {}
  handle_awaiter& operator=(handle_awaiter&&) = delete;
  ~handle_awaiter() {
    if (target) target->release();
  }

  bool await_ready() noexcept {
    if (!target->done()) return false;
    if (target->slot.failed()) {
      err = target->slot.err;  // delivered by await_suspend
      target->mark_retrieved();
    }
    return err.ok();
  }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = "task";
    on_cancel = [](wait_node& n, error why) { static_cast<handle_awaiter&>(n).target->cancel(std::move(why)); };
    if (target == h.promise().ctx) err = error(errc::invalid_state, "a task cannot await itself");
    if (auto next = suspend(h)) return next;
    target->add_waiter(*this);
    return coro::noop_coroutine();
  }
  result<T> resume_result() {
    if (target->done()) target->mark_retrieved();
    if (!err.ok()) return err;  // the task's error, or our own cancellation
    if constexpr (Move) {
      return target->slot.take();
    } else {
      return target->slot.copy();
    }
  }
  auto await_resume() {
#if WASYNC_EXCEPTIONS
    // The task's own error (not our cancellation) keeps its exception type.
    if (target->done() && target->slot.failed() && err.identical(target->slot.err)) {
      target->mark_retrieved();
      target->slot.rethrow();
    }
#endif
    return unwrap(resume_result());
  }
};

/// task_handle::cancel and task_ref::cancel.
inline bool cancel_task(task_context& t, std::string message) noexcept {
  if (t.done()) {
    t.mark_retrieved();  // as asyncio: cancel() on a finished task marks its error seen
    return false;
  }
  return t.cancel(error(errc::cancelled, std::move(message)));
}

/// Waits until a task finished, whatever its outcome, without retrieving it
/// (not interruptible: shutdown uses it on tasks it cancelled).
struct finished_awaiter : leaf_awaiter {
  task_context* target;
  explicit finished_awaiter(task_context& t) noexcept : target(&t) {
    capture = true;
    retrieves = false;
  }
  bool await_ready() const noexcept { return target->done(); }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = "task";
    if (auto next = suspend(h)) return next;
    target->add_waiter(*this);
    return coro::noop_coroutine();
  }
  void await_resume() const noexcept {}
};

}  // namespace detail

template <class T = void>
class task_handle {
 public:
  task_handle() noexcept = default;
  explicit task_handle(detail::spawned<T>* s) noexcept : s_(s) {}
  task_handle(task_handle&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  task_handle& operator=(task_handle&& o) noexcept {
    if (this != &o) {
      reset();
      s_ = std::exchange(o.s_, nullptr);
    }
    return *this;
  }
  ~task_handle() { reset(); }

  bool valid() const noexcept { return s_ != nullptr; }
  bool done() const noexcept { return s_->done(); }
  /// Finished with a cancellation error.
  bool cancelled() const noexcept { return s_->done() && s_->slot.err.is(errc::cancelled); }
  /// Requests cancellation at the task's next await point. False (nothing done)
  /// when the task already finished.
  bool cancel(std::string message = {}) noexcept { return detail::cancel_task(*s_, std::move(message)); }
  /// cancel() requests not taken back by uncancel() (asyncio's Task.cancelling()).
  std::uint32_t cancelling() const noexcept { return s_->cancelling(); }
  /// Takes back one cancel(); at zero a request not yet delivered is withdrawn.
  std::uint32_t uncancel() noexcept { return s_->uncancel(); }
  const char* name() const noexcept { return s_->name(); }
  /// The outcome of a finished task (errc::invalid_state while it runs); marks it retrieved.
  wasync::result<T> result() {
    if (!s_->done()) return error(errc::invalid_state, "task is still running");
    s_->mark_retrieved();
    return s_->slot.copy();
  }

  detail::handle_awaiter<T, false> operator co_await() & noexcept { return detail::handle_awaiter<T, false>(s_); }
  detail::handle_awaiter<T, true> operator co_await() && noexcept { return detail::handle_awaiter<T, true>(s_); }

  /// For the runtime's combinators.
  detail::spawned<T>* context() const noexcept { return s_; }

 private:
  void reset() noexcept {
    if (s_) std::exchange(s_, nullptr)->release();
  }
  detail::spawned<T>* s_ = nullptr;
};

/// Schedules `t` to start when the caller next yields (spawned tasks start in
/// creation order) and returns its handle.
template <class T>
task_handle<T> spawn(task<T> t, spawn_options options = {}) {
  return task_handle<T>(detail::launch(std::move(t), options.name));
}

}  // namespace wasync
