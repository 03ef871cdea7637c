// A task's life: suspension, cancellation delivery, unwinding, completion.
#include <utility>

#include "wasync/event_loop.hpp"
#include "wasync/task.hpp"

namespace wasync::detail {

namespace {
#if defined(__EMSCRIPTEN__)
void* volatile frame_anchor_sink = nullptr;

// Emscripten 3.1.6 emits return_call before restoring the stack pointer, so a
// chain of symmetric transfers leaks in-memory stack until a caller with a
// frame of its own on that stack returns: its epilogue restores the pointer
// from its own copy (docs/toolchain-notes.md). A bounced frame is resumed
// through this function, so the chains of a long step cannot add up.
[[gnu::noinline]] void resume_in_own_frame(coro::coroutine_handle<> h) {
  char anchor[1];
  frame_anchor_sink = anchor;
  h.resume();
  frame_anchor_sink = nullptr;
}
#else
// Other toolchains restore the stack pointer before a tail call.
inline void resume_in_own_frame(coro::coroutine_handle<> h) { h.resume(); }
#endif

// The step's first chain (at most max_nested_transfers long), then each frame
// a bounce handed back.
inline void resume_chains(coro::coroutine_handle<> h) {
  nested_transfers = 0;
  h.resume();
  while (bounced_frame) {
    h = bounced_frame;
    bounced_frame = {};
    nested_transfers = 0;
    resume_in_own_frame(h);
  }
}
}  // namespace

#if defined(__EMSCRIPTEN__)
// A frame on the in-memory stack of its own (see resume_in_own_frame), never
// inlined into the loop: the first chain's leak ends when this returns.
[[gnu::noinline]] void resume_flat(coro::coroutine_handle<> h) {
  char anchor[1];
  frame_anchor_sink = anchor;
  resume_chains(h);
  frame_anchor_sink = nullptr;
}
#else
void resume_flat(coro::coroutine_handle<> h) { resume_chains(h); }
#endif

coro::coroutine_handle<> unwind(promise_base* p, coro::coroutine_handle<> frame, error e) noexcept {
  for (;;) {
    link* l = p->lnk;
    task_context* ctx = p->ctx;
    outcome_base* out = p->out;
    if (l && l->owner) *l->owner = {};
    const bool was_unwinding = ctx->unwinding_;
    ctx->unwinding_ = true;
    frame.destroy();  // the frame's RAII cleanup runs here, innermost first
    ctx->unwinding_ = was_unwinding;
    ctx->convert_timeout(e);
    if (!l) {
      out->set_error(std::move(e));
      return ctx->finish();
    }
    if (l->capture || exceptions_enabled) {
      out->set_error(std::move(e));
      return l->parent;
    }
    p = l->parent_promise;
    frame = l->parent;
  }
}

#if WASYNC_EXCEPTIONS
void task_promise_base::unhandled_exception() noexcept {
  out->set_current_exception();
  if (ctx->timeout_exit_ && out->err.is(errc::cancelled)) out->thrown = nullptr;
  ctx->convert_timeout(out->err);
}
#endif

coro::coroutine_handle<> final_awaiter::finish_frame(promise_base& p, coro::coroutine_handle<> h) noexcept {
  link* l = p.lnk;
  task_context* ctx = p.ctx;
  ctx->timeout_exit_ = false;  // a scope's error was caught inside the frame it left
  if (!l) {
    // Cancelled while running its last step (by itself, say): asyncio ends such
    // a task cancelled and drops the value it returned.
    if (ctx->must_deliver_ && ctx->cancel_requested_ && !p.out->failed()) p.out->set_error(ctx->take_cancel());
    h.destroy();
    return ctx->finish();
  }
  if (p.out->failed() && !l->capture && !exceptions_enabled) {
    error e = std::move(p.out->err);
    if (l->owner) *l->owner = {};
    h.destroy();
    return unwind(l->parent_promise, l->parent, std::move(e));
  }
  return l->parent;
}

void complete(wait_node& n) noexcept {
  task_context* c = n.promise->ctx;
  c->node_ = &n;
  c->st_ = task_context::state::ready;
  c->loop_->schedule(*c);
}

namespace {
// begin_wait's rare paths, out of line: their error temporaries would give
// every wait a frame on the in-memory stack in wasm.
[[gnu::noinline]] coro::coroutine_handle<> fail_wait(wait_node& n, promise_base& p, coro::coroutine_handle<> h) noexcept {
  if (!n.err.ok()) {
    // The operation failed before it could wait (its await_ready saw the error).
    if (!n.capture && !exceptions_enabled) return unwind(&p, h, std::move(n.err));
    return h;
  }
  error why = p.ctx->take_cancel();
  if (!n.capture && !exceptions_enabled) return unwind(&p, h, std::move(why));
  n.err = std::move(why);
  return h;  // resume at once; await_resume reports the error
}
}  // namespace

coro::coroutine_handle<> begin_wait(wait_node& n, promise_base& p, coro::coroutine_handle<> h) noexcept {
  task_context* c = p.ctx;
  c->timeout_exit_ = false;
  n.frame = h;
  n.promise = &p;
  // A pending cancellation is delivered now, unless the wait is uninterruptible
  // (it keeps it for later).
  if (!n.err.ok() || (c->must_deliver_ && n.on_cancel)) return fail_wait(n, p, h);
  c->node_ = &n;
  c->st_ = task_context::state::waiting;
  c->loop_->observe(task_event_kind::waiting, *c, n.what);
  return {};
}


bool task_context::cancel(error why) noexcept {
  if (st_ == state::done) return false;
  ++outside_cancels_;
  ++cancelling_;
  // Tasks that wait on each other (a gather of a task that gathers this one)
  // pass a cancellation round in a circle: the wait being told already is.
  if (delivering_) return true;
  cancel_requested_ = true;
  cancel_reason_ = std::move(why);
  deliver_cancel();
  return true;
}

std::uint32_t task_context::uncancel() noexcept {
  if (cancelling_ > 0) --cancelling_;
  if (cancelling_ == 0 && cancel_requested_) {
    cancel_requested_ = false;
    if (timeout_requests_ == 0) must_deliver_ = false;
  }
  return cancelling_;
}

void task_context::request_timeout() noexcept {
  ++timeout_requests_;
  if (st_ != state::done) deliver_cancel();
}

void task_context::withdraw_timeout() noexcept {
  --timeout_requests_;
  if (!cancel_requested_ && timeout_requests_ == 0) must_deliver_ = false;
}

error task_context::take_cancel() noexcept {
  must_deliver_ = false;
  if (cancel_requested_) {
    cancel_requested_ = false;
    return cancel_reason_.ok() ? error(errc::cancelled) : cancel_reason_;
  }
  return error(errc::cancelled, "deadline exceeded");
}

void task_context::convert_timeout(error& e) noexcept {
  const bool scope_expired = timeout_exit_;
  timeout_exit_ = false;
  if (!scope_expired || !e.is(errc::cancelled)) return;
  e = error(errc::timeout, "deadline exceeded");
}

void task_context::deliver_cancel() noexcept {
  if (st_ == state::waiting && node_->on_cancel) {
    delivering_ = true;
    node_->on_cancel(*node_, take_cancel());
    delivering_ = false;
  } else {
    must_deliver_ = true;
  }
}

coro::coroutine_handle<> task_context::finish() noexcept {
  st_ = state::done;
  node_ = nullptr;
  if (waiters_) wake_waiters();
  loop_->observe(task_event_kind::finished, *this, nullptr, &out_->err);
  loop_->forget(*this);
  release();
  return coro::noop_coroutine();
}

void task_context::wake_waiters() noexcept {
  while (wait_node* w = waiters_) {
    waiters_ = w->next;
    w->next = nullptr;
    if (w->on_finished) {
      w->on_finished(*w);
      continue;
    }
    if (out_->failed()) {
      w->err = out_->err;  // an awaiter without exceptions unwinds on it
      if (w->retrieves) retrieved_ = true;  // delivered, as asyncio's wakeup calls result()
    }
    complete(*w);
  }
}

void task_context::release() noexcept {
  if (!drop_ref()) return;
  report_unretrieved();
  delete this;
}

void task_context::report_never_retrieved() noexcept {
  // The last reference: an error nobody looked at is reported now, exactly once.
  detail::report_unretrieved(out_->err,
                             task_info{name_, nullptr, is_callback_ ? report_kind::callback : report_kind::never_retrieved});
}

void task_context::add_waiter(wait_node& n) noexcept {
  n.next = nullptr;
  wait_node** tail = &waiters_;
  while (*tail) tail = &(*tail)->next;
  *tail = &n;
}

void task_context::remove_waiter(wait_node& n) noexcept {
  for (wait_node** p = &waiters_; *p; p = &(*p)->next) {
    if (*p == &n) {
      *p = n.next;
      n.next = nullptr;
      return;
    }
  }
}

void wait_list::push_back(wait_node& n) noexcept {
  n.next = nullptr;
  n.prev = tail_;
  if (tail_) tail_->next = &n;
  else head_ = &n;
  tail_ = &n;
}

void wait_list::remove(wait_node& n) noexcept {
  if (n.prev) n.prev->next = n.next;
  else head_ = n.next;
  if (n.next) n.next->prev = n.prev;
  else tail_ = n.prev;
  n.prev = n.next = nullptr;
}

void wait_list::fail_all(const error& e) noexcept {
  while (wait_node* n = pop_front()) {
    n->err = e;
    complete(*n);
  }
}

}  // namespace wasync::detail
