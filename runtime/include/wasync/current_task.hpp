// current_task(): the running task, as a reference of any value type
// (asyncio.current_task()).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "wasync/event_loop.hpp"
#include "wasync/spawn.hpp"

namespace wasync {

/// A counted reference to a task whatever its value type: enough to name it,
/// cancel it and follow its cancellation requests.
class task_ref {
 public:
  task_ref() noexcept = default;
  explicit task_ref(detail::task_context* t) noexcept : t_(t) {
    if (t_) t_->add_ref();
  }
  task_ref(const task_ref& o) noexcept : task_ref(o.t_) {}
  task_ref(task_ref&& o) noexcept : t_(std::exchange(o.t_, nullptr)) {}
  task_ref& operator=(task_ref o) noexcept {
    std::swap(t_, o.t_);
    return *this;
  }
  ~task_ref() {
    if (t_) t_->release();
  }

  bool valid() const noexcept { return t_ != nullptr; }
  const char* name() const noexcept { return t_->name(); }
  bool done() const noexcept { return t_->done(); }
  /// As task_handle::cancel.
  bool cancel(std::string message = {}) noexcept { return detail::cancel_task(*t_, std::move(message)); }
  std::uint32_t cancelling() const noexcept { return t_->cancelling(); }
  std::uint32_t uncancel() noexcept { return t_->uncancel(); }

  friend bool operator==(const task_ref& a, const task_ref& b) noexcept { return a.t_ == b.t_; }

 private:
  detail::task_context* t_ = nullptr;
};

/// The task running now; empty (valid() false) outside a task or a loop.
inline task_ref current_task() noexcept {
  event_loop* l = event_loop::current();
  return task_ref(l ? l->running() : nullptr);
}

}  // namespace wasync
