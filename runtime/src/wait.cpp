// task_watch: the waiter behind wait() and as_completed().
#include "wasync/wait.hpp"

#include "wasync/event_loop.hpp"

namespace wasync::detail {


task_watch::task_watch(const std::vector<task_context*>& targets, return_when when,
                       std::optional<time_point> deadline)
    : nodes_(targets.size()), when_(when) {
  finished_.reserve(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    watch_node& n = nodes_[i];
    n.owner = this;
    n.index = i;
    n.target = targets[i];
    if (n.target->done()) {
      finished_.push_back(i);
      failed_ = failed_ || (n.target->result_slot().failed() && !n.target->result_slot().err.is(errc::cancelled));
      continue;
    }
    n.on_finished = &task_watch::finished_one;
    n.attached = true;
    n.target->add_waiter(n);
  }
  if (!deadline || satisfied()) return;
  if (*deadline <= loop().now()) {
    timed_out_ = true;
    return;
  }
  fire = [](timer_node& t) {
    auto& w = static_cast<task_watch&>(t);
    w.timed_out_ = true;
    w.wake();
  };
  loop().add_timer(*this, *deadline);
}

task_watch::~task_watch() {
  detach_all();
  if (armed()) loop().remove_timer(*this);
}

bool task_watch::satisfied() const noexcept {
  switch (when_) {
    case return_when::first_completed: return !finished_.empty();
    case return_when::first_exception: return failed_ || finished_.size() == nodes_.size();
    case return_when::all_completed: return finished_.size() == nodes_.size();
  }
  return true;
}

void task_watch::wake() noexcept {
  if (awaiter* a = std::exchange(parked_, nullptr)) {
    detach_all();
    if (armed()) loop().remove_timer(*this);
    complete(*a);
  }
}

void task_watch::detach_all() noexcept {
  for (watch_node& n : nodes_) {
    if (!n.attached) continue;
    n.attached = false;
    n.target->remove_waiter(n);
  }
}

void task_watch::finished_one(wait_node& node) noexcept {
  auto& n = static_cast<watch_node&>(node);
  task_watch& w = *n.owner;
  n.attached = false;
  w.finished_.push_back(n.index);
  const error& e = n.target->result_slot().err;
  w.failed_ = w.failed_ || (!e.ok() && !e.is(errc::cancelled));
  if (w.satisfied()) w.wake();
}

void task_watch::cancelled(wait_node& node, error why) noexcept {
  task_watch& w = *static_cast<awaiter&>(node).w;
  w.parked_ = nullptr;
  w.detach_all();
  if (w.armed()) loop().remove_timer(w);
  node.err = std::move(why);
  complete(node);
}

}  // namespace wasync::detail
