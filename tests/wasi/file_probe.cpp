// Files in a preopened directory on the WASI host.
//   file_probe roundtrip DIR   write, read back (read_some and read_to_end), append,
//                              and the errors for a missing file and a path outside
//                              every preopen. A task that only yields runs alongside
//                              and counts the loop turns it got.
// Prints one JSON object on stdout.
#include <cstdio>
#include <string>

#include "probe_support.hpp"
#include "wasync/file.hpp"

using namespace probe;

namespace {

task<int> roundtrip(std::string dir) {
  long long turns = 0;
  auto spin = [](long long& n) -> task<void> {
    for (;;) {
      co_await yield_now();
      ++n;
    }
  };
  auto spinning = spawn(spin(turns));
  const std::string path = dir + "/data.bin";
  const std::string data = pattern(3 * 1024 * 1024 + 123);

  file out = co_await file::open(path, open_mode::write);
  co_await out.write_all(data);
  auto closed = out.close();

  file in = co_await file::open(path, open_mode::read);
  std::string back;
  std::string buf(100'000, '\0');
  std::size_t reads = 0;
  for (;;) {
    const std::size_t n = co_await in.read_some(std::as_writable_bytes(std::span(buf)));
    if (n == 0) break;
    back.append(buf, 0, n);
    ++reads;
  }
  (void)in.close();

  file app = co_await file::open(path, open_mode::append);
  co_await app.write_all(std::string_view("tail"));
  (void)app.close();
  file again = co_await file::open(path, open_mode::read);
  const std::string whole = co_await again.read_to_end();

  auto missing = co_await as_result(file::open(dir + "/no-such-file", open_mode::read));
  auto outside = co_await as_result(file::open("/not-preopened/x", open_mode::read));

  spinning.cancel();
  (void)co_await as_result(spinning);
  std::printf(
      "{\"closed\":%s,\"read_back\":%s,\"reads\":%zu,\"appended\":%s,\"missing\":\"%s\",\"outside\":\"%s\","
      "\"turns\":%lld}\n",
      closed ? "true" : "false", back == data ? "true" : "false", reads,
      whole == data + "tail" ? "true" : "false", missing ? "opened" : to_string(missing.error().code()),
      outside ? "opened" : to_string(outside.error().code()), turns);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "roundtrip" && argc > 2) return run_probe(roundtrip(argv[2]));
  std::fprintf(stderr, "usage: file_probe roundtrip DIR\n");
  return 2;
}
