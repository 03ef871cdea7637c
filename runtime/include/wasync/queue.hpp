// queue<T>: a FIFO channel between tasks (asyncio.Queue), optionally bounded;
// lifo_queue<T> and priority_queue<T> (smallest first) differ only in which
// item get() takes. Items go straight to a waiting getter; a cancelled getter
// never loses an item and a cancelled putter never inserts one. close() ends
// it: putters fail with errc::closed, getters drain what is left and then get
// errc::closed. task_done()/join() count the work behind the items.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "wasync/detail/list_awaiter.hpp"

namespace wasync {

namespace detail {
/// Where a queue keeps its items: push, take the next one, count, tell empty.
template <class T>
struct fifo_store {
  std::deque<T> items;
  void push(T v) { items.push_back(std::move(v)); }
  T take() {
    T v(std::move(items.front()));
    items.pop_front();
    return v;
  }
  std::size_t size() const noexcept { return items.size(); }
  bool empty() const noexcept { return items.empty(); }
};
template <class T>
struct lifo_store {
  std::vector<T> items;
  void push(T v) { items.push_back(std::move(v)); }
  T take() {
    T v(std::move(items.back()));
    items.pop_back();
    return v;
  }
  std::size_t size() const noexcept { return items.size(); }
  bool empty() const noexcept { return items.empty(); }
};
template <class T, class Compare>
struct priority_store {
  std::vector<T> items;  // a heap whose front is the smallest item
  Compare less;
  bool after(const T& a, const T& b) const { return less(b, a); }
  void push(T v) {
    items.push_back(std::move(v));
    std::push_heap(items.begin(), items.end(), [this](const T& a, const T& b) { return after(a, b); });
  }
  T take() {
    std::pop_heap(items.begin(), items.end(), [this](const T& a, const T& b) { return after(a, b); });
    T v(std::move(items.back()));
    items.pop_back();
    return v;
  }
  std::size_t size() const noexcept { return items.size(); }
  bool empty() const noexcept { return items.empty(); }
};

// Out of line, written in place: building the error (or returning it through
// a temporary) would give every await_ready a stack frame (in wasm, one in
// linear memory) on its common path too.
[[gnu::noinline]] inline void set_queue_closed(error& e) { e = error(errc::closed, "queue closed"); }
}  // namespace detail

template <class T, class Store>
class basic_queue {
 public:
  /// maxsize 0: unbounded.
  explicit basic_queue(std::size_t maxsize = 0) : max_(maxsize) {}
  ~basic_queue() {
    getters_.fail_all(error(errc::closed, "queue destroyed"));
    putters_.fail_all(error(errc::closed, "queue destroyed"));
    joiners_.fail_all(error(errc::closed, "queue destroyed"));
  }
  basic_queue(const basic_queue&) = delete;
  basic_queue& operator=(const basic_queue&) = delete;

  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  bool full() const noexcept { return max_ != 0 && items_.size() >= max_; }
  bool closed() const noexcept { return closed_; }
  std::size_t maxsize() const noexcept { return max_; }

  /// Adds without waiting: errc::invalid_state when full, errc::closed when closed.
  result<void> try_put(T v) {
    if (!closed_) {
      if (put_now(v)) return {};
      return error(errc::invalid_state, "queue full");
    }
    error e;
    detail::set_queue_closed(e);
    return e;
  }
  /// Takes without waiting; nullopt when empty.
  std::optional<T> try_get() {
    if (empty()) return std::nullopt;
    std::optional<T> v(items_.take());
    admit_putter();
    return v;
  }

  /// One item taken earlier is fully processed (asyncio's Queue.task_done()).
  /// More calls than items put: errc::invalid_state.
  error task_done() noexcept {
    if (unfinished_ == 0) return error(errc::invalid_state, "task_done() called more times than items were put");
    if (--unfinished_ == 0) joiners_.fail_all(error());
    return {};
  }
  /// Items put and not yet marked task_done().
  std::size_t unfinished() const noexcept { return unfinished_; }

