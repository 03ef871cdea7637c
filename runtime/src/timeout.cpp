// timeout_scope: one timer that asks the owning task to stop; the scope's exit
// turns that cancellation into errc::timeout (Python 3.12's asyncio.timeout).
#include "wasync/timeout.hpp"

#if WASYNC_EXCEPTIONS
#include <exception>
#endif

namespace wasync {
namespace {
int errors_in_flight() noexcept {
#if WASYNC_EXCEPTIONS
  return std::uncaught_exceptions();
#else
  return 0;
#endif
}
}  // namespace

timeout_scope::timeout_scope(time_point deadline_at)
    : ctx_(detail::loop().running()), uncaught_at_entry_(errors_in_flight()) {
  if (!ctx_) detail::fatal("timeout() used outside a task");
  outside_cancels_at_entry_ = ctx_->outside_cancels();
  fire = [](timer_node& t) {
    auto& s = static_cast<timeout_scope&>(t);
    s.expired_ = true;
    s.ctx_->request_timeout();
  };
  ctx_->loop().add_timer(*this, deadline_at);
}

timeout_scope::~timeout_scope() {
  ctx_->loop().remove_timer(*this);
  if (!expired_) return;
  ctx_->withdraw_timeout();
  // Our expiry is what an error leaving the scope carries, unless someone else
  // cancelled the task meanwhile (that stays a cancellation).
  const bool error_leaving = ctx_->unwinding() || errors_in_flight() > uncaught_at_entry_;
  if (error_leaving && ctx_->outside_cancels() == outside_cancels_at_entry_) ctx_->mark_timeout_exit();
}

void timeout_scope::reschedule(time_point new_deadline) {
  if (expired_) return;
  ctx_->loop().remove_timer(*this);
  ctx_->loop().add_timer(*this, new_deadline);
}

}  // namespace wasync
