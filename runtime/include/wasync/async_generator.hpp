// async_generator<T, Sent>: a coroutine that co_yields items and may co_await in
// between; consumed with `while (auto item = co_await gen.next())`. It runs
// inside the consuming task, so cancelling the consumer reaches its awaits.
//
// As asyncio's async generators: asend(v) resumes it with a value (the co_yield
// expression's result), athrow(e) raises e at its co_yield, aclose() closes it at
// its co_yield and awaits its cleanup. An error the generator does not handle
// reaches the consumer. Without exceptions a plain `co_yield v` cannot handle an
// error (athrow unwinds the generator, aclose runs its RAII cleanup); a generator
// that wants to handle them, or to await during its cleanup, yields with
// `co_yield yield_checked(v)`, which returns a result instead. A generator
// destroyed without aclose() runs only its synchronous RAII cleanup.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/task.hpp"

namespace wasync {

template <class T, class Sent = void>
class async_generator;

/// co_yield yield_checked(v): errors thrown in by athrow() and aclose()'s close
/// arrive as the result of the co_yield instead of unwinding or throwing.
template <class U>
struct checked_item {
  U&& item;
};
template <class U>
checked_item<U> yield_checked(U&& item) noexcept {
  return {std::forward<U>(item)};
}

namespace detail {

/// The value a co_yield evaluates to: what asend() passed (nullopt from next()).
template <class Sent>
struct generator_input {
  using type = std::optional<Sent>;
  std::optional<Sent> sent;
  type take() noexcept { return std::exchange(sent, std::nullopt); }
};
template <>
struct generator_input<void> {
  using type = void;
  void take() noexcept {}
};

inline error generator_closed() { return error(errc::cancelled, "async generator closed"); }

template <class T, class Sent>
struct generator_promise : task_promise_base {
  generator_input<Sent> input;
  error thrown;          ///< athrow()/aclose(): raised at the co_yield
  bool started = false;  ///< reached a co_yield at least once
  bool running = false;  ///< resumed by a consumer and not yet back
  bool closing = false;  ///< aclose() was delivered: another co_yield is an error
  bool checked = false;  ///< suspended at a co_yield yield_checked(...)

  async_generator<T, Sent> get_return_object() noexcept;
  outcome<T>& slot() noexcept { return *static_cast<outcome<T>*>(out); }

  template <bool Checked>
  struct yield_awaiter {
    generator_promise* p;
    bool await_ready() const noexcept { return false; }
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<generator_promise> h) noexcept {
      if (p->closing)  // asyncio: "async generator ignored GeneratorExit"
        return transfer_to(unwind(p, h, error(errc::invalid_state, "async generator yielded after aclose()")));
      p->started = true;
      p->running = false;
      p->checked = Checked;
      return transfer_to(p->lnk->parent);
    }
    auto await_resume() {
      error e = std::exchange(p->thrown, {});
      if constexpr (Checked) {
        using value_t = typename generator_input<Sent>::type;
        if (!e.ok()) return result<value_t>(std::move(e));
        if constexpr (std::is_void_v<value_t>) return result<void>();
        else return result<value_t>(p->input.take());
      } else {
        if (!e.ok()) raise(e);  // only with exceptions: without, the consumer unwound this frame
        return p->input.take();
      }
    }
  };

  template <class U>
    requires std::is_constructible_v<T, U &&>
  yield_awaiter<false> yield_value(U&& v) {
    slot().set_value(std::forward<U>(v));
    return {this};
  }
  template <class U>
    requires std::is_constructible_v<T, U &&>
  yield_awaiter<true> yield_value(checked_item<U> v) {
    slot().set_value(std::forward<U>(v.item));
    return {this};
  }
  void return_void() noexcept {}
};

/// One resumption of a generator: next(), asend(), athrow() or aclose().
template <class T, class Sent>
struct resume_awaiter : link {
  enum class kind : std::uint8_t { next, send, raise, close };
  using promise_t = generator_promise<T, Sent>;
  outcome<T> slot;
  coro::coroutine_handle<>* gen;
  kind what;
  error to_raise;
  generator_input<Sent> input;

  resume_awaiter(coro::coroutine_handle<>& g, kind k, error e = {}) noexcept
      : gen(&g), what(k), to_raise(std::move(e)) {
    owner = gen;
  }
  resume_awaiter(resume_awaiter&& o) noexcept
      : link(o), gen(o.gen), what(o.what), to_raise(std::move(o.to_raise)), input(std::move(o.input)) {
    owner = gen;
  }

