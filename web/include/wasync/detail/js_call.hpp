// A C++ task JS awaits as a Promise (a bound call from generated bindings, a
// to_js_promise), known to JS by an op id in the web host's JS operations:
// the same id space, settlement batches and AbortSignal path as every JS
// operation C++ awaits. JS's AbortSignal settles the op (js_status::aborted),
// which cancels the task; the task's end completes JS's Promise by that id.
#pragma once

#include <cstddef>
#include <cstdint>

#include "wasync/detail/core.hpp"
#include "wasync/detail/js_ops.hpp"
#include "wasync/error.hpp"
#include "wasync/js_value.hpp"

namespace wasync::detail {

/// The answer for JS that `e` failed: its strings point into `e`, which must
/// outlive JS's reading of it.
js_error_reply error_reply(const error& e) noexcept;

/// Watches the end of a task JS awaits; the derived class completes the call
/// with the task's outcome (task_done) and deletes itself.
class js_call : public js_target {
 public:
  /// Registers with the web host's JS operations (op_id()) and watches the end of `task`.
  explicit js_call(task_context& task) noexcept;
  js_call(const js_call&) = delete;

  /// The AbortSignal JS gave the call fired: cancels the task (its end still completes the call).
  void settled(js_status status, js_value value, std::int32_t aux) noexcept override;

  /// A new JS Promise for this call (to_js_promise; bound calls make theirs in
  /// JS). Aborting `signal` cancels the task; only a real AbortSignal fires.
  js_value promise(const js_value& signal);

 protected:
  ~js_call() = default;
  /// `t` finished: complete the call with its outcome.
  virtual void task_done(task_context& t) noexcept = 0;
  /// Resolves JS's Promise with the value encoded at `data` (read by JS during the call).
  void complete(const void* data, std::size_t size) noexcept;
  /// Rejects JS's Promise with an Error carrying `e`'s code and message.
  void complete(const error& e) noexcept;

  task_context& task_;

 private:
  /// A node in the task's waiter list that calls task_done instead of waking anyone.
  struct finish_watch : wait_node {
    js_call* call = nullptr;
  };
  finish_watch finished_;
};

}  // namespace wasync::detail
