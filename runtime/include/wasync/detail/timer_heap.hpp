// Binary min-heap of timers ordered by (deadline, sequence): equal deadlines
// fire in the order they were set. Nodes live in awaiters and know their slot,
// so a cancelled timer leaves in O(log n).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wasync/driver.hpp"

namespace wasync::detail {

/// `now + d`, saturated to the clock's range (a timeout of duration::max()
/// or hours::max() is "never", not an overflow that fires at once).
template <class Rep, class Period>
constexpr time_point deadline_after(time_point now, std::chrono::duration<Rep, Period> d) noexcept {
  using wide = std::chrono::duration<long double, std::nano>;
  const long double ns = std::chrono::duration_cast<wide>(d).count();
  const auto at = static_cast<long double>(now.time_since_epoch().count());
  const long double room_up = static_cast<long double>(time_point::max().time_since_epoch().count()) - at;
  const long double room_down = at - static_cast<long double>(time_point::min().time_since_epoch().count());
  if (ns >= room_up) return time_point::max();
  if (-ns >= room_down) return time_point::min();
  return now + std::chrono::duration_cast<duration>(d);
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