  bool finished() const noexcept { return !*gen || gen->done(); }
  bool await_ready() const noexcept { return finished() && what != kind::raise; }

  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    parent = h;
    parent_promise = &h.promise();
    if (finished()) return transfer_to(deliver(std::move(to_raise)));  // athrow: nothing to raise it in
    auto g = coro::coroutine_handle<promise_t>::from_address(gen->address());
    promise_t& gp = g.promise();
    if (gp.running) return transfer_to(deliver(error(errc::invalid_state, "async generator is already running")));
    if (!gp.started && what == kind::send)
      return transfer_to(deliver(error(errc::invalid_state, "a just-started async generator cannot receive a value: start it with next()")));
    if (!gp.started && (what == kind::raise || what == kind::close)) {
      // Never ran: nothing to clean up asynchronously, asyncio closes it at once.
      std::exchange(*gen, {}).destroy();
      return transfer_to(what == kind::raise ? deliver(std::move(to_raise)) : coro::coroutine_handle<>(h));
    }
    gp.lnk = this;
    gp.out = &slot;
    gp.ctx = h.promise().ctx;
    gp.running = true;
    if constexpr (!std::is_void_v<Sent>) gp.input.sent = input.take();
    if (what == kind::raise || what == kind::close) {
      gp.thrown = to_raise;
      gp.closing = what == kind::close;
      if (!exceptions_enabled && !gp.checked) {
        if (what == kind::close) {  // runs its RAII cleanup; the close is not an error
          std::exchange(*gen, {}).destroy();
          return transfer_to(h);
        }
        return transfer_to(unwind(&gp, g, std::move(gp.thrown)));
      }
    }
    return transfer_to(g);
  }

  /// An error for the consumer from await_suspend: unwinds it unless it captures.
  coro::coroutine_handle<> deliver(error e) noexcept {
    if (!capture && !exceptions_enabled) return unwind(parent_promise, parent, std::move(e));
    slot.set_error(std::move(e));
    return parent;
  }
};

template <class T, class Sent>
struct item_awaiter : resume_awaiter<T, Sent> {
  using resume_awaiter<T, Sent>::resume_awaiter;
  result<std::optional<T>> resume_result() {
    if (this->slot.failed()) return this->slot.err;
    return std::move(this->slot.value);
  }
  std::optional<T> await_resume() {
#if WASYNC_EXCEPTIONS
    if (this->slot.failed()) this->slot.rethrow();
#endif
    return unwrap(resume_result());
  }
};

template <class T, class Sent>
struct close_awaiter : resume_awaiter<T, Sent> {
  close_awaiter(coro::coroutine_handle<>& g) noexcept
      : resume_awaiter<T, Sent>(g, resume_awaiter<T, Sent>::kind::close, generator_closed()) {}
  /// The close coming back out of the generator unhandled is a clean close.
  bool clean() const noexcept { return !this->slot.failed() || this->slot.err.identical(this->to_raise); }
  result<void> resume_result() {
    if (clean()) return {};
    return this->slot.err;
  }
  void await_resume() {
#if WASYNC_EXCEPTIONS
    if (!clean()) this->slot.rethrow();
#endif
    unwrap(resume_result());
  }
};

}  // namespace detail

template <class T, class Sent>
class [[nodiscard]] async_generator {
  using kind = typename detail::resume_awaiter<T, Sent>::kind;

 public:
  using promise_type = detail::generator_promise<T, Sent>;

  async_generator() noexcept = default;
  async_generator(async_generator&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  async_generator& operator=(async_generator&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~async_generator() {
    if (h_) h_.destroy();
  }

  /// Resumes the generator until its next item (nullopt at the end). asyncio's __anext__.
  [[nodiscard]] detail::item_awaiter<T, Sent> next() noexcept { return {h_, kind::next}; }
  /// Resumes the generator with `v` as the value of its co_yield; its next item.
  /// A generator that has not started yet cannot receive one (invalid_state).
  template <class S = Sent>
    requires(!std::is_void_v<S>)
  [[nodiscard]] detail::item_awaiter<T, Sent> asend(S v) noexcept {
    detail::item_awaiter<T, Sent> a{h_, kind::send};
    a.input.sent.emplace(std::move(v));
    return a;
  }
  /// Raises `e` at the generator's co_yield: its next item if it handles e and
  /// yields again, otherwise e (or its own error) reaches the consumer.
  [[nodiscard]] detail::item_awaiter<T, Sent> athrow(error e) noexcept { return {h_, kind::raise, std::move(e)}; }
  /// Closes the generator at its co_yield and awaits its cleanup. Fails if the
  /// cleanup fails or the generator yields again (invalid_state).
  [[nodiscard]] detail::close_awaiter<T, Sent> aclose() noexcept { return {h_}; }
  /// Finished, failed or closed: next() yields nullopt from now on.
  bool done() const noexcept { return !h_ || h_.done(); }

 private:
  friend promise_type;
  explicit async_generator(detail::coro::coroutine_handle<> h) noexcept : h_(h) {}
  detail::coro::coroutine_handle<> h_;
};

namespace detail {
template <class T, class Sent>
async_generator<T, Sent> generator_promise<T, Sent>::get_return_object() noexcept {
  return async_generator<T, Sent>(coro::coroutine_handle<generator_promise<T, Sent>>::from_promise(*this));
}
}  // namespace detail

}  // namespace wasync
