// One end of a WASI 0.3 future<T>: its one read or write, through a value
// the object owns (it must live until the operation's event), awaited with
// single_op::wait. Closing cancels an operation still in flight (out of the
// set first) and drops the end; a writer that wrote no value writes it first
// (wasmtime traps on dropping one that did not).
#pragma once

#include <cstdint>
#include <utility>

#include "single_op.hpp"
#include "wasip3.h"

namespace wasync::detail {

/// The canonical built-ins of one future<T> type (wit-bindgen emits a set per type).
template <class T>
struct future_ops {
  std::uint32_t (*read)(std::uint32_t reader, T* value);
  std::uint32_t (*write)(std::uint32_t writer, const T* value);
  std::uint32_t (*cancel_read)(std::uint32_t reader);
  std::uint32_t (*cancel_write)(std::uint32_t writer);
  void (*drop_readable)(std::uint32_t reader);
  void (*drop_writable)(std::uint32_t writer);
};

template <class T>
class future_end final : public single_op {
 public:
  enum class end : std::uint8_t { readable, writable };
  future_end(const future_ops<T>& ops, end e) noexcept : ops_(ops), end_(e) {}
  ~future_end() { close(); }

  void attach(std::uint32_t handle) noexcept { handle_ = handle; }
  /// Starts the one read, or the one write of `v`.
  void start(T v = T{}) noexcept {
    value_ = std::move(v);
    const std::uint32_t status = end_ == end::readable ? ops_.read(handle_, &value_) : ops_.write(handle_, &value_);
    if (status == WASIP3_WAITABLE_STATUS_BLOCKED) went_pending(handle_);
    else finish(status);
  }
  /// Writable: the value written at close() when none was (wasmtime traps on
  /// dropping a writer that wrote nothing); T{} unless set.
  void set_close_value(T v) noexcept {
    if (!done_ && !in_flight_) value_ = std::move(v);
  }
  /// The operation ended; `transferred()`: the value went across (else the other end was dropped).
  bool done() const noexcept { return done_; }
  bool transferred() const noexcept { return transferred_; }
  /// A read's value, once transferred.
  T& value() noexcept { return value_; }

  void close() noexcept {
    if (handle_ == 0) return;
    if (in_flight_) {
      stop_pending(handle_);
      const std::uint32_t status = end_ == end::readable ? ops_.cancel_read(handle_) : ops_.cancel_write(handle_);
      if (WASIP3_WAITABLE_STATE(status) != WASIP3_WAITABLE_CANCELLED) finish(status);
    }
    reactor().forget(handle_);
    if (end_ == end::readable) {
      ops_.drop_readable(handle_);
    } else if (!done_ && !settle()) {
      // The reader lives and takes nothing: wasmtime traps on dropping a
      // writer that wrote no value, so this one is left as it is (no write
      // in flight, nothing of ours it could read later).
    } else {
      ops_.drop_writable(handle_);
    }
    handle_ = 0;
    op_done();
  }

 private:
  /// A writer that wrote nothing writes its value now, for the drop: done
  /// at once when the reader is gone (or takes it); false when it would wait.
  bool settle() noexcept {
    const std::uint32_t status = ops_.write(handle_, &value_);
    if (status != WASIP3_WAITABLE_STATUS_BLOCKED) {
      finish(status);
      return true;
    }
    (void)ops_.cancel_write(handle_);
    return false;
  }
  void finish(std::uint32_t status) noexcept {
    done_ = true;
    transferred_ = WASIP3_WAITABLE_STATE(status) == WASIP3_WAITABLE_COMPLETED;
  }
  void on_event(waitable_event, std::uint32_t code) noexcept override {
    in_flight_ = false;
    finish(code);
    op_done();
  }

  const future_ops<T>& ops_;
  end end_;
  std::uint32_t handle_ = 0;
  T value_{};
  bool done_ = false;
  bool transferred_ = false;
};

}  // namespace wasync::detail
