// Promises both ways: the JS call behind js_await (to_js_promise is a js_call).
#include "wasync/js_promise.hpp"

#include "js_imports.hpp"

namespace wasync::detail {

void js_await_awaiter::start(std::int32_t id) noexcept { wasync_js_await(promise_id, id); }

}  // namespace wasync::detail
