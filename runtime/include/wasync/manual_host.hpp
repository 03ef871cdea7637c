// A host on a manual clock: waiting jumps straight to the next deadline.
// For tests and deterministic traces; no real sleeping.
#pragma once

#include <cstddef>

#include "wasync/driver.hpp"

namespace wasync {

class manual_host final : public driver {
 public:
  time_point now() noexcept override { return now_; }
  bool park(std::optional<time_point> deadline) override {
    if (!deadline) return false;
    if (*deadline > now_) now_ = *deadline;
    return true;
  }
  void unpark() noexcept override { ++notifications_; }

  void advance(duration d) noexcept { now_ += d; }
  /// How often the loop asked for a drain (unpark) from outside a turn.
  std::size_t notifications() const noexcept { return notifications_; }

 private:
  time_point now_{};
  std::size_t notifications_ = 0;
};

}  // namespace wasync
