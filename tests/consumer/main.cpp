// Built against an installed wasync: sleeps for real, gathers two tasks, and
// takes its second number from an HTTP request.
#include <cstdio>
#include <string>

#include <wasync/http/request_parser.hpp>
#include <wasync/wasync.hpp>

using namespace std::chrono_literals;

wasync::task<int> twice(int v) {
  co_await wasync::sleep(1ms);
  co_return 2 * v;
}

wasync::task<int> main_task() {
  wasync::http::request_parser parser;
  parser.feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n1");
  auto request = parser.next();
  auto [a, b] = co_await wasync::gather(twice(20), twice(request ? std::stoi(request->body) : 0));
  co_return a + b;
}

int main() {
  auto r = wasync::run(main_task());
  std::printf("%d\n", r.value());
  return 0;
}
