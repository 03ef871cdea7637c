// The C++ side of the browser demos: what each page calls, and the single
// source of the JS bindings (wasync_add_module turns every WASYNC_EXPORT into
// a JS function, async ones returning Promises that an AbortSignal cancels).
// The pages poll the sync functions every frame to draw live state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wasync/bind/export.hpp"

#include "wasync/result.hpp"
#include "wasync/task.hpp"

namespace demos {

// ---- 1. fetch fan-out ----

/// One request's state as the page shows it.
struct WASYNC_RECORD request_row {
  int id = 0;
  std::string state;   ///< queued, fetching, ok, http_error, or an errc name (timeout, network_error, cancelled)
  int status = 0;      ///< HTTP status, once there is one
  double ms = 0;       ///< time from leaving the queue to the end
  std::string detail;  ///< error message
};

struct WASYNC_RECORD fan_out_summary {
  int ok = 0;
  int failed = 0;  ///< HTTP errors and transport failures
  int timed_out = 0;
  double ms = 0;
};

/// GETs `items_url`/0 … /count-1, at most `concurrency` at once, each bounded by `timeout_ms`.
WASYNC_EXPORT wasync::task<fan_out_summary> fan_out(std::string items_url, int count, int concurrency, int timeout_ms);
/// Every request of the current (or last) fan-out.
WASYNC_EXPORT std::vector<request_row> fan_out_rows();

// ---- 2. WebSocket chat with reconnect ----

struct WASYNC_RECORD chat_line {
  int seq = 0;
  std::string kind;  ///< status, sent, received, error
  std::string text;
};

/// Connects to `url` and keeps the connection up, reconnecting with backoff
/// after the server drops it; gives up after `max_attempts` failed connects
/// in a row. Runs until cancelled.
WASYNC_EXPORT wasync::task<void> chat_run(std::string url, int max_attempts);
/// Queues `text` for sending (delivered after a reconnect if the link is down).
/// errc::invalid_state when no chat is running.
WASYNC_EXPORT wasync::result<void> chat_send(std::string text);
/// The log lines after `after` (a seq), and the connection's state.
WASYNC_EXPORT std::vector<chat_line> chat_lines(int after);
WASYNC_EXPORT std::string chat_state();

// ---- 3. task timeline ----

struct WASYNC_RECORD timeline_event {
  int task = 0;        ///< a small id per task
  std::string name;
  std::string kind;    ///< spawned, resumed, waiting, finished
  std::string detail;  ///< what it waits on, or how it finished ("ok", or "errc name: message")
  double at_ms = 0;    ///< since the workload began
};

/// Runs a mixed workload (timers, fetches, a socket, CPU slices, a failure,
/// a timeout, a cancellation) while the loop's task observer records it.
WASYNC_EXPORT wasync::task<std::string> timeline_workload(std::string api_base, std::string ws_url);
/// Events recorded after index `after` (an index into the recording).
WASYNC_EXPORT std::vector<timeline_event> timeline_events(int after);

// ---- 4. responsiveness ----

/// Counts the primes below `limit` in slices, yielding between them, so the
/// web host's drain budget hands the thread back to rendering.
WASYNC_EXPORT wasync::task<int> count_primes_cooperative(int limit);
/// The same job in one call: nothing else runs until it returns.
WASYNC_EXPORT wasync::result<int> count_primes_blocking(int limit);
/// Share of the current job done, 0..1.
WASYNC_EXPORT double job_progress();

}  // namespace demos
