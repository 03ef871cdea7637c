// server_connection on the native host, against real sockets: deadlines a
// slow client cannot stretch, 100 Continue, refusals and the lingering close.
#include "net_test_support.hpp"
#include "wasync/http/server_connection.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using server_connection_test = net_test;

time_point now() { return event_loop::current()->now(); }

/// The milliseconds since `t`.
long long ms_since(time_point t) { return std::chrono::duration_cast<std::chrono::milliseconds>(now() - t).count(); }

/// What the handler saw of its connection's last respond().
struct handler_log {
  std::size_t requests = 0;
  bool last_respond = true;
};

/// A server whose connections echo the request body (GET /big: 64 MiB).
task<server> serve(http::server_connection_options options, handler_log& log) {
  auto handler = [options, &log](tcp_stream s) -> task<void> {
    http::server_connection conn(std::move(s), options);
    while (auto req = co_await conn.next_request()) {
      ++log.requests;
      http::response res{.body = req->target == "/big" ? std::string(64 << 20, 'x') : req->body};
      log.last_respond = co_await conn.respond(res, *req);
      if (!log.last_respond) break;
    }
  };
  co_return co_await start_server({ip_address::loopback_v4(), 0}, handler);
}

/// Everything the server sends until it closes its side (or 5 s pass);
/// `ended` says how the reading ended (ok: the server's FIN).
task<std::string> read_to_end(tcp_stream& s, error* ended = nullptr) {
  std::string out;
  std::vector<std::byte> buf(16 * 1024);
  const auto until = now() + 5s;
  while (true) {
    auto n = co_await as_result(wait_for(s.read_some(buf), until - now()));
    if (!n || *n == 0) {
      if (ended) *ended = n ? error() : n.error();
      break;
    }
    out.append(reinterpret_cast<const char*>(buf.data()), *n);
  }
  co_return out;
}

/// Writes `head`, then `trickle` a byte every `every` until the task is cancelled or a write fails.
task<void> trickle(tcp_stream& s, std::string head, std::string bytes, duration every) {
  co_await s.write_all(head);
  for (std::size_t i = 0;; ++i) {
    co_await sleep(every);
    co_await s.write_all(std::string_view(bytes).substr(i % bytes.size(), 1));
  }
}

/// The status of the first response in `text`, or 0.
int status_of(std::string_view text) {
  if (!text.starts_with("HTTP/1.1 ") || text.size() < 12) return 0;
  int code = 0;
  for (char c : text.substr(9, 3)) code = c >= '0' && c <= '9' ? code * 10 + (c - '0') : -1000;
  return code < 0 ? 0 : code;
}

