// Echo load client: N TCP connections (or UDP sockets) on one epoll thread, each
// with one fixed-size message in flight, for D seconds. Checks every echo byte
// for byte and prints one JSON object: requests/s, p50/p99 round trip in µs, and
// how many round trips completed in all (warm-up included).
// Plain sockets on purpose: it measures servers, so it must not share their code.
//
//   echo_load --port P [--host 127.0.0.1] [--udp] [--conns N] [--size S]
//             [--duration SECONDS] [--warmup SECONDS]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  std::string host = "127.0.0.1";
  int port = 0;
  bool udp = false;
  int conns = 1;
  std::size_t size = 64;
  double duration = 2.0;
  double warmup = 0.3;
};

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "echo_load: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

[[noreturn]] void usage(const char* msg) {
  std::fprintf(stderr,
               "echo_load: %s\nusage: echo_load --port P [--host H] [--udp] [--conns N] [--size S] "
               "[--duration S] [--warmup S]\n",
               msg);
  std::exit(2);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage("missing value");
      return argv[++i];
    };
    if (a == "--host") o.host = value();
    else if (a == "--port") o.port = std::atoi(value());
    else if (a == "--udp") o.udp = true;
    else if (a == "--conns") o.conns = std::atoi(value());
    else if (a == "--size") o.size = static_cast<std::size_t>(std::atol(value()));
    else if (a == "--duration") o.duration = std::atof(value());
    else if (a == "--warmup") o.warmup = std::atof(value());
    else usage("unknown argument");
  }
  if (o.port <= 0 || o.port > 65535) usage("--port is required");
  if (o.conns < 1 || o.size < 1 || o.size > 65000 || o.duration <= 0) usage("bad --conns/--size/--duration");
  return o;
}

struct connection {
  int fd = -1;
  std::size_t sent = 0;      // bytes of the current message written so far
  std::size_t received = 0;  // bytes of its echo read so far
  clock_type::time_point started;
};

struct load {
  options opt;
  std::vector<unsigned char> message;
  std::vector<unsigned char> scratch;
  std::vector<connection> conns;
  int epoll_fd = -1;
  clock_type::time_point measure_from, measure_until;
  std::vector<std::uint32_t> rtt_ns;  // round trips finished inside the measured window
  std::uint64_t lost = 0;             // UDP datagrams re-sent after a timeout
  std::uint64_t completed = 0;        // every round trip, warm-up included (server CPU per request)

  void start_message(connection& c) {
    c.sent = 0;
    c.received = 0;
    c.started = clock_type::now();
    send_some(c);
  }

