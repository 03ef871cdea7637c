// The bindings' side of every module: answering JS calls, completing the ones
// that suspended (through the web host's JS operations, by op id), keeping
// sync results alive until JS read them, and the debug counter.
#include <cstdlib>
#include <utility>

#include "wasync/bind/call.hpp"
#include "wasync/web_host.hpp"

namespace wasync::bind::detail {
namespace {
std::unique_ptr<kept> last_kept;
wasync::detail::task_context* last_task = nullptr;
reply last_reply;

std::uint32_t address(const void* p) noexcept {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

// A result the writer had no memory for. errc::exception, as the
// std::bad_alloc a build with exceptions reports from the function itself.
error result_out_of_memory() {
  return error(errc::exception, "out of memory: the result did not fit in wasm memory");
}

// A failed answer's error and the reply pointing into it, kept until JS read them.
struct kept_error final : kept {
  error value;
  wasync::detail::js_error_reply reply;
  explicit kept_error(const error& e) : value(e), reply(wasync::detail::error_reply(value)) {}
};
}  // namespace

writer& result_writer() noexcept {
  static writer w;
  return w;
}

void release_answer() noexcept {
  last_kept.reset();
  if (last_task) std::exchange(last_task, nullptr)->release();
}

void answer(reply_status status, std::unique_ptr<kept> held, wasync::detail::task_context* task) {
  if (status == reply_status::ok && result_writer().failed()) {
    if (task) task->release();
    answer_error(result_out_of_memory());
    return;
  }
  release_answer();
  last_kept = std::move(held);
  last_task = task;
  const writer& w = result_writer();
  last_reply = {static_cast<std::uint32_t>(status), address(w.data()), static_cast<std::uint32_t>(w.size()),
                last_kept || last_task ? 1u : 0u};
}

void answer_error(const error& e) {
  auto held = std::make_unique<kept_error>(e);  // before the release: `e` may live in what it releases
  release_answer();
  last_reply = {static_cast<std::uint32_t>(reply_status::failed), address(&held->reply), sizeof held->reply, 1u};
  last_kept = std::move(held);
}

const reply* reply_address() noexcept { return &last_reply; }

void answer_pending(std::int32_t op) {
  release_answer();
  last_reply = {static_cast<std::uint32_t>(reply_status::pending), static_cast<std::uint32_t>(op), 0u, 0u};
}

void pending_call::task_done(wasync::detail::task_context& t) noexcept {
  t.mark_retrieved();
  if (t.result_slot().failed()) {
    complete(t.result_slot().err);
  } else {
    writer& w = result_writer();
    w.clear();
    write_value(w);
    if (w.failed()) complete(result_out_of_memory());
    else complete(w.data(), w.size());
  }
  if (owns_args) std::free(args);
  // The task's own reference outlives this call: finish() releases it next.
  t.release();
  delete this;
}

}  // namespace wasync::bind::detail

/// Where JS reads an answer when a glue function returns NaN (one place for every call).
WASYNC_BIND_ABI const wasync::bind::reply* wasync_bind_reply() { return wasync::bind::detail::reply_address(); }
/// JS has read the last answer.
WASYNC_BIND_ABI void wasync_bind_release() { wasync::bind::detail::release_answer(); }

/// Argument buffers JS writes into.
WASYNC_BIND_ABI void* wasync_bind_alloc(std::size_t size) { return std::malloc(size); }
WASYNC_BIND_ABI void wasync_bind_free(void* p) { std::free(p); }

/// Live C++ tasks (leak checks).
WASYNC_BIND_ABI std::int32_t wasync_bind_live_tasks() {
  return static_cast<std::int32_t>(wasync::the_web_loop().live_tasks());
}
