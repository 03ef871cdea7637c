// The pieces every awaitable shares: a task's context (one per spawned task,
// asyncio's Task), the wait node a suspended task leaves with an operation,
// the link from a coroutine to whoever awaits it, and the unwinding that
// carries errors without exceptions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "wasync/detail/coro.hpp"
#include "wasync/detail/frame_pool.hpp"
#include "wasync/detail/outcome.hpp"
#include "wasync/error.hpp"
#include "wasync/driver.hpp"

namespace wasync {
class event_loop;
}

namespace wasync::detail {

class task_context;
struct promise_base;

/// Count of live coroutine frames and task contexts (tests assert it returns to zero).
inline std::size_t live_frames = 0;
inline std::size_t live_contexts = 0;

/// Left by a suspended task with the operation it waits on. Its task is
/// promise->ctx (not stored twice: a sleeping task's memory is mostly its
/// frame, and this node lives there).
struct wait_node {
  // Set when the task suspends.
  coro::coroutine_handle<> frame;
  promise_base* promise = nullptr;
  // Set by the awaiter's owner before suspending.
  /// Awaiting a task: called when it finishes instead of waking a task and
  /// handing over its outcome (wait() and as_completed watch many at once).
  void (*on_finished)(wait_node&) = nullptr;
  const char* what = "await";  ///< shown in task dumps
  /// Asks the operation to stop with `why`; it later completes the node (usually
  /// with err = why). Null: the wait cannot be interrupted; the request waits for
  /// the next await point.
  void (*on_cancel)(wait_node&, error why) = nullptr;
  // Set by the operation.
  error err;
  // Intrusive list links for operations that queue waiters.
  wait_node* prev = nullptr;
  wait_node* next = nullptr;
  bool capture = false;  ///< as_result(): hand errors to the frame instead of unwinding it
  /// Deliver a cancellation that arrives after the operation completed but before
  /// the task ran. False for operations that hand over a resource (lock, queue item).
  bool cancel_after_completion = true;
  /// Awaiting a task: a failure handed to this node counts as retrieved.
  bool retrieves = true;
};

/// Who continues after a coroutine awaited by another one finishes.
struct link {
  coro::coroutine_handle<> parent;
  promise_base* parent_promise = nullptr;
  /// Whoever owns the frame behind this link; unwinding clears it after destroying the frame.
  coro::coroutine_handle<>* owner = nullptr;
  bool capture = false;
};

struct promise_base {
  task_context* ctx = nullptr;
  link* lnk = nullptr;        ///< null for a task's root frame
  outcome_base* out = nullptr;  ///< where the value or error lands
  promise_base() noexcept { ++live_frames; }
  ~promise_base() { --live_frames; }
  // Every coroutine frame of a wasync awaitable comes from the pool.
  static void* operator new(std::size_t size) { return pooled_alloc(size); }
  static void operator delete(void* p, std::size_t size) noexcept { pooled_free(p, size); }
  promise_base(const promise_base&) = delete;
  promise_base& operator=(const promise_base&) = delete;
};

/// Symmetric transfers relied on tail calls to keep the stack flat; unoptimised
/// builds do not emit them, so each transfer nests a call. After this many
/// transfers within one step, the next frame is resumed from the loop's step
/// instead (a trampoline), which unwinds the nested calls first.
inline constexpr unsigned max_nested_transfers = 32;
inline thread_local unsigned nested_transfers = 0;
inline thread_local coro::coroutine_handle<> bounced_frame{};

/// The handle an await_suspend returns to transfer to `h`.
inline coro::coroutine_handle<> transfer_to(coro::coroutine_handle<> h) noexcept {
  if (++nested_transfers < max_nested_transfers) return h;
  bounced_frame = h;
  return coro::noop_coroutine();
}

/// Resumes `h` and every frame a transfer bounced back here (the loop's step).
void resume_flat(coro::coroutine_handle<> h);

/// Destroys a failing frame and hands its error up the chain of awaiters until one
/// takes it (capture mode, or any frame when exceptions carry errors) or the task's
/// root finishes. Returns the coroutine to resume next.
coro::coroutine_handle<> unwind(promise_base* p, coro::coroutine_handle<> frame, error e) noexcept;

/// Completes a node: the waiting task becomes ready.
void complete(wait_node& n) noexcept;

/// The suspension protocol every wasync awaiter follows (set `what` and
/// `on_cancel` first: a wait without on_cancel parks even when a cancellation
/// is pending, which then waits for the next await). Returns a handle to
/// transfer to when an error must be delivered right now (a pending
/// cancellation, or `n.err` set by an operation that failed at once), or null
/// when the task is now parked on `n` and the caller should register it.
/// Awaiters never report an error from await_ready() returning true: without
/// exceptions the frame must be unwound, which only await_suspend can do.
coro::coroutine_handle<> begin_wait(wait_node& n, promise_base& p,
                                    coro::coroutine_handle<> h) noexcept;

/// A spawned task (asyncio's Task): scheduling state, cancellation requests,
/// the root frame of its coroutine chain, and the tasks awaiting it. Its state
/// is private: the loop and the suspension protocol (friends below) change it;
/// everyone else goes through the member functions.
class task_context {
 public:
  enum class state : std::uint8_t { ready, running, waiting, done };

