// Shared by the unit tests: a fixture on a manual clock that fails any test
// leaving a coroutine frame or task alive, and small observation helpers.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wasync/manual_host.hpp"
#include "wasync/wasync.hpp"

namespace wasync::testing {

class runtime_test : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_EQ(detail::live_frames, 0u) << "a coroutine frame outlived the test";
    EXPECT_EQ(detail::live_contexts, 0u) << "a task outlived the test";
  }
  template <class T>
  result<T> run(task<T> t, loop_options options = {}) {
    return wasync::run(std::move(t), host_, options);
  }
  /// Milliseconds on the manual clock since the test began.
  long long ms() { return std::chrono::duration_cast<std::chrono::milliseconds>(
                                     host_.now().time_since_epoch()).count(); }
  manual_host host_;
};

/// Counts live instances, to observe RAII cleanup.
struct counted {
  static inline int alive = 0;
  counted() { ++alive; }
  counted(const counted&) { ++alive; }
  ~counted() { --alive; }
};

/// Runs `f` when destroyed, to observe a coroutine frame's RAII cleanup.
template <class F>
struct on_exit {
  F f;
  ~on_exit() { f(); }
};
template <class F>
on_exit(F) -> on_exit<F>;

/// An ordered log of what happened.
using trace = std::vector<std::string>;

}  // namespace wasync::testing
