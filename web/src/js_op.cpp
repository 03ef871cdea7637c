// Awaiting one JS operation: its settlement completes the wait.
#include "wasync/detail/js_op.hpp"

namespace wasync::detail {

void js_op::settled(js_status s, js_value v, std::int32_t a) noexcept {
  status = s;
  aux = a;
  if (s != js_status::ok && s != js_status::end) err = js_status_error(s, v);
  else value = std::move(v);
  complete(*this);
}

}  // namespace wasync::detail