  virtual ~task_context() { --live_contexts; }
  task_context(const task_context&) = delete;
  task_context& operator=(const task_context&) = delete;
  // Sized by the most derived type (the destructor is virtual).
  static void* operator new(std::size_t size) { return pooled_alloc(size); }
  static void operator delete(void* p, std::size_t size) noexcept { pooled_free(p, size); }

  /// Requests cancellation; false when the task already finished.
  bool cancel(error why) noexcept;
  /// Takes back one cancel() (asyncio's Task.uncancel): the count left; at 0 a
  /// request not delivered yet is withdrawn.
  std::uint32_t uncancel() noexcept;
  /// cancel() requests not taken back by uncancel() (asyncio's Task.cancelling).
  std::uint32_t cancelling() const noexcept { return cancelling_; }
  /// The error of the latest outside cancel() (a group tells its own apart by it).
  const error& cancel_reason() const noexcept { return cancel_reason_; }
  /// A cancellation waits for the task's next await point.
  bool cancel_pending() const noexcept { return must_deliver_; }
  /// Consumes the pending request: the error to deliver (an outside cancel wins
  /// over a timeout in the same pass).
  error take_cancel() noexcept;

  /// Adds `n` to the nodes told when the task finishes: an awaiter's (woken
  /// with the outcome) or a watcher's (its on_finished called), in order.
  void add_waiter(wait_node& n) noexcept;
  void remove_waiter(wait_node& n) noexcept;

  void add_ref() noexcept { ++refs_; }
  /// Drops a reference; the last one reports an error nobody retrieved and frees the task.
  void release() noexcept;

  bool done() const noexcept { return st_ == state::done; }
  outcome_base& result_slot() noexcept { return *out_; }
  /// Someone looked at the outcome: a failure is not reported as never retrieved.
  void mark_retrieved() noexcept { retrieved_ = true; }
  /// It runs a call_soon/call_later callback: its errors are reported as such.
  void mark_callback() noexcept { is_callback_ = true; }
  const char* name() const noexcept { return name_; }
  event_loop& loop() const noexcept { return *loop_; }

  // Timeout scopes (timeout.hpp): an expired deadline asks for delivery of a
  // cancellation ("deadline exceeded"); the scope's exit turns it into errc::timeout.
  void request_timeout() noexcept;
  void withdraw_timeout() noexcept;
  /// Every outside cancel() so far: a scope compares it to tell its own expiry apart.
  std::uint32_t outside_cancels() const noexcept { return outside_cancels_; }
  /// unwind() is destroying a frame of this task: an error is leaving it.
  bool unwinding() const noexcept { return unwinding_; }
  /// An expired scope was left by an error of its own making.
  void mark_timeout_exit() noexcept { timeout_exit_ = true; }

 protected:
  /// `first` is the coroutine's root frame, resumed by the first step; its
  /// value or error lands in `out`.
  task_context(const char* name, outcome_base& out, coro::coroutine_handle<> first) noexcept
      : first_(first), out_(&out), name_(name) {
    ++live_contexts;
  }
  /// Drops a reference: true for the last one, whose holder then calls
  /// report_unretrieved() and deletes the task (release() without a virtual
  /// call, for a derived type that knows itself).
  bool drop_ref() noexcept { return --refs_ == 0; }
  /// An error nobody looked at is reported (the last reference went).
  void report_unretrieved() noexcept {
    if (st_ == state::done && !retrieved_ && out_->failed() && !out_->err.is(errc::cancelled)) report_never_retrieved();
  }
  [[gnu::noinline]] void report_never_retrieved() noexcept;

