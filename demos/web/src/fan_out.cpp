// Demo 1, fetch fan-out: many GETs, at most `concurrency` in flight (a
// semaphore), each bounded by its own timeout (wait_for). Cancelling the
// fan-out (the page's Cancel button aborts its AbortSignal) cancels every
// request: in-flight fetches are aborted, queued ones never start.
#include <chrono>

#include "demos.hpp"
#include "wasync/fetch.hpp"
#include "wasync/wasync.hpp"

namespace demos {
namespace {

using namespace wasync;

std::vector<request_row> rows;  // what the page draws
bool running = false;

double ms_since(time_point t0) {
  return std::chrono::duration<double, std::milli>(event_loop::current()->now() - t0).count();
}

// The status once the whole body has arrived.
task<int> get(std::string url) {
  fetch_response r = co_await fetch(std::move(url));
  co_await r.text();
  co_return r.status();
}

task<void> fetch_item(std::string url, semaphore& slots, duration limit, std::size_t i, time_point& began) {
  semaphore_guard slot = co_await slots.scoped();
  rows[i].state = "fetching";
  began = event_loop::current()->now();
  const int status = co_await wait_for(get(std::move(url)), limit);
  rows[i].status = status;
  rows[i].state = status >= 200 && status < 300 ? "ok" : "http_error";
}

// Records how a request ended, whatever happened (so one failure does not
// cancel the others through gather).
task<void> track(std::string url, semaphore& slots, duration limit, std::size_t i) {
  time_point began = event_loop::current()->now();
  auto r = co_await as_result(fetch_item(std::move(url), slots, limit, i, began));
  rows[i].ms = ms_since(began);
  if (!r) {
    rows[i].state = to_string(r.error().code());
    rows[i].detail = r.error().message();
  }
}

}  // namespace

task<fan_out_summary> fan_out(std::string items_url, int count, int concurrency, int timeout_ms) {
  if (running) co_await fail(errc::invalid_state, "a fan-out is already running");
  if (!items_url.starts_with("http://") && !items_url.starts_with("https://"))
    co_await fail(errc::invalid_argument, "not an http(s) URL: \"" + items_url + "\"");
  if (count < 1 || count > 1000 || concurrency < 1 || timeout_ms < 1)
    co_await fail(errc::invalid_argument, "count must be 1-1000, concurrency and timeout at least 1");
  running = true;
  struct done_guard {
    ~done_guard() { running = false; }
  } guard;

  const time_point t0 = event_loop::current()->now();
  rows.assign(static_cast<std::size_t>(count), request_row{.state = "queued"});
  semaphore slots(static_cast<std::size_t>(concurrency));
  std::vector<task<void>> requests;
  for (int i = 0; i < count; ++i) {
    rows[static_cast<std::size_t>(i)].id = i;
    requests.push_back(track(items_url + "/" + std::to_string(i), slots,
                             std::chrono::milliseconds(timeout_ms), static_cast<std::size_t>(i)));
  }
  auto all = co_await as_result(gather(std::move(requests)));
  if (!all) {
    // Cancelled: requests cancelled before their first step never ran.
    for (request_row& row : rows)
      if (row.state == "queued") row.state = "cancelled";
    co_await fail(all.error());
  }
  fan_out_summary s{.ms = ms_since(t0)};
  for (const request_row& row : rows) {
    if (row.state == "ok") ++s.ok;
    else if (row.state == "timeout") ++s.timed_out;
    else ++s.failed;
  }
  co_return s;
}

std::vector<request_row> fan_out_rows() { return rows; }

}  // namespace demos
