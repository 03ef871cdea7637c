// The op registry: ids JS settles by, mapped to the C++ targets waiting on them.
#include "wasync/detail/js_op.hpp"

#include <limits>
#include <unordered_map>

#include "js_imports.hpp"

namespace wasync::detail {
namespace {
std::unordered_map<std::int32_t, js_target*>& targets() {
  static std::unordered_map<std::int32_t, js_target*> t;
  return t;
}
std::int32_t last_id = 0;
}  // namespace

error js_status_error(js_status s, const js_value& message) {
  std::string text = message.as_string().value_or("");
  switch (s) {
    case js_status::ok:
    case js_status::end: return {};
    case js_status::js_error: return error(errc::js_error, std::move(text));
    case js_status::network_error: return error(errc::network_error, std::move(text));
    case js_status::closed: return error(errc::closed, std::move(text));
    case js_status::invalid_argument: return error(errc::invalid_argument, std::move(text));
    case js_status::not_supported: return error(errc::not_supported, std::move(text));
    case js_status::busy: return error(errc::invalid_state, std::move(text));
  }
  return error(errc::js_error, "unknown settlement status " + std::to_string(static_cast<int>(s)));
}

std::int32_t js_target::enlist() noexcept {
  auto& t = targets();
  do {
    last_id = last_id == std::numeric_limits<std::int32_t>::max() ? 1 : last_id + 1;
  } while (t.contains(last_id));
  t.emplace(last_id, this);
  return op_id_ = last_id;
}

void js_target::withdraw() noexcept {
  if (!op_id_) return;
  targets().erase(op_id_);
  wasync_web_cancel(std::exchange(op_id_, 0));
}

void js_target::deliver(std::int32_t op_id, js_status status, std::int32_t value_id, std::int32_t aux) noexcept {
  js_value value = js_value::adopt(value_id);  // released here if nobody takes it
  auto& t = targets();
  auto it = t.find(op_id);
  if (it == t.end()) return;  // withdrawn: a late settlement
  js_target* target = it->second;
  t.erase(it);
  target->op_id_ = 0;
  target->settled(status, std::move(value), aux);
}

void js_op::settled(js_status s, js_value v, std::int32_t a) noexcept {
  status = s;
  aux = a;
  if (s != js_status::ok && s != js_status::end) err = js_status_error(s, v);
  else value = std::move(v);
  complete(*this);
}

}  // namespace wasync::detail
