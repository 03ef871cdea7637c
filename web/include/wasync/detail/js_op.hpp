// Operations in flight on the JS side (a promise, a fetch, a socket read),
// known to JS only by an op id. C++ keeps the registry from ids to targets:
// JS settles by id, a cancelled or destroyed target withdraws its id (and JS
// stops the operation), and a late settlement for a withdrawn id is dropped.
#pragma once

#include <cstdint>
#include <utility>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/js_value.hpp"

namespace wasync::detail {

/// How JS says an operation ended (mirrors `status` in wasync_web.js).
enum class js_status : std::int32_t {
  ok = 0,
  end = 1,               ///< a stream finished (no value)
  js_error = 2,          ///< a rejection or exception; the value is its message
  network_error = 3,     ///< the transport failed; the value is a message
  closed = 4,            ///< the object is closed; the value is a message
  invalid_argument = 5,  ///< JS refused the arguments; the value is a message
  not_supported = 6,     ///< this JS environment lacks the API; the value is a message
  busy = 7,              ///< another wait of the same kind is pending; the value is a message
};

/// The error for a failed status, with the message JS sent as `value`.
error js_status_error(js_status s, const js_value& message);

/// Something JS settles later by op id.
class js_target {
 public:
  js_target() noexcept = default;
  /// Only an idle target may be moved or copied; the copy is idle too.
  js_target(const js_target&) noexcept {}
  js_target& operator=(const js_target&) = delete;

  /// Registers under a fresh id (returned; also op_id()).
  std::int32_t enlist() noexcept;
  /// Unregisters and tells JS to stop the operation. No-op when idle.
  void withdraw() noexcept;
  std::int32_t op_id() const noexcept { return op_id_; }

  /// JS settled the operation (the target is idle again).
  virtual void settled(js_status status, js_value value, std::int32_t aux) noexcept = 0;

  /// Called by the web host for each settlement record JS batched up.
  static void deliver(std::int32_t op_id, js_status status, std::int32_t value_id, std::int32_t aux) noexcept;

 protected:
  ~js_target() { withdraw(); }

 private:
  std::int32_t op_id_ = 0;
};

/// Leaf awaiter for one JS operation: `start(op_id)` begins it in JS after the
/// task parked; the settlement completes the wait; cancelling withdraws it.
struct js_op : leaf_awaiter, js_target {
  js_status status = js_status::ok;
  js_value value;
  std::int32_t aux = 0;

  js_op() noexcept = default;
  js_op(const js_op& o) noexcept : leaf_awaiter(o), js_target(o) {}
  virtual ~js_op() = default;

  /// Begins the JS side of the operation under `id`.
  virtual void start(std::int32_t id) noexcept = 0;

  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    on_cancel = [](wait_node& n, error why) {
      auto& op = static_cast<js_op&>(n);
      op.withdraw();
      op.err = std::move(why);
      complete(op);
    };
    if (auto next = suspend(h)) return next;
    start(enlist());
    return coro::noop_coroutine();
  }
  void settled(js_status s, js_value v, std::int32_t a) noexcept override;
};

}  // namespace wasync::detail
