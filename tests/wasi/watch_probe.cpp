// readable()/writable() straight on the WASI host's watch bookkeeping.
//   watch_probe second       two tasks await stdin: the second fails at once with
//                            invalid_state, the first still wakes when a line comes
//   watch_probe bad_fd       awaiting an fd the instance does not have
//   watch_probe file DIR     awaiting a regular file (never polled: always ready)
// Prints one line per observation.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "probe_support.hpp"
#include "wasync/wasi_host.hpp"

using namespace probe;
using namespace std::chrono_literals;

namespace {

std::string outcome(const result<unsigned>& r) {
  if (!r) return r.error().describe();
  return (*r & io_readable) ? "readable" : (*r & io_writable) ? "writable" : "other";
}

task<int> second() {
  auto first = spawn([]() -> task<unsigned> { co_return co_await readable(0); }());
  co_await yield_now();  // the first one is watching now
  say("second: " + outcome(co_await as_result(readable(0))));
  say("watchers while the first waits: " + std::to_string(reactor().watched()));
  say("first: " + outcome(co_await as_result(first)));
  say("watchers after: " + std::to_string(reactor().watched()));
  co_return 0;
}

task<int> bad_fd() {
  say("bad fd: " + outcome(co_await as_result(readable(99))));
  say("watchers after: " + std::to_string(reactor().watched()));
  co_return 0;
}

task<int> regular_file(std::string dir) {
  const int fd = ::open((dir + "/watched.txt").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) co_return error(errc::invalid_argument, "cannot create the file");
  say("file read: " + outcome(co_await as_result(wait_for(readable(fd), 1s))));
  say("file write: " + outcome(co_await as_result(wait_for(writable(fd), 1s))));
  ::close(fd);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "second") return run_probe(second());
  if (mode == "bad_fd") return run_probe(bad_fd());
  if (mode == "file" && argc > 2) return run_probe(regular_file(argv[2]));
  std::fprintf(stderr, "usage: watch_probe second | bad_fd | file DIR\n");
  return 2;
}