  struct join_awaiter : detail::list_awaiter {
    basic_queue* q;
    explicit join_awaiter(basic_queue& qu) noexcept : q(&qu) {}
    bool await_ready() const noexcept { return q->unfinished_ == 0; }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, q->joiners_, "queue join");
    }
    result<void> resume_result() { return err; }
    void await_resume() { detail::unwrap(resume_result()); }
  };
  /// Waits until every item put has been marked task_done().
  [[nodiscard]] join_awaiter join() noexcept { return join_awaiter(*this); }
  /// Closes the queue: waiting putters fail now, waiting getters fail (it is empty).
  void close() noexcept {
    if (closed_) return;
    closed_ = true;
    error e;
    detail::set_queue_closed(e);
    putters_.fail_all(e);
    getters_.fail_all(e);
  }

  struct put_awaiter : detail::list_awaiter {
    basic_queue* q;
    std::optional<T> item;
    put_awaiter(basic_queue& qu, T v) : q(&qu), item(std::move(v)) { cancel_after_completion = false; }
    bool await_ready() {
      if (!q->closed_) return q->put_now(*item);  // false: full, wait
      detail::set_queue_closed(err);  // delivered by await_suspend
      return false;
    }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, q->putters_, "queue put");
    }
    result<void> resume_result() { return err; }
    // Raised from the awaiter's own error, not a result<> temporary: the
    // temporary would give every resumption a stack frame in wasm memory.
    void await_resume() {
      if (!err.ok()) detail::raise(err);
    }
  };

  struct get_awaiter : detail::list_awaiter {
    basic_queue* q;
    std::optional<T> item;
    explicit get_awaiter(basic_queue& qu) noexcept : q(&qu) { cancel_after_completion = false; }
    bool await_ready() {
      if (!q->empty()) {
        take();
        return true;
      }
      if (q->closed_) detail::set_queue_closed(err);  // delivered by await_suspend
      return false;
    }
    // Out of line: await_ready stays small enough to inline, so a get that
    // waits (each hop of a ping-pong) makes no call for it.
    [[gnu::noinline]] void take() {
      item.emplace(q->items_.take());
      q->admit_putter();
    }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, q->getters_, "queue get");
    }
    result<T> resume_result() {
      if (!err.ok()) return err;
      return std::move(*item);
    }
    T await_resume() {
      if (!err.ok()) detail::raise(err);  // as put_awaiter's
      return std::move(*item);
    }
  };

  /// Adds `v`, waiting while the queue is full.
  [[nodiscard]] put_awaiter put(T v) { return put_awaiter(*this, std::move(v)); }
  /// Takes the next item (the oldest, the newest or the smallest), waiting while the queue is empty.
  [[nodiscard]] get_awaiter get() noexcept { return get_awaiter(*this); }

 private:
  // Without waiting (the queue is open): straight to the first waiting getter,
  // else into the store when there is room; false when full. A waiting getter
  // means the store is empty, so the hand-over skips the size check.
  bool put_now(T& v) {
    if (auto* g = static_cast<get_awaiter*>(getters_.pop_front())) {
      ++unfinished_;
      g->item.emplace(std::move(v));
      detail::complete(*g);
      return true;
    }
    if (full()) return false;
    store(v);
    return true;
  }
  // Out of line: put_now stays small enough to inline, so a hand-over to a
  // waiting getter makes no call for it.
  [[gnu::noinline]] void store(T& v) {
    ++unfinished_;
    items_.push(std::move(v));
  }
  // Room appeared: the first waiting putter's item moves in.
  void admit_putter() {
    if (auto* p = static_cast<put_awaiter*>(putters_.pop_front())) {
      ++unfinished_;
      items_.push(std::move(*p->item));
      detail::complete(*p);
    }
  }

  Store items_;
  std::size_t max_;
  std::size_t unfinished_ = 0;
  bool closed_ = false;
  detail::wait_list getters_;
  detail::wait_list putters_;
  detail::wait_list joiners_;
};

/// First in, first out (asyncio.Queue).
template <class T>
using queue = basic_queue<T, detail::fifo_store<T>>;
/// Last in, first out (asyncio.LifoQueue).
template <class T>
using lifo_queue = basic_queue<T, detail::lifo_store<T>>;
/// Smallest first by `Compare` (asyncio.PriorityQueue); equal items in no set order.
template <class T, class Compare = std::less<T>>
using priority_queue = basic_queue<T, detail::priority_store<T, Compare>>;

}  // namespace wasync
