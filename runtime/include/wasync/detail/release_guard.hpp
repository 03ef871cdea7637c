// release_guard<R>: holds what a scoped() acquire gave (a lock, a semaphore
// unit) and releases it when destroyed. Public as lock_guard and semaphore_guard.
#pragma once

#include <utility>

namespace wasync::detail {

template <class R>
class [[nodiscard]] release_guard {
 public:
  release_guard() noexcept = default;
  explicit release_guard(R& r) noexcept : r_(&r) {}
  release_guard(release_guard&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  release_guard& operator=(release_guard&& o) noexcept {
    if (this != &o) {
      release();
      r_ = std::exchange(o.r_, nullptr);
    }
    return *this;
  }
  ~release_guard() { release(); }

  /// Still holds what it was given.
  bool owns() const noexcept { return r_ != nullptr; }
  /// Releases it now instead of at the end of the scope.
  void release() noexcept {
    if (r_) (void)std::exchange(r_, nullptr)->release();
  }

 private:
  R* r_ = nullptr;
};

}  // namespace wasync::detail
