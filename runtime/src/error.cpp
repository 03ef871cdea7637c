// wasync::error and the fatal/raise helpers.
#include "wasync/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "wasync/detail/outcome.hpp"

namespace wasync {
namespace detail {
struct error_info {
  std::size_t refs;
  std::string message;
  std::vector<error> nested;
};
}  // namespace detail

const char* to_string(errc code) noexcept {
  switch (code) {
    case errc::ok: return "ok";
    case errc::cancelled: return "cancelled";
    case errc::timeout: return "timeout";
    case errc::closed: return "closed";
    case errc::invalid_argument: return "invalid_argument";
    case errc::invalid_state: return "invalid_state";
    case errc::not_supported: return "not_supported";
    case errc::exception: return "exception";
    case errc::multiple: return "multiple";
    case errc::deadlock: return "deadlock";
    case errc::js_error: return "js_error";
    case errc::network_error: return "network_error";
    case errc::connection_refused: return "connection_refused";
    case errc::connection_reset: return "connection_reset";
    case errc::address_in_use: return "address_in_use";
    case errc::host_not_found: return "host_not_found";
    case errc::not_permitted: return "not_permitted";
    case errc::not_found: return "not_found";
    case errc::permission_denied: return "permission_denied";
    case errc::too_many_open_files: return "too_many_open_files";
    case errc::user: break;
  }
  return static_cast<int>(code) >= static_cast<int>(errc::user) ? "user" : "unknown";
}

error::error(errc code, std::string message) : code_(code) {
  if (!message.empty()) info_ = new detail::error_info{1, std::move(message), {}};
}

error::error(errc code, std::string message, std::vector<error> nested)
    : code_(code), info_(new detail::error_info{1, std::move(message), std::move(nested)}) {}

void error::hold(detail::error_info* i) noexcept { ++i->refs; }

void error::drop(detail::error_info* i) noexcept {
  if (--i->refs == 0) delete i;
}

const std::string& error::message() const noexcept {
  static const std::string empty;
  return info_ ? info_->message : empty;
}

const std::vector<error>& error::nested() const noexcept {
  static const std::vector<error> none;
  return info_ ? info_->nested : none;
}

std::string error::describe() const {
  std::string s = to_string(code_);
  if (code_ >= errc::user) {
    s += ' ';
    s += std::to_string(static_cast<int>(code_));
  }
  if (!message().empty()) {
    s += ": ";
    s += message();
  }
  return s;
}

namespace detail {

void fatal(std::string_view what) noexcept {
  // fputs/fwrite, not fprintf: a program that formats nothing links no printf (several KB of wasm).
  std::fputs("wasync: fatal: ", stderr);
  std::fwrite(what.data(), 1, what.size(), stderr);
  std::fputc('\n', stderr);
  std::abort();
}

void raise(const error& e) {
#if WASYNC_EXCEPTIONS
  throw exception(e);
#else
  fatal("unhandled error without exceptions: " + e.describe());
#endif
}

#if WASYNC_EXCEPTIONS
void outcome_base::set_current_exception() noexcept {
  thrown = std::current_exception();
  try {
    throw;
  } catch (const exception& e) {
    err = e.error();
  } catch (const std::exception& e) {
    err = error(errc::exception, e.what());
  } catch (...) {
    err = error(errc::exception, "unknown exception");
  }
}

void outcome_base::rethrow() const {
  if (thrown) std::rethrow_exception(thrown);
  throw exception(err);
}
#endif

}  // namespace detail
}  // namespace wasync
