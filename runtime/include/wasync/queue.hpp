// queue<T>: a FIFO channel between tasks (asyncio.Queue), optionally bounded.
// Items go straight to a waiting getter; a cancelled getter never loses an
// item and a cancelled putter never inserts one. close() ends it: putters fail
// with errc::closed, getters drain what is left and then get errc::closed.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "wasync/detail/list_awaiter.hpp"

namespace wasync {

template <class T>
class queue {
 public:
  /// maxsize 0: unbounded.
  explicit queue(std::size_t maxsize = 0) : max_(maxsize) {}
  ~queue() {
    getters_.fail_all(error(errc::closed, "queue destroyed"));
    putters_.fail_all(error(errc::closed, "queue destroyed"));
  }
  queue(const queue&) = delete;
  queue& operator=(const queue&) = delete;

  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  bool full() const noexcept { return max_ != 0 && items_.size() >= max_; }
  bool closed() const noexcept { return closed_; }
  std::size_t maxsize() const noexcept { return max_; }

  /// Adds without waiting: errc::invalid_state when full, errc::closed when closed.
  result<void> try_put(T v) {
    if (closed_) return error(errc::closed, "queue closed");
    if (auto* g = static_cast<get_awaiter*>(getters_.pop_front())) {
      g->item.emplace(std::move(v));
      detail::complete(*g);
      return {};
    }
    if (full()) return error(errc::invalid_state, "queue full");
    items_.push_back(std::move(v));
    return {};
  }
  /// Takes without waiting; nullopt when empty.
  std::optional<T> try_get() {
    if (items_.empty()) return std::nullopt;
    std::optional<T> v(std::move(items_.front()));
    items_.pop_front();
    admit_putter();
    return v;
  }
  /// Closes the queue: waiting putters fail now, waiting getters fail (it is empty).
  void close() noexcept {
    if (closed_) return;
    closed_ = true;
    putters_.fail_all(error(errc::closed, "queue closed"));
    getters_.fail_all(error(errc::closed, "queue closed"));
  }

  struct put_awaiter : detail::list_awaiter {
    queue* q;
    std::optional<T> item;
    put_awaiter(queue& qu, T v) : q(&qu), item(std::move(v)) { cancel_after_completion = false; }
    bool await_ready() {
      if (!q->closed_ && q->full() && q->getters_.empty()) return false;
      if (auto r = q->try_put(std::move(*item)); !r) err = r.error();  // delivered by await_suspend
      return err.ok();
    }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, q->putters_, "queue put");
    }
    result<void> resume_result() { return err; }
    void await_resume() { detail::unwrap(resume_result()); }
  };

  struct get_awaiter : detail::list_awaiter {
    queue* q;
    std::optional<T> item;
    explicit get_awaiter(queue& qu) noexcept : q(&qu) { cancel_after_completion = false; }
    bool await_ready() {
      item = q->try_get();
      if (!item && q->closed_) err = error(errc::closed, "queue closed");  // delivered by await_suspend
      return item.has_value();
    }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, q->getters_, "queue get");
    }
    result<T> resume_result() {
      if (!err.ok()) return err;
      return std::move(*item);
    }
    T await_resume() { return detail::unwrap(resume_result()); }
  };

  /// Adds `v`, waiting while the queue is full.
  [[nodiscard]] put_awaiter put(T v) { return put_awaiter(*this, std::move(v)); }
  /// Takes the oldest item, waiting while the queue is empty.
  [[nodiscard]] get_awaiter get() noexcept { return get_awaiter(*this); }

 private:
  // Room appeared: the first waiting putter's item moves in.
  void admit_putter() {
    if (auto* p = static_cast<put_awaiter*>(putters_.pop_front())) {
      items_.push_back(std::move(*p->item));
      detail::complete(*p);
    }
  }

  std::deque<T> items_;
  std::size_t max_;
  bool closed_ = false;
  detail::wait_list getters_;
  detail::wait_list putters_;
};

}  // namespace wasync
