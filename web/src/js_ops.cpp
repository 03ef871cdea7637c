// The web host's JS operations reactor: op ids, their targets, the batch of settlements.
#include "wasync/detail/js_ops.hpp"

#include <limits>
#include <string>
#include <utility>

#include "js_imports.hpp"
#include "wasync/web_host.hpp"

namespace wasync::detail {

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
    case js_status::aborted: return error(errc::cancelled, std::move(text));
  }
  return error(errc::js_error, "unknown settlement status " + std::to_string(static_cast<int>(s)));
}

std::int32_t js_target::enlist() noexcept { return the_web_host().js_ops().enlist(*this); }

void js_target::withdraw() noexcept {
  if (op_id_) the_web_host().js_ops().withdraw(*this);
}

void js_target::forget() noexcept {
  if (op_id_) the_web_host().js_ops().forget(*this);
}

js_ops::slot* js_ops::find(std::int32_t id) noexcept {
  if (id <= 0) return nullptr;  // 0: idle; JS never sends a negative id
  slot& s = slots_[static_cast<std::uint32_t>(id) & (slots_.size() - 1)];
  return s.id == id ? &s : nullptr;
}

void js_ops::grow() {
  std::vector<slot> bigger(slots_.size() * 2);
  // Ids apart in the low bits of the old mask are apart in the wider one too.
  for (const slot& s : slots_)
    if (s.id) bigger[static_cast<std::uint32_t>(s.id) & (bigger.size() - 1)] = s;
  slots_ = std::move(bigger);
}

std::int32_t js_ops::enlist(js_target& t) noexcept {
  if ((count_ + 1) * 2 > slots_.size()) grow();
  slot* s;
  do {
    last_id_ = last_id_ == std::numeric_limits<std::int32_t>::max() ? 1 : last_id_ + 1;
    s = &slots_[static_cast<std::uint32_t>(last_id_) & (slots_.size() - 1)];
  } while (s->id != 0);
  *s = {last_id_, &t};
  ++count_;
  return t.op_id_ = last_id_;
}

void js_ops::withdraw(js_target& t) noexcept {
  const std::int32_t id = t.op_id_;
  forget(t);
  wasync_web_cancel(id);
}

void js_ops::forget(js_target& t) noexcept {
  if (slot* s = find(t.op_id_)) {
    *s = {};
    --count_;
  }
  t.op_id_ = 0;
}

js_settlement* js_ops::settlement_buffer(std::size_t n) {
  settlements_.resize(n);
  return settlements_.data();
}

void js_ops::settle_batch(std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) settle(settlements_[i]);
}

void js_ops::settle(js_settlement r) noexcept {
  js_value value = js_value::adopt(r.value);  // released here if nobody takes it
  slot* s = find(r.op);
  if (!s) return;  // withdrawn: a late settlement
  js_target* target = s->target;
  if (!target->listens_) {
    *s = {};
    --count_;
    target->op_id_ = 0;
  }
  target->settled(static_cast<js_status>(r.status), std::move(value), r.aux);
}

}  // namespace wasync::detail
