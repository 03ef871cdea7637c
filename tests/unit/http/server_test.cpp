// http::serve on the native host, against real sockets: the handler's
// lifetime (cancelled when its client leaves, when the server stops), bodies
// streamed both ways, failures answered 500, and nothing left behind (the
// fixture counts frames, tasks and fds).
#include <memory>
#include <stdexcept>

#include "net_test_support.hpp"
#include "wasync/current_task.hpp"
#include "wasync/http/server.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using http_server_test = net_test;

/// A response with `text` (a function: GCC 12 mishandles braced lists in coroutine lambdas).
http::response answer(std::string text) {
  http::response res;
  res.body = std::move(text);
  return res;
}

task<server> start(http::handler h, http::serve_options options = {}) {
  co_return co_await http::start_server(socket_address{ip_address::loopback_v4(), 0}, std::move(h), std::move(options));
}

/// Writes `raw` on a new connection, then reads until the server closes (or 5 s pass).
task<std::string> exchange(const server& srv, std::string raw, bool half_close = false) {
  auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
  co_await c.write_all(raw);
  if (half_close) co_await c.shutdown_write();
  std::string out;
  std::vector<std::byte> buf(16 * 1024);
  const auto until = event_loop::current()->now() + 5s;
  for (;;) {
    auto n = co_await as_result(wait_for(c.read_some(buf), until - event_loop::current()->now()));
    if (!n || *n == 0) break;
    out.append(reinterpret_cast<const char*>(buf.data()), *n);
  }
  co_return out;
}

/// Stops the server and waits for every connection task to end.
task<void> stop(server& srv) {
  srv.close();
  co_await srv.wait_closed();
}

/// What a handler saw, shared with the test.
struct probe {
  int started = 0;
  int finished = 0;  ///< the handler's frame ended, however
  bool cancelled = false;
  error read_error;
};

/// Marks `p.finished` when the handler's frame goes, cancelled or not.
struct finish_mark {
  probe& p;
  ~finish_mark() { ++p.finished; }
};

