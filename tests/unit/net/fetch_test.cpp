// fetch on the native host against HTTP servers the tests start on 127.0.0.1.
#include "net_test_support.hpp"
#include "wasync/fetch.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using fetch_test = net_test;

std::string url(const server& s, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(s.address().port) + std::string(path);
}

/// A server that reads one request head and answers with `reply(head)` pieces,
/// pausing `pause` between them.
auto http_server(std::function<std::vector<std::string>(const std::string&)> reply, duration pause = 0ms) {
  return start_server({ip_address::loopback_v4(), 0}, [reply, pause](tcp_stream s) -> task<void> {
    std::string head = co_await s.read_until("\r\n\r\n");
    if (const auto at = head.find("Content-Length: "); at != std::string::npos)
      head += co_await s.read_exactly(std::stoul(head.substr(at + 16)));
    for (const std::string& piece : reply(head)) {
      co_await s.write_all(piece);
      if (pause > 0ms) co_await sleep(pause);
    }
  });
}

TEST_F(fetch_test, status_headers_and_body_arrive) {
  auto body = [&]() -> task<void> {
    auto srv = co_await http_server([](const std::string&) {
      return std::vector<std::string>{"HTTP/1.1 201 Created\r\nX-Thing: 42\r\nContent-Length: 5\r\n\r\nhello"};
    });
    auto r = co_await fetch(url(srv, "/x"));
    EXPECT_EQ(r.status(), 201);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.status_text(), "Created");
    EXPECT_EQ(r.header("X-THING"), "42");
    EXPECT_EQ(r.headers().front().first, "x-thing");
    EXPECT_EQ(co_await r.text(), "hello");
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(fetch_test, the_request_carries_method_host_headers_and_body) {
  auto body = [&]() -> task<void> {
    std::string seen;
    auto srv = co_await http_server([&](const std::string& head) {
      seen = head;
      return std::vector<std::string>{"HTTP/1.1 204 No Content\r\n\r\n"};
    });
    // Fields set one by one: GCC 12 miscompiles braced string lists inside coroutines.
    fetch_request req;
    req.url = url(srv, "/p?q=1");
    req.method = "POST";
    req.headers.emplace_back("X-A", "b");
    req.body = std::string("data");
    auto r = co_await fetch(std::move(req));
    EXPECT_EQ(r.status(), 204);
    EXPECT_EQ(co_await r.text(), "");
    EXPECT_TRUE(seen.starts_with("POST /p?q=1 HTTP/1.1\r\n")) << seen;
    EXPECT_NE(seen.find("Host: 127.0.0.1:" + std::to_string(srv.address().port) + "\r\n"), std::string::npos) << seen;
    EXPECT_NE(seen.find("X-A: b\r\n"), std::string::npos) << seen;
    EXPECT_TRUE(seen.ends_with("\r\n\r\ndata")) << seen;
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(fetch_test, a_chunked_body_streams_chunk_by_chunk_as_it_arrives) {
  auto body = [&]() -> task<void> {
    auto srv = co_await http_server(
        [](const std::string&) {
          return std::vector<std::string>{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nfirst\r\n",
                                          "6\r\nsecond\r\n", "0\r\n\r\n"};
        },
        20ms);
    auto r = co_await fetch(url(srv, "/"));
    std::vector<std::string> chunks;
    const auto t0 = detail::loop().now();
    while (auto c = co_await r.read_chunk()) chunks.emplace_back(reinterpret_cast<const char*>(c->data()), c->size());
    EXPECT_EQ(chunks, (std::vector<std::string>{"first", "second"}));
    EXPECT_GE(detail::loop().now() - t0, 15ms) << "the second chunk came later";
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(fetch_test, a_timeout_before_the_head_is_timeout_and_closes_the_connection) {
  auto body = [&]() -> task<void> {
    event peer_closed;
    auto srv = co_await start_server({ip_address::loopback_v4(), 0}, [&](tcp_stream s) -> task<void> {
      co_await s.read_until("\r\n\r\n");
      std::byte buf[8];
      EXPECT_EQ(co_await s.read_some(buf), 0u);  // never answered; the client hung up
      peer_closed.set();
    });
    fetch_request slow;
    slow.url = url(srv, "/slow");
    slow.timeout = 30ms;
    auto r = co_await as_result(fetch(std::move(slow)));
    EXPECT_EQ(r.error().code(), errc::timeout);
    co_await wait_for(peer_closed.wait(), 2s);
    auto cancelled = spawn(fetch(url(srv, "/slow")));
    co_await sleep(10ms);
    cancelled.cancel();
    EXPECT_TRUE((co_await as_result(std::move(cancelled))).error().is(errc::cancelled));
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(fetch_test, dropping_a_response_mid_body_closes_its_connection) {
  auto body = [&]() -> task<void> {
    event peer_gone;
    auto srv = co_await start_server({ip_address::loopback_v4(), 0}, [&](tcp_stream s) -> task<void> {
      co_await s.read_until("\r\n\r\n");
      co_await s.write_all("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\nstart");
      const std::string filler(64 * 1024, 'x');
      auto r = co_await as_result(wait_for(
          [&]() -> task<void> {
            for (;;) co_await s.write_all(filler);
          }(),
          5s));
      EXPECT_EQ(r.error().code(), errc::connection_reset) << r.error().describe();
      peer_gone.set();
    });
    {
      auto r = co_await fetch(url(srv, "/big"));
      EXPECT_TRUE(co_await r.read_chunk());
    }
    co_await wait_for(peer_gone.wait(), 5s);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(fetch_test, transport_and_url_errors_have_their_codes) {
  auto body = [&]() -> task<void> {
    socket_address unused;
    {
      raw_listener l;
      unused = l.address();
    }
    auto refused = co_await as_result(fetch("http://" + unused.to_string() + "/"));
    EXPECT_EQ(refused.error().code(), errc::connection_refused) << refused.error().describe();
    EXPECT_EQ((co_await as_result(fetch("https://127.0.0.1/"))).error().code(), errc::not_supported);
    EXPECT_EQ((co_await as_result(fetch("ftp://x/"))).error().code(), errc::invalid_argument);
    fetch_request injected;
    injected.url = "http://127.0.0.1:1/";
    injected.headers.emplace_back("X", "a\r\nb");
    EXPECT_EQ((co_await as_result(fetch(std::move(injected)))).error().code(), errc::invalid_argument);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(fetch_test, a_malformed_response_is_network_error) {
  auto body = [&]() -> task<void> {
    auto srv = co_await http_server(
        [](const std::string&) { return std::vector<std::string>{"HTTP/1.1 200 OK\nbad\n\n"}; });
    auto r = co_await as_result(fetch(url(srv, "/")));
    EXPECT_EQ(r.error().code(), errc::network_error) << r.error().describe();
  };
  ASSERT_TRUE(run(body()));
}

}  // namespace
}  // namespace wasync::testing
