// The web host's JS operations reactor: every operation in flight between C++
// and JS has an op id here, in one id space, both ways: a JS operation C++
// awaits (a promise, a fetch, a socket read; js_op.hpp) and a C++ call JS
// awaits (a bound call, a to_js_promise; js_call.hpp). JS knows only the ids:
// it settles ops by id in batches (one buffer of records per drain), a
// cancelled or destroyed target withdraws its id (and JS stops the operation),
// and a late settlement for a withdrawn id is dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wasync/driver.hpp"
#include "wasync/error.hpp"
#include "wasync/js_constants.hpp"
#include "wasync/js_value.hpp"

namespace wasync::detail {

/// The error for a failed status, with the message JS sent as `value`.
error js_status_error(js_status s, const js_value& message);

/// Something JS settles by op id, registered with the web host's js_ops.
class js_target {
 public:
  js_target() noexcept = default;
  /// Only an idle target may be moved or copied; the copy is idle too.
  js_target(const js_target& o) noexcept : listens_(o.listens_) {}
  js_target& operator=(const js_target&) = delete;

  /// Registers under a fresh id (returned; also op_id()).
  std::int32_t enlist() noexcept;
  /// Unregisters and tells JS to stop the operation. No-op when idle.
  void withdraw() noexcept;
  std::int32_t op_id() const noexcept { return op_id_; }

  /// JS settled the operation: the target is idle again, unless it listens.
  virtual void settled(js_status status, js_value value, std::int32_t aux) noexcept = 0;

 protected:
  /// A target that `listens` keeps its id when JS settles it: each settlement
  /// is a signal (an AbortSignal fired), and the id stays JS's name for the
  /// target until C++ is done with it.
  explicit js_target(bool listens) noexcept : listens_(listens) {}
  ~js_target() { withdraw(); }
  /// Unregisters without telling JS (JS learnt of the end otherwise). No-op when idle.
  void forget() noexcept;

 private:
  friend class js_ops;
  std::int32_t op_id_ = 0;
  bool listens_ = false;
};

/// The registry of op ids, owned by the web host (web_host::js_ops()).
class js_ops {
 public:
  static constexpr reactor_kind kind = reactor_kind::js_ops;

  js_ops() = default;
  js_ops(const js_ops&) = delete;
  js_ops& operator=(const js_ops&) = delete;

  std::int32_t enlist(js_target& t) noexcept;
  void withdraw(js_target& t) noexcept;
  void forget(js_target& t) noexcept;

  /// Room for `n` settlement records, which JS writes before it calls drain().
  js_settlement* settlement_buffer(std::size_t n);
  /// Settles the first `n` records of the buffer, in order.
  void settle_batch(std::size_t n) noexcept;

  /// Ops registered (leak checks).
  std::size_t size() const noexcept { return count_; }

 private:
  // Ids count up (wrapping), so a late settlement meets no new op. Each id
  // lives in slot `id & mask` of a power-of-two table that is never more than
  // half full: a lookup is one index and one compare, and enlisting skips ids
  // whose slot is taken (no allocation per operation, unlike a hash map).
  struct slot {
    std::int32_t id = 0;
    js_target* target = nullptr;
  };
  slot* find(std::int32_t id) noexcept;
  void grow();
  void settle(js_settlement r) noexcept;

  std::vector<slot> slots_ = std::vector<slot>(64);
  std::size_t count_ = 0;
  std::int32_t last_id_ = 0;
  std::vector<js_settlement> settlements_;
};

}  // namespace wasync::detail
