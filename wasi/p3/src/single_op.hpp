// What a WASI 0.3 stream end (or a listener's stream of sockets) shares: one
// host operation in flight at a time, whose buffer the object owns (it must
// live until the operation's event, whatever becomes of the task that
// started it), and at most one task waiting for it to end. Cancelling that
// wait leaves the operation running: a read's data goes to the next read, a
// write is never torn.
#pragma once

#include <cstdint>
#include <utility>

#include "task_waits.hpp"
#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/waitable_reactor.hpp"
#include "wasync/wasip3_host.hpp"

namespace wasync::detail {

class single_op : public waitable_watcher {
 public:
  class wait;

  single_op() noexcept = default;
  single_op(const single_op&) = delete;
  single_op& operator=(const single_op&) = delete;

  /// An operation is in flight.
  bool busy() const noexcept { return in_flight_; }

 protected:
  ~single_op() = default;

  static waitable_reactor& reactor() noexcept { return the_wasip3_host().waitables(); }
  /// The operation on `handle` is in flight: its event comes to on_event().
  void went_pending(std::uint32_t handle) noexcept {
    in_flight_ = true;
    (void)reactor().watch(handle, *this);  // one operation at a time: nobody else watches it
  }
  /// The operation in flight on `handle` stops: out of the set (a member
  /// cannot be cancelled), then the caller cancels it.
  void stop_pending(std::uint32_t handle) noexcept {
    reactor().leave(handle);
    in_flight_ = false;
  }
  /// The operation ended: the waiting task, if any, runs again.
  inline void op_done() noexcept;

  bool in_flight_ = false;
  wait* waiter_ = nullptr;
};

/// Awaits the end of a single_op's operation in flight (at once when none is).
class single_op::wait : public leaf_awaiter {
 public:
  explicit wait(single_op& op) noexcept : op_(op) {}
  wait(const wait&) = delete;
  wait& operator=(const wait&) = delete;
  ~wait() { leave(); }

  bool await_ready() const noexcept { return !op_.busy(); }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = "wasi stream";
    on_cancel = [](wait_node& n, error why) { static_cast<wait&>(n).abort(std::move(why)); };
    if (op_.waiter_) {
      err = error(errc::invalid_state, "another task already waits on this stream");
    } else {
      op_.waiter_ = this;
      ++task_waits;
    }
    if (auto next = suspend(h)) {
      leave();
      return next;
    }
    return coro::noop_coroutine();
  }
  /// Ends the wait with `why` (cancelled, or its socket closed); nothing when not parked.
  void abort(error why) noexcept {
    if (!leave()) return;
    err = std::move(why);
    complete(*this);
  }
  result<void> resume_result() {
    if (!err.ok()) return err;
    return {};
  }
  void await_resume() { unwrap(resume_result()); }

 private:
  friend class single_op;
  /// Stops being the operation's waiter; false when it was not.
  bool leave() noexcept {
    if (op_.waiter_ != this) return false;
    op_.waiter_ = nullptr;
    --task_waits;
    return true;
  }
  single_op& op_;
};

inline void single_op::op_done() noexcept {
  in_flight_ = false;
  wait* w = waiter_;
  if (w && w->leave()) complete(*w);
}

}  // namespace wasync::detail
