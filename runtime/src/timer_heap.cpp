// The timer heap: ordered by deadline, then by the order timers were set.
#include "wasync/detail/timer_heap.hpp"

#include <utility>

namespace wasync::detail {

void timer_heap::push(timer_node& t) {
  heap_.push_back(&t);
  t.slot = heap_.size() - 1;
  sift_up(t.slot);
}

timer_node& timer_heap::pop() noexcept {
  timer_node& t = *heap_.front();
  remove(t);
  return t;
}

void timer_heap::remove(timer_node& t) noexcept {
  const std::size_t i = t.slot;
  timer_node* last = heap_.back();
  heap_.pop_back();
  t.slot = timer_node::npos;
  if (last == &t) return;
  place(i, last);
  sift_up(i);
  sift_down(last->slot);
}

void timer_heap::sift_up(std::size_t i) noexcept {
  timer_node* t = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(t, heap_[parent])) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, t);
}

void timer_heap::sift_down(std::size_t i) noexcept {
  timer_node* t = heap_[i];
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], t)) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, t);
}

}  // namespace wasync::detail
