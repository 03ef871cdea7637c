// Built against an installed wasync: sleeps for real and gathers two tasks.
#include <cstdio>

#include <wasync/wasync.hpp>

using namespace std::chrono_literals;

wasync::task<int> twice(int v) {
  co_await wasync::sleep(1ms);
  co_return 2 * v;
}

wasync::task<int> main_task() {
  auto [a, b] = co_await wasync::gather(twice(20), twice(1));
  co_return a + b;
}

int main() {
  auto r = wasync::run(main_task());
  std::printf("%d\n", r.value());
  return 0;
}
