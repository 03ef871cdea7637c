// Awaiting the subtask of an async import that did not finish at once
// (connect, name lookup): its events come through the waitable reactor.
// Cancelling the wait takes the subtask out of the set (wasmtime traps on
// cancelling a member), then cancels it; either way it is dropped once over.
// The call's results are written when it returns, possibly while it is being
// cancelled: `returned` says so, and their owner frees them.
#pragma once

#include <cstdint>
#include <utility>

#include "task_waits.hpp"
#include "wasip3.h"
#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/waitable_reactor.hpp"
#include "wasync/wasip3_host.hpp"

namespace wasync::detail {

class subtask_wait : public leaf_awaiter, public waitable_watcher {
 public:
  /// `status`: what the import returned; `returned` is set once its results are written.
  subtask_wait(wasip3_subtask_status_t status, bool& returned) noexcept
      : handle_(WASIP3_SUBTASK_HANDLE(status)), returned_(returned) {
    if (WASIP3_SUBTASK_STATE(status) == WASIP3_SUBTASK_RETURNED) returned_ = true;
  }
  subtask_wait(const subtask_wait&) = delete;
  subtask_wait& operator=(const subtask_wait&) = delete;
  ~subtask_wait() { stop(); }

  bool await_ready() const noexcept { return returned_; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = "wasi subtask";
    on_cancel = [](wait_node& n, error why) {
      auto& w = static_cast<subtask_wait&>(n);
      w.stop();
      w.err = std::move(why);
      complete(w);
    };
    watching_ = true;
    ++task_waits;
    (void)reactor().watch(handle_, *this);  // a fresh subtask: nobody else watches it
    if (auto next = suspend(h)) {
      stop();
      return next;
    }
    return coro::noop_coroutine();
  }
  /// Ends the wait with `why` (its socket closed): the subtask is cancelled;
  /// nothing when not parked.
  void abort(error why) noexcept {
    if (!watching_) return;
    stop();
    err = std::move(why);
    complete(*this);
  }
  void on_event(waitable_event, std::uint32_t state) noexcept override {
    if (state < WASIP3_SUBTASK_RETURNED) {  // only started: wait on
      (void)reactor().watch(handle_, *this);
      return;
    }
    watching_ = false;
    --task_waits;
    done();
    returned_ = true;
    complete(*this);
  }
  result<void> resume_result() {
    if (!err.ok()) return err;
    return {};
  }
  void await_resume() { unwrap(resume_result()); }

 private:
  static waitable_reactor& reactor() noexcept { return the_wasip3_host().waitables(); }
  /// Out of the set and cancelled, when still running.
  void stop() noexcept {
    if (!std::exchange(watching_, false)) return;
    --task_waits;
    reactor().leave(handle_);
    if (wasip3_subtask_cancel(handle_) == WASIP3_SUBTASK_RETURNED) returned_ = true;
    done();
  }
  void done() noexcept {
    wasip3_subtask_drop(handle_);
    reactor().forget(handle_);
  }

  std::uint32_t handle_;
  bool& returned_;
  bool watching_ = false;
};

/// Holds an async import's subtask while its task awaits something else
/// first (a request body): cancelled there, the task cancels and drops the
/// subtask (never joined, so no set to leave). release() hands it to a
/// subtask_wait.
class subtask_guard {
 public:
  subtask_guard(wasip3_subtask_status_t status, bool& returned) noexcept : status_(status), returned_(returned) {
    if (WASIP3_SUBTASK_STATE(status) == WASIP3_SUBTASK_RETURNED) returned_ = true;
    else handle_ = WASIP3_SUBTASK_HANDLE(status);
  }
  subtask_guard(const subtask_guard&) = delete;
  subtask_guard& operator=(const subtask_guard&) = delete;
  ~subtask_guard() {
    if (handle_ == 0) return;
    if (wasip3_subtask_cancel(handle_) == WASIP3_SUBTASK_RETURNED) returned_ = true;
    wasip3_subtask_drop(handle_);
    the_wasip3_host().waitables().forget(handle_);
  }
  /// The import's status, for the subtask_wait that owns the subtask now.
  wasip3_subtask_status_t release() noexcept {
    handle_ = 0;
    return status_;
  }

 private:
  wasip3_subtask_status_t status_;
  bool& returned_;
  std::uint32_t handle_ = 0;
};

/// The results of an async import, freed by `Free` if they were written.
template <class R, void (*Free)(R*)>
struct import_results {
  R value{};
  bool returned = false;
  import_results() = default;
  import_results(const import_results&) = delete;
  import_results& operator=(const import_results&) = delete;
  ~import_results() { reset(); }
  /// Frees what was written; ready for the next call.
  void reset() noexcept {
    if (std::exchange(returned, false)) Free(&value);
    value = R{};
  }
};

}  // namespace wasync::detail
