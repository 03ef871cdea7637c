// What JavaScript sees of the greeter module: wasync-bindgen reads this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <wasync/bind/export.hpp>
#include <wasync/task.hpp>

namespace greeter {

/// A greeting made in C++.
struct WASYNC_RECORD greeting {
  std::string text;
  /// Its length in UTF-8 bytes.
  std::uint32_t bytes;
};

/// Every field optional, so JS may leave it out; `signal` joins it in JS.
struct WASYNC_RECORD greet_options {
  /// Wait this long first (default 0).
  std::optional<double> delay_ms;
  std::optional<std::string> punctuation;
};

/// Greets `name` after `options.delay_ms` milliseconds.
WASYNC_EXPORT wasync::task<greeting> greet(std::string name, greet_options options);

/// Adds numbers up (a sync function: returns the value itself).
WASYNC_EXPORT double total(std::vector<double> values);

}  // namespace greeter
