// Promises both ways: the JS calls behind js_await and to_js_promise.
#include "wasync/js_promise.hpp"

#include "js_imports.hpp"

namespace wasync::detail {

void js_await_awaiter::start(std::int32_t id) noexcept { wasync_js_await(promise_id, id); }

js_value new_js_promise(js_value& resolvers) {
  std::int32_t r = 0;
  js_value promise = js_value::adopt(wasync_js_promise(&r));
  resolvers = js_value::adopt(r);
  return promise;
}

void resolve_js_promise(const js_value& resolvers, js_value value) { wasync_js_resolve(resolvers.id(), value.id()); }

void reject_js_promise(const js_value& resolvers, const error& e) {
  const char* code = to_string(e.code());
  const std::string& message = e.message();
  wasync_js_reject(resolvers.id(), code, std::char_traits<char>::length(code), message.data(), message.size(),
                   static_cast<std::int32_t>(e.code()));
}

abort_watch::abort_watch(const js_value& signal, task_context& task) noexcept : task_(task) {
  wasync_js_on_abort(signal.id(), enlist());
}

void abort_watch::settled(js_status, js_value, std::int32_t) noexcept {
  task_.cancel(error(errc::cancelled, "aborted by its AbortSignal"));
}

}  // namespace wasync::detail
