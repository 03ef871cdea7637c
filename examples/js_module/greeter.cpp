// The greeter module's functions, plain C++ on the wasync runtime.
#include "greeter_api.hpp"

#include <chrono>
#include <numeric>

#include <wasync/sleep.hpp>

namespace greeter {

wasync::task<greeting> greet(std::string name, greet_options options) {
  if (name.empty()) co_await wasync::fail(wasync::errc::invalid_argument, "name is empty");
  const std::chrono::duration<double, std::milli> delay(options.delay_ms.value_or(0));
  co_await wasync::sleep(std::chrono::duration_cast<wasync::duration>(delay));
  std::string text = "Hello, " + name + options.punctuation.value_or("!");
  co_return greeting{.text = text, .bytes = static_cast<std::uint32_t>(text.size())};
}

double total(std::vector<double> values) { return std::accumulate(values.begin(), values.end(), 0.0); }

}  // namespace greeter
