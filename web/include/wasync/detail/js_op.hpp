// Awaiting one operation on the JS side (a promise, a fetch, a socket read),
// known to JS only by its op id in the web host's JS operations (js_ops.hpp).
#pragma once

#include <cstdint>
#include <utility>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/detail/js_ops.hpp"
#include "wasync/js_value.hpp"

namespace wasync::detail {

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
