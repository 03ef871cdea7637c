#include <cstdio>
#include <string>

#include <wasync/wasync.hpp>
using namespace wasync;
using namespace std::chrono_literals;

task<std::string> fetch_like(std::string name, duration latency) {
  co_await sleep(latency);
  co_return name + " ready";
}

task<int> main_task() {
  auto [a, b] = co_await gather(fetch_like("a", 30ms), fetch_like("b", 10ms));
  std::printf("%s, %s\n", a.c_str(), b.c_str());
  auto slow = co_await as_result(wait_for(fetch_like("slow", 1s), 50ms));
  std::printf("slow: %s\n", slow ? slow->c_str() : slow.error().describe().c_str());
  co_return slow ? 1 : 0;
}

int main() { return run(main_task()).value(); }
