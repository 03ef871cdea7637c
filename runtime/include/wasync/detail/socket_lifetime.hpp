// socket_lifetime: the lifetime every host's socket shares (net_host.hpp's
// contract): operations in flight are counted, letting go of the socket wakes
// them (they fail with errc::closed), and the socket with its host handle is
// freed when the last of them has left: never under an operation's feet, and
// never a handle number reused while an operation still holds it.
#pragma once

#include <string>
#include <utility>

#include "wasync/detail/coro.hpp"
#include "wasync/error.hpp"

namespace wasync::detail {

/// errc::closed for an operation on a closed socket: `who` (a public socket
/// class) is closed; without `who`, the socket was closed under the operation.
inline error closed_error(const char* who = nullptr) {
  if (who) return error(errc::closed, std::string(who) + " is closed");
  return error(errc::closed, "the socket was closed");
}

/// Base of a host's socket. The host's destructor releases the handle; wake()
/// makes the operations in flight return (each then sees closed()).
class socket_lifetime {
 public:
  socket_lifetime(const socket_lifetime&) = delete;
  socket_lifetime& operator=(const socket_lifetime&) = delete;

  /// Let go of: operations in flight are ending with errc::closed.
  bool closed() const noexcept { return closed_; }

  /// The owner lets go (destroy_socket): wakes the operations in flight and
  /// frees the socket when the last has left, or now when none is in flight.
  void destroy() noexcept {
    closed_ = true;
    if (ops_ == 0) delete this;
    else wake();
  }

  /// Held by each operation for as long as it runs on the socket.
  class op_scope {
   public:
    explicit op_scope(socket_lifetime& s) noexcept : s_(s) { ++s_.ops_; }
    op_scope(const op_scope&) = delete;
    op_scope& operator=(const op_scope&) = delete;
    ~op_scope() {
      if (--s_.ops_ == 0 && s_.closed_) delete &s_;
    }

   private:
    socket_lifetime& s_;
  };

 protected:
  socket_lifetime() noexcept = default;
  virtual ~socket_lifetime() = default;
  /// Called once, with operations in flight: ends their waits.
  virtual void wake() noexcept = 0;

 private:
  unsigned ops_ = 0;
  bool closed_ = false;
};

/// The wait parked on each side of a socket (one at most: net_host.hpp's
/// contract), for hosts where letting go of a handle wakes no wait: wake()
/// ends them with end_all(). `Wait` is an awaiter with abort(error).
template <class Wait>
class parked_waits {
 public:
  enum side : unsigned char { read_side, write_side };

  /// A Wait on `side` that end_all() reaches while it is parked.
  class wait : public Wait {
   public:
    template <class... Args>
    wait(parked_waits& p, side s, Args&&... args) noexcept : Wait(std::forward<Args>(args)...), slot_(p.slots_[s]) {}
    wait(const wait&) = delete;
    wait& operator=(const wait&) = delete;
    ~wait() {
      if (slot_ == this) slot_ = nullptr;
    }
    template <class P>
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
      slot_ = this;
      return Wait::await_suspend(h);
    }

   private:
    Wait*& slot_;
  };

  bool any() const noexcept { return slots_[read_side] || slots_[write_side]; }
  void end_all(const error& why) noexcept {
    for (Wait* w : slots_)
      if (w) w->abort(why);
  }

 private:
  Wait* slots_[2] = {nullptr, nullptr};
};

}  // namespace wasync::detail
