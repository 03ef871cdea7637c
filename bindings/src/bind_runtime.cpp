// The bindings' side of every module: settling JS calls, cancelling them by
// id, keeping sync results alive until JS read them, and the debug counters.
#include <cstdlib>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "wasync/bind/call.hpp"
#include "wasync/web_host.hpp"

extern "C" {
// From bindings/js/wasync_bind.js: hands the result buffer of call `call` to its wrapper.
void wasync_bind_settle(std::int32_t call, std::uint32_t status, const std::uint8_t* data, std::size_t size);
}

namespace wasync::bind::detail {
namespace {
// Suspended calls JS may cancel, by id.
std::unordered_map<std::int32_t, pending_call*>& calls() {
  static std::unordered_map<std::int32_t, pending_call*> c;
  return c;
}

std::unique_ptr<kept> last_kept;
wasync::detail::task_context* last_task = nullptr;
reply last_reply;

void write_error(writer& w, const error& e) {
  w.clear();
  w.add(std::string_view(to_string(e.code())));
  w.add(e.message());
}

// A result the writer had no memory for. errc::exception, as the
// std::bad_alloc a build with exceptions reports from the function itself.
error result_out_of_memory() {
  return error(errc::exception, "out of memory: the result did not fit in wasm memory");
}
}  // namespace

writer& result_writer() noexcept {
  static writer w;
  return w;
}

void release_answer() noexcept {
  last_kept.reset();
  if (last_task) std::exchange(last_task, nullptr)->release();
}

const reply* answer(reply_status status, std::unique_ptr<kept> held, wasync::detail::task_context* task) {
  if (status == reply_status::ok && result_writer().failed()) {
    if (task) task->release();
    return answer_error(result_out_of_memory());
  }
  release_answer();
  last_kept = std::move(held);
  last_task = task;
  const writer& w = result_writer();
  last_reply = {status, static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(w.data())),
                static_cast<std::uint32_t>(w.size()), last_kept || last_task ? 1u : 0u};
  return &last_reply;
}

const reply* answer_error(const error& e) {
  // The message must outlive the answer: keep a copy of the error.
  auto held = std::make_unique<kept_value<error>>(e);
  write_error(result_writer(), held->value);
  return answer(reply_status::failed, std::move(held));
}

void settle(std::int32_t call, reply_status status) {
  const writer& w = result_writer();
  if (status == reply_status::ok && w.failed()) return settle_error(call, result_out_of_memory());
  wasync_bind_settle(call, static_cast<std::uint32_t>(status), w.data(), w.size());
}

void settle_error(std::int32_t call, const error& e) {
  write_error(result_writer(), e);
  settle(call, reply_status::failed);
}

void track(pending_call& call) {
  if (call.flags & cancellable) calls().insert_or_assign(call.id, &call);
}

void pending_call::task_done(wasync::detail::task_context& t) noexcept {
  if (flags & cancellable) calls().erase(id);
  t.retrieved = true;
  if (t.result_slot().failed()) {
    settle_error(id, t.result_slot().err);
  } else {
    writer& w = result_writer();
    w.clear();
    write_value(w);
    settle(id, reply_status::ok);
  }
  if (flags & owned_args) std::free(args);
  // The task's own reference outlives this call: finish() releases it next.
  t.release();
  delete this;
}

}  // namespace wasync::bind::detail

/// JS aborted the call's AbortSignal: cancel its task (and what it waits on).
WASYNC_BIND_ABI void wasync_bind_cancel(std::int32_t call) {
  auto& c = wasync::bind::detail::calls();
  if (auto it = c.find(call); it != c.end())
    it->second->task->cancel(wasync::error(wasync::errc::cancelled, "aborted by its AbortSignal"));
}

/// JS has read the last sync answer.
WASYNC_BIND_ABI void wasync_bind_release() { wasync::bind::detail::release_answer(); }

/// Argument buffers JS writes into.
WASYNC_BIND_ABI void* wasync_bind_alloc(std::size_t size) { return std::malloc(size); }
WASYNC_BIND_ABI void wasync_bind_free(void* p) { std::free(p); }

/// Live C++ tasks and cancellable calls in flight (leak checks).
WASYNC_BIND_ABI std::int32_t wasync_bind_live_tasks() {
  return static_cast<std::int32_t>(wasync::the_web_loop().live_tasks());
}
WASYNC_BIND_ABI std::int32_t wasync_bind_tracked_calls() {
  return static_cast<std::int32_t>(wasync::bind::detail::calls().size());
}
