// tcp_client HOST PORT MESSAGE...: connects to a line-based TCP server (HOST
// may be a name), sends each MESSAGE as a line and prints the line the server
// answers, waiting at most 5 s for each. On failure (no such host, refused,
// no answer in time, the server closing): one line on stderr, exit status 1.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <wasync/wasync.hpp>

using namespace wasync;
using namespace std::chrono_literals;

namespace {

task<int> talk(std::string host, std::uint16_t port, std::vector<std::string> messages) {
  tcp_stream server = co_await open_connection(host, port);
  for (const std::string& message : messages) {
    co_await server.write_all(message + "\n");
    std::string answer = co_await wait_for(server.read_until("\n"), 5s);
    answer.pop_back();  // the '\n'
    std::printf("%s -> %s\n", message.c_str(), answer.c_str());
  }
  co_await server.shutdown_write();
  co_return 0;
}

// The failure is reported inside the task: on hosts whose loop is the host's
// own (the web, WASI 0.3) run() hands main's task over and never returns to
// main(); the task's value is the exit status everywhere.
task<int> main_task(std::string host, std::uint16_t port, std::vector<std::string> messages) {
  auto r = co_await as_result(talk(std::move(host), port, std::move(messages)));
  if (!r) {
    std::fprintf(stderr, "tcp_client: %s\n", r.error().describe().c_str());
    co_return 1;
  }
  co_return *r;
}

}  // namespace

int main(int argc, char** argv) {
  char* end = nullptr;
  const long port = argc >= 4 ? std::strtol(argv[2], &end, 10) : -1;
  if (argc < 4 || *end != '\0' || port < 1 || port > 65535) {
    std::fprintf(stderr, "usage: tcp_client HOST PORT MESSAGE...\n");
    return 2;
  }
  auto r = run(main_task(argv[1], static_cast<std::uint16_t>(port), std::vector<std::string>(argv + 3, argv + argc)));
  return r ? *r : 1;
}
