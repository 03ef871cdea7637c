// socket_lifetime and parked_waits, the lifetime core every host's sockets
// share: a host socket counting wakes and its own destruction, and a real fd
// wait parked on the native host's reactor.
#include "wasync/detail/socket_lifetime.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <memory>

#include "net_test_support.hpp"
#include "wasync/fd_wait.hpp"

namespace wasync::testing {
namespace {

using detail::closed_error;
using detail::socket_lifetime;
using socket_lifetime_test = net_test;

/// A host socket that records what the core asks of it.
struct counted_socket : socket_lifetime {
  int& wakes;
  bool& freed;
  counted_socket(int& w, bool& f) noexcept : wakes(w), freed(f) {}
  ~counted_socket() override { freed = true; }
  void wake() noexcept override { ++wakes; }
};

TEST(socket_lifetime, letting_go_with_no_operation_in_flight_frees_at_once_without_a_wake) {
  int wakes = 0;
  bool freed = false;
  (new counted_socket(wakes, freed))->destroy();
  EXPECT_TRUE(freed);
  EXPECT_EQ(wakes, 0);
}

TEST(socket_lifetime, letting_go_wakes_the_operations_in_flight_once_and_frees_after_the_last_has_left) {
  int wakes = 0;
  bool freed = false;
  auto* s = new counted_socket(wakes, freed);
  auto first = std::make_unique<socket_lifetime::op_scope>(*s);
  auto second = std::make_unique<socket_lifetime::op_scope>(*s);
  EXPECT_FALSE(s->closed());
  s->destroy();
  EXPECT_EQ(wakes, 1);
  EXPECT_TRUE(s->closed());  // what the operations see when they wake
  first.reset();
  EXPECT_FALSE(freed) << "freed under an operation still in flight";
  second.reset();
  EXPECT_TRUE(freed);
  EXPECT_EQ(wakes, 1);
}

TEST(socket_lifetime, an_operation_that_ends_on_an_open_socket_leaves_it_open) {
  int wakes = 0;
  bool freed = false;
  auto* s = new counted_socket(wakes, freed);
  { socket_lifetime::op_scope op(*s); }
  EXPECT_FALSE(freed);
  EXPECT_FALSE(s->closed());
  s->destroy();
  EXPECT_TRUE(freed);
  EXPECT_EQ(wakes, 0);
}

TEST(socket_lifetime, closed_errors_name_the_closed_class_or_say_the_socket_was_closed) {
  EXPECT_EQ(closed_error().code(), errc::closed);
  EXPECT_EQ(closed_error().message(), "the socket was closed");
  EXPECT_EQ(closed_error("tcp_stream").code(), errc::closed);
  EXPECT_EQ(closed_error("tcp_stream").message(), "tcp_stream is closed");
}

/// A pipe's read end with the parked read a host socket would keep.
struct parked_pipe {
  int fds[2] = {-1, -1};
  detail::parked_waits<detail::fd_awaiter> parked;
  parked_pipe() { EXPECT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0); }
  ~parked_pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
};

task<unsigned> wait_readable(parked_pipe& p) {
  co_return co_await decltype(p.parked)::wait(p.parked, p.parked.read_side, p.fds[0], false);
}

TEST_F(socket_lifetime_test, end_all_ends_a_parked_wait_with_the_error_and_stops_watching) {
  auto body = [&]() -> task<void> {
    parked_pipe p;
    EXPECT_FALSE(p.parked.any());
    auto waiter = spawn(wait_readable(p));
    co_await yield_now();
    EXPECT_TRUE(p.parked.any());
    EXPECT_EQ(host_.watched(), 1u);
    p.parked.end_all(closed_error());
    EXPECT_EQ(host_.watched(), 0u);
    auto r = co_await as_result(std::move(waiter));
    EXPECT_EQ(r.error().code(), errc::closed);
    EXPECT_FALSE(p.parked.any());
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(socket_lifetime_test, end_all_leaves_a_wait_that_was_already_woken_alone) {
  auto body = [&]() -> task<void> {
    parked_pipe p;
    auto waiter = spawn(wait_readable(p));
    co_await yield_now();
    EXPECT_EQ(::write(p.fds[1], "x", 1), 1);
    while (host_.watched() == 1u) co_await yield_now();
    EXPECT_TRUE(p.parked.any()) << "woken, not yet resumed";
    p.parked.end_all(closed_error());  // the wake came first: the wait keeps it
    auto r = co_await as_result(std::move(waiter));
    EXPECT_TRUE(r && (*r & io_readable) != 0);
  };
  ASSERT_TRUE(run(body()));
}

}  // namespace
}  // namespace wasync::testing