 private:
  friend class wasync::event_loop;
  friend void complete(wait_node& n) noexcept;
  friend coro::coroutine_handle<> begin_wait(wait_node& n, promise_base& p, coro::coroutine_handle<> h) noexcept;
  friend coro::coroutine_handle<> unwind(promise_base* p, coro::coroutine_handle<> frame, error e) noexcept;
  friend struct final_awaiter;
  friend struct task_promise_base;

  /// An error is leaving a frame of this task: if an expired timeout scope was
  /// left on the way, its cancellation becomes errc::timeout.
  void convert_timeout(error& e) noexcept;
  /// Hands the request to the current operation or keeps it for the next await.
  void deliver_cancel() noexcept;
  /// Root frame finished (final_suspend or unwinding): record, wake awaiters, release.
  coro::coroutine_handle<> finish() noexcept;
  /// finish() telling the nodes waiting for the task (out of line: most tasks
  /// have none, and finish() then keeps no stack frame in memory).
  [[gnu::noinline]] void wake_waiters() noexcept;

  // Loop-owned scheduling state. The fields are packed (a sleeping task's
  // memory is mostly this and its frame): flags in bits, and one slot for the
  // root frame (before the first step) and the wait node (after it).
  task_context* next_ready_ = nullptr;
  task_context* prev_live_ = nullptr;
  task_context* next_live_ = nullptr;
  event_loop* loop_ = nullptr;
  union {
    coro::coroutine_handle<> first_;  ///< until started_: the root frame, resumed by the first step
    wait_node* node_;                 ///< once started_: what the task waits on / resumes from
  };
  outcome_base* out_;               ///< the root frame's outcome
  // Cancellation.
  error cancel_reason_;             ///< code and message of outside cancel requests
  std::uint32_t refs_ = 1;
  std::uint32_t outside_cancels_ = 0;
  std::uint32_t cancelling_ = 0;
  std::uint16_t timeout_requests_ = 0;
  state st_ = state::ready;
  bool cancel_requested_ : 1 = false;  ///< an outside cancel() not delivered nor withdrawn yet
  bool must_deliver_ : 1 = false;      ///< a request waits for the next await point
  bool unwinding_ : 1 = false;
  bool timeout_exit_ : 1 = false;
  bool delivering_ : 1 = false;        ///< its wait's on_cancel runs (a cancel coming round again is not repeated)
  bool started_ : 1 = false;
  bool retrieved_ : 1 = false;
  bool is_callback_ : 1 = false;
  const char* name_;
  // Completion: the nodes of the tasks and watchers waiting for this one.
  wait_node* waiters_ = nullptr;
};

/// Intrusive FIFO of wait nodes (lock, semaphore, queue and event waiters).
class wait_list {
 public:
  bool empty() const noexcept { return head_ == nullptr; }
  wait_node* front() const noexcept { return head_; }
  void push_back(wait_node& n) noexcept;
  void remove(wait_node& n) noexcept;
  /// Inline: every hand-over (a queue item, a lock, a permit) takes the head.
  wait_node* pop_front() noexcept {
    wait_node* n = head_;
    if (!n) return nullptr;
    head_ = n->next;  // the head's prev is already null
    if (head_) head_->prev = nullptr;
    else tail_ = nullptr;
    n->next = nullptr;
    return n;
  }
  /// Completes every waiter with `e` (used when the object goes away or closes).
  void fail_all(const error& e) noexcept;

 private:
  wait_node* head_ = nullptr;
  wait_node* tail_ = nullptr;
};

/// Awaiter base for leaf operations: suspension protocol plus error delivery.
/// Derived awaiters implement `bool ready()`, `void start()` (register the node),
/// and `result<T> resume_result()`; `cancel` is the node's on_cancel.
struct leaf_awaiter : wait_node {
  template <class P>
  coro::coroutine_handle<> suspend(coro::coroutine_handle<P> h) noexcept {
    coro::coroutine_handle<> next = begin_wait(*this, h.promise(), h);
    return next ? transfer_to(next) : next;
  }
};

}  // namespace wasync::detail
