// stdin_workers [WORKERS]: reads lines from standard input into a bounded
// queue that WORKERS tasks (3 by default) drain at the same time. Each worker
// "works" on a line for 10 ms per word (a timer, so the others run meanwhile)
// and prints it with its word count. The queue holds at most 4 lines: when the
// workers fall behind, the reader waits. At the end of input the queue closes,
// the workers finish what is queued, and the program prints the totals.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include <wasync/stdio.hpp>
#include <wasync/wasync.hpp>

using namespace wasync;
using namespace std::chrono_literals;

namespace {

struct totals {
  std::size_t lines = 0;
  std::size_t words = 0;
};

std::size_t count_words(const std::string& line) {
  std::istringstream in(line);
  std::size_t n = 0;
  for (std::string word; in >> word;) ++n;
  return n;
}

task<void> worker(int id, queue<std::string>& lines, totals& sum) {
  for (;;) {
    // Fails once the queue is closed and empty: the input has ended.
    auto line = co_await as_result(lines.get());
    if (!line) co_return;
    const std::size_t words = count_words(*line);
    co_await sleep(words * 10ms);
    co_await standard_output().write_all("worker " + std::to_string(id) + ": " + *line + " (" +
                                         std::to_string(words) + (words == 1 ? " word)\n" : " words)\n"));
    ++sum.lines;
    sum.words += words;
  }
}

task<int> main_task(int worker_count) {
  queue<std::string> lines(4);
  totals sum;
  task_group workers;
  for (int id = 1; id <= worker_count; ++id) workers.spawn(worker(id, lines, sum));
  while (auto line = co_await standard_input().read_line()) co_await lines.put(std::move(*line));
  lines.close();
  co_await workers.join();
  co_await standard_output().write_all(std::to_string(sum.lines) + " lines, " + std::to_string(sum.words) +
                                       " words, " + std::to_string(worker_count) + " workers\n");
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int workers = argc > 1 ? std::atoi(argv[1]) : 3;
  if (argc > 2 || workers < 1 || workers > 100) {
    std::fprintf(stderr, "usage: stdin_workers [WORKERS: 1-100]\n");
    return 2;
  }
  auto r = run(main_task(workers));
  if (!r) {
    std::fprintf(stderr, "stdin_workers: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}