TEST_F(http_server_test, a_failing_handler_gets_500_on_handler_error_hears_of_it_and_the_server_goes_on) {
  auto body = [&]() -> task<void> {
    std::vector<std::string> heard;
    http::serve_options options;
    options.on_handler_error = [&heard](const error& e) { heard.push_back(e.describe()); };
    auto h = [](http::server_request req) -> task<http::response> {
      if (req.target == "/fail") co_await fail(errc::invalid_state, "on purpose");
#if WASYNC_EXCEPTIONS
      if (req.target == "/throw") throw std::runtime_error("thrown on purpose");
#endif
      co_return answer("fine");
    };
    auto srv = co_await start(h, std::move(options));
    const std::string failed = co_await exchange(srv, "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(failed.starts_with("HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n")) << failed;
#if WASYNC_EXCEPTIONS
    const std::string thrown = co_await exchange(srv, "GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(thrown.starts_with("HTTP/1.1 500 ")) << thrown;
#endif
    const std::string ok = co_await exchange(srv, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(ok.ends_with("\r\n\r\nfine")) << ok;
    EXPECT_EQ(heard.size(), WASYNC_EXCEPTIONS ? 2u : 1u);
    if (!heard.empty()) EXPECT_NE(heard.front().find("on purpose"), std::string::npos) << heard.front();
    co_await stop(srv);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(http_server_test, a_client_leaving_mid_body_cancels_the_handler_even_one_that_swallows_the_read_error) {
  auto body = [&]() -> task<void> {
    probe p;
    auto h = [&p](http::server_request req) -> task<http::response> {
      finish_mark mark{p};
      ++p.started;
      auto got = co_await as_result(req.body.read_all());
      if (!got) p.read_error = got.error();
      // A handler that carries on regardless is stopped at its next wait.
      auto slept = co_await as_result(sleep(10s));
      p.cancelled = !slept && slept.error().is(errc::cancelled);
      co_return answer("never sent");
    };
    auto srv = co_await start(h);
    {
      auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
      const std::string partial = "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(3000, 'a');
      co_await c.write_all(partial);
      while (p.started == 0) co_await sleep(5ms);
      co_await sleep(20ms);
    }  // closed mid-body
    for (int i = 0; i < 200 && p.finished == 0; ++i) co_await sleep(5ms);
    EXPECT_EQ(p.finished, 1);
    EXPECT_TRUE(p.read_error.is(errc::connection_reset)) << p.read_error.describe();
    EXPECT_TRUE(p.cancelled);
    for (int i = 0; i < 200 && srv.connections() != 0; ++i) co_await sleep(5ms);
    EXPECT_EQ(srv.connections(), 0u);
    co_await stop(srv);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(http_server_test, closing_the_server_cancels_running_handlers_and_closes_the_listener) {
  auto body = [&]() -> task<void> {
    probe p;
    auto h = [&p](http::server_request) -> task<http::response> {
      finish_mark mark{p};
      ++p.started;
      auto slept = co_await as_result(sleep(10s));
      p.cancelled = !slept && slept.error().is(errc::cancelled);
      co_return answer("");
    };
    auto srv = co_await start(h);
    const auto address = srv.address();
    auto c = co_await tcp_stream::connect(address);
    co_await c.write_all("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    while (p.started == 0) co_await sleep(5ms);
    const auto stopping = event_loop::current()->now();
    co_await stop(srv);
    // The handler swallowed its cancellation: its connection ends all the same, at once.
    EXPECT_LT(event_loop::current()->now() - stopping, 1s);
    EXPECT_EQ(p.finished, 1);
    EXPECT_TRUE(p.cancelled);
    auto again = co_await as_result(tcp_stream::connect(address));
    EXPECT_TRUE(!again && again.error().is(errc::connection_refused));
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(http_server_test, cancelling_serve_stops_the_server) {
  auto body = [&]() -> task<void> {
    auto listener = co_await tcp_listener::bind({ip_address::loopback_v4(), 0});
    const auto address = *listener.local_address();
    auto h = [](http::server_request) -> task<http::response> { co_return answer("up"); };
    auto serving = spawn(http::serve(std::move(listener), h));
    auto c = co_await tcp_stream::connect(address);
    co_await c.write_all("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::string got;
    std::vector<std::byte> buf(4096);
    while (auto n = co_await c.read_some(buf)) got.append(reinterpret_cast<const char*>(buf.data()), n);
    EXPECT_TRUE(got.ends_with("\r\n\r\nup")) << got;
    serving.cancel();
    auto r = co_await as_result(serving);
    EXPECT_TRUE(!r && r.error().is(errc::cancelled));
    auto again = co_await as_result(tcp_stream::connect(address));
    EXPECT_TRUE(!again && again.error().is(errc::connection_refused));
  };
  ASSERT_TRUE(run(body()));
}

/// A body of `n` bytes made up as it is read, in `chunk`-byte pieces; `size` tells, or not.
class counting_source final : public http::body_source {
 public:
  counting_source(std::size_t n, std::size_t chunk, std::optional<std::uint64_t> size)
      : left_(n), chunk_(chunk), size_(size) {}
  task<std::optional<std::string>> read() override {
    if (left_ == 0) co_return std::nullopt;
    const auto k = std::min(left_, chunk_);
    left_ -= k;
    co_await sleep(0ms);  // a real source waits now and then
    co_return std::string(k, 'x');
  }
  std::optional<std::uint64_t> size() const noexcept override { return size_; }

 private:
  std::size_t left_, chunk_;
  std::optional<std::uint64_t> size_;
};

TEST_F(http_server_test, a_streamed_response_goes_out_chunked_with_content_length_or_until_close) {
  auto body = [&]() -> task<void> {
    auto h = [](http::server_request req) -> task<http::response> {
      http::response res;
      const std::optional<std::uint64_t> size = req.path() == "/known" ? std::optional<std::uint64_t>(10) : std::nullopt;
      const std::size_t n = req.path() == "/short" ? 5 : 10;
      if (req.path() == "/short") res.body = http::body(std::make_unique<counting_source>(n, 4, 10));
      else res.body = http::body(std::make_unique<counting_source>(n, 4, size));
      co_return res;
    };
    auto srv = co_await start(h);
    const std::string chunked = co_await exchange(srv, "GET /any HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(chunked, "HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "4\r\nxxxx\r\n4\r\nxxxx\r\n2\r\nxx\r\n0\r\n\r\n");
    const std::string known = co_await exchange(srv, "GET /known HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(known, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 10\r\n\r\nxxxxxxxxxx");
    // HTTP/1.0 has no chunked coding: the body ends with the connection.
    const std::string old = co_await exchange(srv, "GET /any HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(old, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nxxxxxxxxxx");
    // Fewer bytes than announced: the connection ends, the client sees a short body.
    const std::string cut = co_await exchange(srv, "GET /short HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(cut, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nxxxxx");
    co_await stop(srv);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(http_server_test, a_body_kept_past_its_request_reads_nothing) {
  auto body = [&]() -> task<void> {
    auto kept = std::make_shared<std::optional<http::body>>();
    auto h = [kept](http::server_request req) -> task<http::response> {
      if (req.path() == "/keep") {
        *kept = std::move(req.body);
        co_return answer("kept");
      }
      // The next request on the connection reads the body kept from the first.
      auto r = co_await as_result((*kept)->read());
      co_return answer(!r && r.error().is(errc::closed) ? "closed" : "read something");
    };
    auto srv = co_await start(h);
    const std::string got = co_await exchange(
        srv, "POST /keep HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
             "GET /read HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(got.find("\r\n\r\nkept"), std::string::npos) << got;
    EXPECT_TRUE(got.ends_with("\r\n\r\nclosed")) << got;
    kept->reset();
    co_await stop(srv);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(http_server_test, an_unread_body_is_discarded_and_the_next_pipelined_request_is_served) {
  auto body = [&]() -> task<void> {
    auto h = [](http::server_request req) -> task<http::response> { co_return answer(req.target); };
    auto srv = co_await start(h);
    const std::string got = co_await exchange(
        srv, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
             "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nxy"
             "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(got, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/a"
                   "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/b"
                   "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n/c");
    co_await stop(srv);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(http_server_test, the_request_carries_its_head_and_peer) {
  auto body = [&]() -> task<void> {
    std::optional<http::server_request> seen;
    auto h = [&seen](http::server_request req) -> task<http::response> {
      seen = std::move(req);
      co_return answer("");
    };
    auto srv = co_await start(h);
    co_await exchange(srv, "PUT /p/q?x=1&y=2 HTTP/1.1\r\nHost: h\r\nX-One: 1\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(seen.has_value());
    if (seen) {
      EXPECT_EQ(seen->method, "PUT");
      EXPECT_EQ(seen->path(), "/p/q");
      EXPECT_EQ(seen->query(), "x=1&y=2");
      EXPECT_EQ(seen->headers.get("x-one"), "1");
      EXPECT_TRUE(seen->peer && seen->peer->ip == ip_address::loopback_v4());
      EXPECT_FALSE(seen->body.is_stream());
    }
    seen.reset();
    co_await stop(srv);
  };
  ASSERT_TRUE(run(body()));
}

}  // namespace
}  // namespace wasync::testing