TEST_F(server_connection_test, a_head_trickled_a_byte_at_a_time_gets_408_at_the_head_deadline) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({.idle_timeout = 10s, .head_timeout = 300ms}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    const auto started = now();
    auto writer = spawn(trickle(c, "GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ", "abc", 30ms));
    const std::string got = co_await read_to_end(c);
    const auto took = ms_since(started);
    writer.cancel();
    co_await as_result(writer);
    EXPECT_EQ(status_of(got), 408) << got;
    EXPECT_NE(got.find("Connection: close\r\n"), std::string::npos) << got;
    EXPECT_GE(took, 280);
    EXPECT_LT(took, 1500);
    EXPECT_EQ(log.requests, 0u);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, empty_lines_trickled_before_a_request_get_408_at_the_head_deadline) {
  handler_log log;
  auto body = [&]() -> task<void> {
    // A whole CRLF every 100 ms: each leaves the parser idle again.
    auto srv = co_await serve({.idle_timeout = 150ms, .head_timeout = 400ms}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    const auto started = now();
    auto empty_lines = [](tcp_stream& s) -> task<void> {
      while (true) {
        co_await s.write_all("\r\n");
        co_await sleep(100ms);
      }
    };
    auto writer = spawn(empty_lines(c));
    const std::string got = co_await read_to_end(c);
    const auto took = ms_since(started);
    writer.cancel();
    co_await as_result(writer);
    EXPECT_EQ(status_of(got), 408) << got;
    EXPECT_GE(took, 380);
    EXPECT_LT(took, 1500);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, a_connection_that_sends_nothing_closes_quietly_after_idle_timeout) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({.idle_timeout = 200ms}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    const auto started = now();
    EXPECT_EQ(co_await read_to_end(c), "");
    EXPECT_GE(ms_since(started), 180);
    EXPECT_LT(ms_since(started), 1500);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, the_head_deadline_starts_again_with_each_keep_alive_request) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({.head_timeout = 300ms}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    // Four requests, 200 ms apart: together longer than one head deadline.
    for (int i = 0; i < 4; ++i) {
      co_await sleep(200ms);
      co_await c.write_all("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
      EXPECT_EQ(status_of(co_await c.read_until("\r\n\r\n")), 200);
    }
    EXPECT_EQ(log.requests, 4u);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, a_body_slower_than_min_body_rate_gets_408) {
  handler_log log;
  auto body = [&]() -> task<void> {
    // 20 B/s against 100 B/s after a 200 ms grace: out after about 250 ms.
    auto srv = co_await serve({.body_timeout = 200ms, .min_body_rate = 100}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    const auto started = now();
    auto writer = spawn(trickle(c, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n", "b", 50ms));
    const std::string got = co_await read_to_end(c);
    const auto took = ms_since(started);
    writer.cancel();
    co_await as_result(writer);
    EXPECT_EQ(status_of(got), 408) << got;
    EXPECT_GE(took, 200);
    EXPECT_LT(took, 1500);
    EXPECT_EQ(log.requests, 0u);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, a_body_at_min_body_rate_is_read_however_long_it_takes) {
  handler_log log;
  auto body = [&]() -> task<void> {
    // 2,000 B/s for 300 ms against 1,000 B/s after a 100 ms grace.
    auto srv = co_await serve({.body_timeout = 100ms, .min_body_rate = 1000}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    co_await c.write_all("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 600\r\n\r\n");
    const std::string sent = random_bytes(600, 7);
    for (std::size_t at = 0; at < sent.size(); at += 100) {
      co_await sleep(50ms);
      co_await c.write_all(std::string_view(sent).substr(at, 100));
    }
    const std::string head = co_await c.read_until("\r\n\r\n");
    EXPECT_EQ(status_of(head), 200) << head;
    EXPECT_TRUE(co_await c.read_exactly(600) == sent);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, expect_100_continue_is_answered_before_the_body_is_sent) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    co_await c.write_all("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    EXPECT_EQ(co_await wait_for(c.read_until("\r\n\r\n"), 2s), "HTTP/1.1 100 Continue\r\n\r\n");
    co_await c.write_all("hello");
    EXPECT_EQ(status_of(co_await c.read_until("\r\n\r\n")), 200);
    EXPECT_EQ(co_await c.read_exactly(5), "hello");
    // A second request on the connection gets its own 100 Continue.
    co_await c.write_all("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
    EXPECT_EQ(co_await wait_for(c.read_until("\r\n\r\n"), 2s), "HTTP/1.1 100 Continue\r\n\r\n");
    co_await c.write_all("2\r\nhi\r\n0\r\n\r\n");
    EXPECT_EQ(status_of(co_await c.read_until("\r\n\r\n")), 200);
    EXPECT_EQ(co_await c.read_exactly(2), "hi");
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, no_100_continue_when_the_body_came_with_the_head) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    co_await c.write_all(
        "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    const std::string got = co_await read_to_end(c);
    EXPECT_EQ(status_of(got), 200) << got;
    EXPECT_TRUE(got.ends_with("\r\n\r\nhello")) << got;
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, refusals_come_before_the_body_without_100_continue) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({.parser = {.max_body = 100}}, log);
    for (auto [fields, status] : {std::pair{"Expect: 100-continue\r\nContent-Length: 101\r\n", 413},
                                  std::pair{"Expect: x-unknown\r\nContent-Length: 5\r\n", 417}}) {
      auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
      co_await c.write_all(std::string("POST / HTTP/1.1\r\nHost: h\r\n") + fields + "\r\n");
      const std::string got = co_await read_to_end(c);  // the server closes its side first
      EXPECT_EQ(status_of(got), status) << got;
      EXPECT_EQ(got.find("100 Continue"), std::string::npos) << got;
    }
    EXPECT_EQ(log.requests, 0u);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, a_refused_client_still_sending_gets_the_refusal_and_an_orderly_close) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({.parser = {.max_body = 1000}}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    // The body follows the head at once (no Expect): the server refuses it
    // unread. Closing then would reset the connection (RFC 9112 §9.6: the
    // reset may destroy the 413 before the client reads it); the lingering
    // close reads on until the client is done, then closes in order.
    auto writer = [](tcp_stream& s) -> task<void> {
      co_await s.write_all("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4000000\r\n\r\n");
      co_await s.write_all(std::string(4'000'000, 'z'));
      co_await s.shutdown_write();
    };
    auto w = spawn(writer(c));
    error ended;
    const std::string got = co_await read_to_end(c, &ended);
    auto written = co_await as_result(w);
    EXPECT_EQ(status_of(got), 413) << got.substr(0, 60);
    EXPECT_TRUE(ended.ok()) << ended.describe();
    EXPECT_TRUE(written) << written.error().describe();
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, a_client_that_does_not_read_its_response_is_dropped_after_write_timeout) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({.write_timeout = 300ms}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    co_await c.write_all("GET /big HTTP/1.1\r\nHost: h\r\n\r\n");
    for (int i = 0; i < 100 && (log.requests == 0 || srv.connections() != 0); ++i) co_await sleep(20ms);
    EXPECT_EQ(log.requests, 1u);
    EXPECT_FALSE(log.last_respond);
    EXPECT_EQ(srv.connections(), 0u);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(server_connection_test, a_half_sent_request_from_a_closing_client_gets_400) {
  handler_log log;
  auto body = [&]() -> task<void> {
    auto srv = co_await serve({}, log);
    auto c = co_await tcp_stream::connect({ip_address::loopback_v4(), srv.address().port});
    co_await c.write_all("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
    co_await c.shutdown_write();
    EXPECT_EQ(status_of(co_await read_to_end(c)), 400);
  };
  ASSERT_TRUE(run(body()));
}

}  // namespace
}  // namespace wasync::testing
