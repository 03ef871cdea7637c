// timeout_scope: one timer that asks the owning task to stop with errc::timeout.
#include "wasync/timeout.hpp"

namespace wasync {

timeout_scope::timeout_scope(time_point deadline_at) : ctx_(detail::loop().running()) {
  if (!ctx_) detail::fatal("timeout() used outside a task");
  fire = [](timer_node& t) {
    auto& s = static_cast<timeout_scope&>(t);
    s.expired_ = true;
    s.ctx_->request_timeout();
  };
  ctx_->loop->add_timer(*this, deadline_at);
}

timeout_scope::~timeout_scope() {
  ctx_->loop->remove_timer(*this);
  if (expired_) ctx_->withdraw_timeout();
}

void timeout_scope::reschedule(time_point new_deadline) {
  if (expired_) return;
  ctx_->loop->remove_timer(*this);
  ctx_->loop->add_timer(*this, new_deadline);
}

}  // namespace wasync
