// Binary min-heap of timers ordered by (deadline, sequence): equal deadlines
// fire in the order they were set. Nodes live in awaiters and know their slot,
// so a cancelled timer leaves in O(log n).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <type_traits>
#include <vector>

#include "wasync/driver.hpp"

namespace wasync::detail {

/// `now + d`, saturated to the clock's range (a timeout of duration::max()
/// or hours::max() is "never", not an overflow that fires at once). Integer
/// arithmetic with overflow checks: long double is soft-float in wasm (a few
/// KB of __addtf3 and friends, and slow on every sleep()).
template <class Rep, class Period>
constexpr time_point deadline_after(time_point now, std::chrono::duration<Rep, Period> d) noexcept {
  using rep = duration::rep;
  rep ns = 0;
  if constexpr (std::is_floating_point_v<Rep>) {
    const double v = std::chrono::duration<double, std::nano>(d).count();
    constexpr double range = 9223372036854775808.0;  // 2^63: the double nearest to rep's max rounds up to it
    if (!(v < range)) return time_point::max();  // NaN too: never
    if (v <= -range) return time_point::min();
    ns = static_cast<rep>(v);
  } else {
    using to_ns = std::ratio_divide<Period, std::nano>;
    // d.count() * num / den: beyond rep's range, beyond the clock's.
    const auto scaled = d.count() / to_ns::den;
    if (__builtin_mul_overflow(scaled, to_ns::num, &ns)) return d.count() > 0 ? time_point::max() : time_point::min();
  }
  rep at = 0;
  if (__builtin_add_overflow(now.time_since_epoch().count(), ns, &at)) return ns > 0 ? time_point::max() : time_point::min();
  return time_point(duration(at));
}

struct timer_node {
  time_point deadline{};
  std::uint64_t seq = 0;
  std::size_t slot = npos;  ///< index in the heap, npos when not armed
  void (*fire)(timer_node&) = nullptr;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  bool armed() const noexcept { return slot != npos; }
};

class timer_heap {
 public:
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  timer_node& top() const noexcept { return *heap_.front(); }
  void push(timer_node& t);
  void remove(timer_node& t) noexcept;
  timer_node& pop() noexcept;

 private:
  static bool before(const timer_node* a, const timer_node* b) noexcept {
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
  }
  void place(std::size_t i, timer_node* t) noexcept {
    heap_[i] = t;
    t->slot = i;
  }
  void sift_up(std::size_t i) noexcept;
  void sift_down(std::size_t i) noexcept;

  std::vector<timer_node*> heap_;
};

}  // namespace wasync::detail
