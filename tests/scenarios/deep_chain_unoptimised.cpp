// A deep await chain compiled at -O0 (see tests/CMakeLists.txt), as in a
// consumer's Debug build: no tail calls, so the runtime keeps the stack flat.
#include "wasync/wasync.hpp"

wasync::task<std::size_t> deep_unoptimised(std::size_t n) {
  if (n == 0) co_return 0;
  co_return co_await deep_unoptimised(n - 1) + 1;
}
