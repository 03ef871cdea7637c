// Bookkeeping shared by the socket classes: one operation per direction.
#pragma once

#include <string>

#include "wasync/error.hpp"

namespace wasync::detail {

/// Marks one direction busy for the life of an operation.
struct busy_guard {
  bool& flag;
  explicit busy_guard(bool& f) noexcept : flag(f) { flag = true; }
  ~busy_guard() { flag = false; }
  busy_guard(const busy_guard&) = delete;
  busy_guard& operator=(const busy_guard&) = delete;
};

inline error busy(const char* type, const char* what) {
  return error(errc::invalid_state, std::string(type) + ": another " + what + " is in flight");
}

}  // namespace wasync::detail
