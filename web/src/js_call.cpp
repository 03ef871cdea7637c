// Calls JS awaits: their Promises, AbortSignals and completions, by op id.
#include "wasync/detail/js_call.hpp"

#include <cstdint>
#include <string>

#include "js_imports.hpp"

namespace wasync::detail {
namespace {
std::uint32_t address(const void* p) noexcept {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

void complete_op(std::int32_t op, js_reply_status status, const void* data, std::size_t size) noexcept {
  wasync_web_complete(op, static_cast<std::uint32_t>(status), data, size);
}
}  // namespace

js_error_reply error_reply(const error& e) noexcept {
  const char* code = to_string(e.code());
  const std::string& message = e.message();
  return {address(code), static_cast<std::uint32_t>(std::char_traits<char>::length(code)), address(message.data()),
          static_cast<std::uint32_t>(message.size()), static_cast<std::int32_t>(e.code())};
}

js_call::js_call(task_context& task) noexcept : js_target(true), task_(task) {
  enlist();
  finished_.call = this;
  finished_.on_finished = [](wait_node& n) {
    js_call& c = *static_cast<finish_watch&>(n).call;
    c.task_done(c.task_);
  };
  task.add_waiter(finished_);
}

void js_call::settled(js_status, js_value, std::int32_t) noexcept {
  task_.cancel(error(errc::cancelled, "aborted by its AbortSignal"));
}

js_value js_call::promise(const js_value& signal) { return js_value::adopt(wasync_web_promise(op_id(), signal.id())); }

void js_call::complete(const void* data, std::size_t size) noexcept {
  const std::int32_t op = op_id();
  forget();
  complete_op(op, js_reply_status::ok, data, size);
}

void js_call::complete(const error& e) noexcept {
  const std::int32_t op = op_id();
  forget();
  const js_error_reply r = error_reply(e);
  complete_op(op, js_reply_status::failed, &r, sizeof r);
}

}  // namespace wasync::detail
