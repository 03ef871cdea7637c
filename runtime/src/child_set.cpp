// child_set: bookkeeping shared by gather, when_any and task_group.
#include "wasync/detail/child_set.hpp"

namespace wasync::detail {

child_set::~child_set() {
  abandon();
  set_owner(nullptr);
  // A failure nobody joined is still a failure nobody saw.
  for (std::size_t i = 0; i < errors_.size(); ++i) report_unretrieved(errors_[i], task_info{names_[i], nullptr});
}

void child_set::abandon() noexcept {
  if (abort_task_.valid()) abort_task_.cancel();
  for (child& c : children_) {
    if (c.watching) {
      c.ctx->remove_waiter(c);
      c.ctx->cancel(error(errc::cancelled, "its task group went away"));
    }
    c.ctx->release();
  }
  children_.clear();
  pending_ = 0;
}

void child_set::add(task_context& t) {
  compact();
  t.add_ref();
  child& c = children_.emplace_back();
  c.set = this;
  c.ctx = &t;
  ++pending_;
  if (t.done()) {  // a running task handed over after it finished
    task_done(t);
    return;
  }
  c.on_finished = &child_set::child_finished;
  c.watching = true;
  t.add_waiter(c);
  if (aborting_) t.cancel(abort_reason_);
}

void child_set::child_finished(wait_node& n) noexcept {
  auto& c = static_cast<child&>(n);
  c.watching = false;
  c.set->task_done(*c.ctx);
}

void child_set::cancel_all(const error& why) noexcept {
  for (child& c : children_)
    if (!c.ctx->done() && c.ctx != body_) c.ctx->cancel(why);
  if (body_ && !body_->done()) body_->cancel(why);
}

void child_set::set_owner(task_context* t) noexcept {
  if (t) t->add_ref();
  if (owner_) owner_->release();
  owner_ = t;
}

task<void> child_set::abort_group(child_set* s) {
  s->set_aborting(error(errc::cancelled, "a sibling failed"));
  if (s->owner_ && !s->waiter_ && !s->owner_->done()) {
    s->owner_cancel_ = error(errc::cancelled, "a task in its task group failed");
    s->owner_->cancel(s->owner_cancel_);
  }
  co_return;
}

void child_set::abort_next_pass() noexcept {
  if (aborting_ || abort_task_.valid()) return;
  abort_task_ = spawn(abort_group(this), {.name = "task group abort"});
}

void child_set::set_aborting(error why) noexcept {
  if (aborting_) return;
  aborting_ = true;
  abort_reason_ = std::move(why);
  cancel_all(abort_reason_);
}

void child_set::prepare(join_awaiter& a, task_context& joiner) noexcept {
  a.what = "children";
  a.on_cancel = [](wait_node& n, error why) {
    child_set& s = *static_cast<join_awaiter&>(n).set;
    s.joiner_cancelled_ = why;
    s.cancel_all(why);
  };
  // A cancellation already pending still waits for the children it cancels.
  if (joiner.cancel_pending()) a.on_cancel(a, joiner.take_cancel());
}

void child_set::task_done(task_context& c) noexcept {
  --pending_;
  ++finished_kept_;
  const error& e = c.result_slot().err;
  switch (policy_) {
    case policy::first_error:
      c.mark_retrieved();
      if (!e.ok() && !winner_) {
        winner_ = &c;
        set_aborting(error(errc::cancelled, "a sibling failed"));
      }
      break;
    case policy::first_done:
      c.mark_retrieved();
      if (!winner_) {
        winner_ = &c;
        set_aborting(error(errc::cancelled, "a sibling finished first"));
      }
      break;
    case policy::settled:
      c.mark_retrieved();
      break;
    case policy::group:
      // A cancelled child is not a failure (Python's TaskGroup agrees); anything else is.
      if (!e.ok() && !e.is(errc::cancelled)) {
        c.mark_retrieved();
        errors_.push_back(e);
        names_.push_back(c.name());
        abort_next_pass();
      }
      break;
  }
  if (pending_ == 0 && waiter_) {
    wait_node& w = *std::exchange(waiter_, nullptr);
    w.err = std::exchange(joiner_cancelled_, {});
    complete(w);
  }
}

void child_set::compact() noexcept {
  // Long-lived groups drop finished children now and then (amortised O(1)).
  if (finished_kept_ < 32 || finished_kept_ * 2 < children_.size()) return;
  for (auto it = children_.begin(); it != children_.end();) {
    if (it->watching) {
      ++it;
      continue;
    }
    it->ctx->release();
    it = children_.erase(it);
  }
  finished_kept_ = 0;
}

}  // namespace wasync::detail
