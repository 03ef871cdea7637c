// Shared by the networking tests: a fixture on the real native host that fails
// a test leaving a task, a frame, a watched fd or an open fd behind, and a
// blocking POSIX peer on 127.0.0.1 for what the API under test cannot do
// itself (reset with SO_LINGER 0, half-close, never answer).
#pragma once

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>
#include <string>

#include "test_support.hpp"
#include "wasync/native_host.hpp"

namespace wasync::testing {

/// Open file descriptors of this process.
inline int open_fds() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (::readdir(d)) ++n;
    ::closedir(d);
  }
  return n;
}

class net_test : public ::testing::Test {
 protected:
  void SetUp() override { fds_before_ = open_fds(); }
  void TearDown() override {
    EXPECT_EQ(detail::live_frames, 0u) << "a coroutine frame outlived the test";
    EXPECT_EQ(detail::live_contexts, 0u) << "a task outlived the test";
    EXPECT_EQ(host_.watched(), 0u) << "an fd is still watched";
    // An abandoned name lookup's helper thread closes its eventfd when it ends.
    for (int i = 0; i < 100 && open_fds() != fds_before_; ++i) ::usleep(10'000);
    EXPECT_EQ(open_fds(), fds_before_) << "an fd leaked";
  }
  template <class T>
  result<T> run(task<T> t) {
    return wasync::run(std::move(t), host_);
  }
  native_host host_;
  int fds_before_ = 0;
};

/// A blocking listening socket on 127.0.0.1 (port chosen by the OS).
struct raw_listener {
  int fd = -1;
  std::uint16_t port = 0;
  raw_listener() {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, 16), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~raw_listener() { ::close(fd); }
  socket_address address() const { return {ip_address::loopback_v4(), port}; }
  /// Blocks until a connection arrives (call it from a peer thread).
  int accept_one() const { return ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC); }
};

/// Closes `fd` with a reset (RST) instead of an orderly FIN.
inline void close_with_reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

/// Deterministic pseudo-random bytes.
inline std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(gen());
  return s;
}

inline std::span<const std::byte> bytes_of(const std::string& s) { return std::as_bytes(std::span(s)); }

}  // namespace wasync::testing