  void send_some(connection& c) {
    while (c.sent < message.size()) {
      const ssize_t n = ::send(c.fd, message.data() + c.sent, message.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN) return watch(c, EPOLLIN | EPOLLOUT);
        if (errno == EINTR) continue;
        die("send");
      }
      c.sent += static_cast<std::size_t>(n);
    }
    watch(c, EPOLLIN);
  }

  void watch(connection& c, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u32 = static_cast<std::uint32_t>(&c - conns.data());
    if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &ev) != 0) die("epoll_ctl");
  }

  // Reads what is there; true when the whole echo has arrived.
  bool receive(connection& c) {
    for (;;) {
      const ssize_t n = ::recv(c.fd, scratch.data(), scratch.size(), 0);
      if (n < 0) {
        if (errno == EAGAIN) return false;
        if (errno == EINTR) continue;
        die("recv");
      }
      if (n == 0) {
        std::fprintf(stderr, "echo_load: the server closed a connection\n");
        std::exit(1);
      }
      const auto got = static_cast<std::size_t>(n);
      const bool intact = opt.udp ? got == message.size() && std::memcmp(scratch.data(), message.data(), got) == 0
                                  : c.received + got <= message.size() &&
                                        std::memcmp(scratch.data(), message.data() + c.received, got) == 0;
      if (!intact) {
        std::fprintf(stderr, "echo_load: the echo differs from what was sent\n");
        std::exit(1);
      }
      c.received += got;
      if (c.received == message.size()) return true;
    }
  }

  void finish(connection& c) {
    ++completed;
    const auto now = clock_type::now();
    if (c.started >= measure_from && now <= measure_until)
      rtt_ns.push_back(static_cast<std::uint32_t>(
          std::min<std::int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.started).count(),
                                 UINT32_MAX)));
  }

  void open_all() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(opt.port));
    if (inet_pton(AF_INET, opt.host.c_str(), &addr.sin_addr) != 1) usage("--host must be an IPv4 address");
    conns.resize(static_cast<std::size_t>(opt.conns));
    for (auto& c : conns) {
      c.fd = ::socket(AF_INET, (opt.udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
      if (c.fd < 0) die("socket");
      if (!opt.udp) {
        const int one = 1;
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      }
      // Blocking connect: all connections are up before the clock starts.
      if (::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) die("connect");
      if (fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK) != 0) die("fcntl");
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = static_cast<std::uint32_t>(&c - conns.data());
      if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c.fd, &ev) != 0) die("epoll_ctl");
    }
  }

  void run() {
    message.resize(opt.size);
    for (std::size_t i = 0; i < message.size(); ++i) message[i] = static_cast<unsigned char>('a' + i % 26);
    scratch.resize(65536);
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0) die("epoll_create1");
    open_all();
    const auto t0 = clock_type::now();
    measure_from = t0 + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(opt.warmup));
    measure_until =
        measure_from + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(opt.duration));
    // A lost UDP datagram is re-sent after this long (loopback loses them only
    // when a socket buffer overflows).
    const auto udp_timeout = std::chrono::milliseconds(200);
    for (auto& c : conns) start_message(c);
    std::vector<epoll_event> events(conns.size());
    for (;;) {
      const auto now = clock_type::now();
      if (now >= measure_until) break;
      const int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), opt.udp ? 20 : 100);
      if (n < 0) {
        if (errno == EINTR) continue;
        die("epoll_wait");
      }
      for (int i = 0; i < n; ++i) {
        connection& c = conns[events[static_cast<std::size_t>(i)].data.u32];
        if ((events[static_cast<std::size_t>(i)].events & EPOLLOUT) && c.sent < message.size()) send_some(c);
        if ((events[static_cast<std::size_t>(i)].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && receive(c)) {
          finish(c);
          start_message(c);
        }
      }
      if (opt.udp) {
        const auto t = clock_type::now();
        for (auto& c : conns)
          if (t - c.started > udp_timeout) {
            ++lost;
            start_message(c);
          }
      }
    }
    report();
  }

  void report() {
    if (rtt_ns.empty()) {
      std::fprintf(stderr, "echo_load: no round trip finished in the measured window\n");
      std::exit(1);
    }
    std::sort(rtt_ns.begin(), rtt_ns.end());
    auto pct = [&](double p) {
      return rtt_ns[std::min(rtt_ns.size() - 1, static_cast<std::size_t>(p * static_cast<double>(rtt_ns.size())))] /
             1000.0;
    };
    std::printf(
        "{\"mode\":\"%s\",\"conns\":%d,\"size\":%zu,\"requests\":%zu,\"requests_per_s\":%.1f,"
        "\"p50_us\":%.1f,\"p99_us\":%.1f,\"lost\":%llu,\"completed\":%llu}\n",
        opt.udp ? "udp" : "tcp", opt.conns, opt.size, rtt_ns.size(), static_cast<double>(rtt_ns.size()) / opt.duration,
        pct(0.50), pct(0.99), static_cast<unsigned long long>(lost), static_cast<unsigned long long>(completed));
  }
};

}  // namespace

int main(int argc, char** argv) {
  load l;
  l.opt = parse(argc, argv);
  l.run();
  return 0;
}
