// WASI 0.3 reactor: the waitable-set, and who waits on each of its members.
#include "wasync/waitable_reactor.hpp"

#include "wasip3.h"

namespace wasync {

std::uint32_t waitable_reactor::set() noexcept {
  if (set_ == 0) set_ = wasip3_waitable_set_new();
  return set_;
}

error waitable_reactor::watch(std::uint32_t waitable, waitable_watcher& w) {
  if (waitable == 0) return error(errc::invalid_argument, "waitable handle 0");
  if (waitable >= slots_.size()) slots_.resize(waitable + 1);
  slot& s = slots_[waitable];
  if (s.watcher) return error(errc::invalid_state, "another task already waits on this waitable");
  if (!s.joined) {
    wasip3_waitable_join(waitable, set());
    s.joined = true;
  }
  s.watcher = &w;
  ++watched_;
  return {};
}

void waitable_reactor::leave(std::uint32_t waitable) noexcept {
  if (waitable >= slots_.size()) return;
  slot& s = slots_[waitable];
  if (s.watcher) --watched_;
  s.watcher = nullptr;
  if (s.joined) {
    wasip3_waitable_join(waitable, 0);
    s.joined = false;
  }
}

void waitable_reactor::forget(std::uint32_t waitable) noexcept {
  if (waitable >= slots_.size()) return;
  slot& s = slots_[waitable];
  if (s.watcher) --watched_;
  s = slot{};
}

bool waitable_reactor::dispatch(waitable_event event, std::uint32_t waitable, std::uint32_t code) noexcept {
  if (waitable >= slots_.size() || !slots_[waitable].watcher) return false;
  waitable_watcher* w = slots_[waitable].watcher;
  slots_[waitable].watcher = nullptr;  // the waitable stays in the set for its next operation
  --watched_;
  ++events_;
  w->on_event(event, code);
  return true;
}

void waitable_reactor::close() noexcept {
  for (std::uint32_t h = 0; h < slots_.size(); ++h)
    if (slots_[h].joined) wasip3_waitable_join(h, 0);
  slots_.clear();
  watched_ = 0;
  if (set_ != 0) wasip3_waitable_set_drop(set_);
  set_ = 0;
}

}  // namespace wasync
