// The report sink: one bounded buffer in front of standard error, drained
// without blocking by the host's writer (report_sink.hpp).
#include "wasync/detail/report_sink.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <initializer_list>

namespace wasync::detail {
namespace {

std::ptrdiff_t fwrite_writer(std::span<const char> bytes, duration) noexcept {
  const std::size_t n = std::fwrite(bytes.data(), 1, bytes.size(), stderr);
  return n > 0 || bytes.empty() ? static_cast<std::ptrdiff_t>(n) : -1;
}

constexpr std::string_view cut_marker = " [...]";

/// The queue and its counters; `busy` guards all of it (natively, loops on
/// several threads may report; the writers return at once, and only
/// flush_reports waits, for a bounded time).
struct sink {
  std::atomic<bool> busy{false};
  std::atomic<stderr_writer> writer{&fwrite_writer};
  char buffer[report_buffer_size] = {};
  std::size_t begin = 0;  ///< queued bytes: buffer[begin, end)
  std::size_t end = 0;
  std::uint64_t reported = 0;
  std::uint64_t dropped = 0;
  std::uint64_t unannounced = 0;  ///< dropped since the last "reports dropped" line

  void lock() noexcept {
    while (busy.exchange(true, std::memory_order_acquire)) {
    }
  }
  void unlock() noexcept { busy.store(false, std::memory_order_release); }

  /// One write of the queue, waiting at most `max_wait` for room: whether it took any.
  bool write_some(duration max_wait) noexcept {
    if (begin == end) return false;
    const stderr_writer write = writer.load(std::memory_order_relaxed);
    const std::ptrdiff_t n = write(std::span<const char>(buffer + begin, end - begin), max_wait);
    if (n < 0) {  // nobody will ever read them
      dropped += static_cast<std::uint64_t>(std::count(buffer + begin, buffer + end, '\n'));
      begin = end;
    } else {
      begin += static_cast<std::size_t>(n);
    }
    if (begin == end) begin = end = 0;
    return n > 0;
  }
  /// Writes what standard error takes now.
  void drain() noexcept {
    while (write_some(duration::zero())) {
    }
  }

  /// Appends `parts` as one line if it fits (moving the queue to the front
  /// first when that makes room).
  bool append(std::initializer_list<std::string_view> parts) noexcept {
    std::size_t size = 1;
    for (std::string_view p : parts) size += p.size();
    if (size > report_buffer_size - (end - begin)) return false;
    if (size > report_buffer_size - end) {
      std::memmove(buffer, buffer + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    for (std::string_view p : parts) {
      if (p.empty()) continue;  // its data() may be null, which memcpy must not get
      std::memcpy(buffer + end, p.data(), p.size());
      end += p.size();
    }
    buffer[end++] = '\n';
    return true;
  }
};

sink the_sink;

}  // namespace

void install_stderr_writer(stderr_writer w) noexcept {
  the_sink.writer.store(w ? w : &fwrite_writer, std::memory_order_relaxed);
}

void report_line(std::string_view line) noexcept {
  sink& s = the_sink;
  s.lock();
  ++s.reported;
  s.drain();
  // Told once standard error has taken the whole queue: it has room again.
  if (s.unannounced > 0 && s.begin == s.end) {
    // to_chars, not snprintf: a program that formats nothing links no printf (several KB of wasm).
    char count[24];
    const std::string_view digits(count, static_cast<std::size_t>(std::to_chars(count, count + sizeof count, s.unannounced).ptr - count));
    if (s.append({"wasync: ", digits, " reports dropped: standard error was full"})) s.unannounced = 0;
  }
  const bool cut = line.size() > max_report_line;
  if (cut) line = line.substr(0, max_report_line - cut_marker.size());
  if (!s.append({line, cut ? cut_marker : std::string_view()})) {
    ++s.dropped;
    ++s.unannounced;
  }
  s.drain();
  s.unlock();
}

void flush_reports(duration max_wait) noexcept {
  using steady = std::chrono::steady_clock;
  sink& s = the_sink;
  s.lock();
  const steady::time_point until = steady::now() + max_wait;
  for (;;) {
    const auto left = std::chrono::duration_cast<duration>(until - steady::now());
    if (left <= duration::zero()) {
      s.drain();
      break;
    }
    s.write_some(left);
    if (s.begin == s.end) break;
  }
  s.unlock();
}

report_counts report_stats() noexcept {
  sink& s = the_sink;
  s.lock();
  const report_counts c{s.reported, s.dropped, s.end - s.begin};
  s.unlock();
  return c;
}

}  // namespace wasync::detail
