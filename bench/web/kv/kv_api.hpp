// A bigger program for the size comparison (bench/web/web_bench.mjs): a
// key-value cache in front of an HTTP origin, as a JS module with many async
// exports. Its twin on Emscripten's ASYNCIFY is kv_asyncify.cpp (same
// functions, same results).
#pragma once

#include <cstdint>
#include <string>

#include <wasync/bind/export.hpp>
#include <wasync/task.hpp>

namespace kv {

/// Where get() fetches a missing key from (`origin + key`); the entries are dropped.
WASYNC_EXPORT wasync::task<std::int32_t> set_origin(std::string url);
/// The cached value, else the origin's body for the key (cached; "" on an HTTP error).
WASYNC_EXPORT wasync::task<std::string> get(std::string key);
/// get() that gives up after `ms` milliseconds with "".
WASYNC_EXPORT wasync::task<std::string> get_within(std::string key, std::int32_t ms);
/// Sets a value; 1 when the key is new.
WASYNC_EXPORT wasync::task<std::int32_t> put(std::string key, std::string value);
/// Drops a key; 1 when it was there.
WASYNC_EXPORT wasync::task<std::int32_t> remove(std::string key);
/// Fetches the comma-separated keys that are missing (concurrently on wasync);
/// how many were fetched.
WASYNC_EXPORT wasync::task<std::int32_t> prefetch(std::string keys);
/// Waits `ms` milliseconds, then drops every entry: how many.
WASYNC_EXPORT wasync::task<std::int32_t> expire_after(std::int32_t ms);
/// How many entries, and their bytes (keys and values).
WASYNC_EXPORT wasync::task<std::int32_t> count();
WASYNC_EXPORT wasync::task<std::int32_t> total_bytes();

}  // namespace kv
