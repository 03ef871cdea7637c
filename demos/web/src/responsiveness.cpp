// Demo 4, responsiveness: the same CPU-heavy job (counting primes by trial
// division) run two ways. The cooperative one yields after every slice; the
// web host runs slices until its drain budget (4 ms) is spent, then hands the
// thread back to the browser, so animation frames keep coming. The blocking
// one holds the thread until it is done.
#include "demos.hpp"
#include "wasync/wasync.hpp"

namespace demos {
namespace {

using namespace wasync;

double progress = 0;

bool is_prime(int n) {
  if (n < 2) return false;
  for (int d = 2; d * d <= n; ++d)
    if (n % d == 0) return false;
  return true;
}

// Primes in [from, to).
int count_range(int from, int to) {
  int count = 0;
  for (int n = from; n < to; ++n) count += is_prime(n);
  return count;
}

constexpr int slice = 4000;  // numbers per slice: well under a millisecond

result<void> check_limit(int limit) {
  if (limit < 2 || limit > 50'000'000) return error(errc::invalid_argument, "limit must be 2-50,000,000");
  return {};
}

}  // namespace

task<int> count_primes_cooperative(int limit) {
  if (auto valid = check_limit(limit); !valid) co_await fail(valid.error());
  int count = 0;
  for (int from = 0; from < limit; from += slice) {
    count += count_range(from, std::min(from + slice, limit));
    progress = static_cast<double>(from + slice) / limit;
    co_await yield_now();
  }
  progress = 1;
  co_return count;
}

result<int> count_primes_blocking(int limit) {
  if (auto valid = check_limit(limit); !valid) return valid.error();
  progress = 0;
  const int count = count_range(0, limit);
  progress = 1;
  return count;
}

double job_progress() { return std::min(progress, 1.0); }

}  // namespace demos
