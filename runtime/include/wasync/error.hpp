// wasync::error: a code a program can branch on plus a message; cheap to copy.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wasync/config.hpp"

#if WASYNC_EXCEPTIONS
#include <exception>
#endif

namespace wasync {

/// Error codes. Values from `errc::user` up are free for applications.
enum class errc : int {
  ok = 0,
  cancelled,         ///< the task was cancelled
  timeout,           ///< a wait_for / timeout scope expired
  closed,            ///< the queue or stream was closed
  invalid_argument,  ///< a caller passed something unusable
  invalid_state,     ///< an operation does not fit the object's state
  not_supported,     ///< this host cannot do it
  exception,         ///< a C++ exception escaped a task
  multiple,          ///< several errors at once (task_group); see error::nested()
  deadlock,          ///< run(): the main task waits on nothing that can wake it
  js_error,          ///< a JavaScript promise rejected or JavaScript code threw (web)
  network_error,     ///< the transport failed (unreachable, aborted) and no finer code below fits
  connection_refused,  ///< nothing listens at the address (ECONNREFUSED)
  connection_reset,    ///< the peer reset or aborted the connection (ECONNRESET, EPIPE)
  address_in_use,      ///< bind/listen: the address is taken (EADDRINUSE)
  host_not_found,      ///< name lookup found no address for the host
  not_permitted,       ///< the host's policy forbids it (a missing wasmtime -S flag, a sandbox); the message says which
  not_found,           ///< no such file or directory
  permission_denied,   ///< the file system or OS refused access (EACCES)
  too_many_open_files,  ///< out of file descriptors (EMFILE, ENFILE); an accept that fails so is retried later
  user = 1000,
};

/// Stable lower-case name of a code ("cancelled", "timeout", ...).
const char* to_string(errc code) noexcept;

namespace detail {
struct error_info;
}

/// An error value: code, message and (for errc::multiple) the nested errors.
/// A default-constructed error means "no error" (errc::ok).
class error {
 public:
  error() noexcept = default;
  error(errc code, std::string message = {});
  error(errc code, std::string message, std::vector<error> nested);
  error(const error& o) noexcept : code_(o.code_), info_(o.info_) {
    if (info_) hold(info_);
  }
  error(error&& o) noexcept : code_(o.code_), info_(o.info_) { o.info_ = nullptr; }
  error& operator=(const error& o) noexcept {
    error copy(o);
    return *this = static_cast<error&&>(copy);
  }
  error& operator=(error&& o) noexcept {
    if (this != &o) {
      detail::error_info* old = info_;
      code_ = o.code_;
      info_ = o.info_;
      o.info_ = nullptr;
      if (old) drop(old);
    }
    return *this;
  }
  ~error() {
    if (info_) drop(info_);
  }

  errc code() const noexcept { return code_; }
  bool is(errc code) const noexcept { return code_ == code; }
  bool ok() const noexcept { return code_ == errc::ok; }
  const std::string& message() const noexcept;
  const std::vector<error>& nested() const noexcept;
  /// "code: message" (or just the code), for logs.
  std::string describe() const;

  /// The same error value (this one or a copy of it), not merely an equal one.
  bool identical(const error& o) const noexcept { return code_ == o.code_ && info_ == o.info_; }

  friend bool operator==(const error& a, const error& b) noexcept {
    return a.code_ == b.code_ && a.message() == b.message();
  }

 private:
  static void hold(detail::error_info* i) noexcept;
  /// Out of line even under LTO: inlined, every error's destructor carries
  /// the freeing of a message and nested errors (most errors have neither).
  [[gnu::noinline]] static void drop(detail::error_info* i) noexcept;
  // One pointer to shared, immutable details: waits and task outcomes carry an
  // error each, so the common no-message case stays two words.
  errc code_ = errc::ok;
  detail::error_info* info_ = nullptr;
};

#if WASYNC_EXCEPTIONS
/// The exception form of an error, thrown by co_await in builds with exceptions.
class exception : public std::exception {
 public:
  explicit exception(wasync::error e) : error_(std::move(e)), what_(error_.describe()) {}
  const wasync::error& error() const noexcept { return error_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  wasync::error error_;
  std::string what_;
};
#endif

namespace detail {
/// Unrecoverable misuse (e.g. value() of an error without exceptions): report and abort.
[[noreturn]] void fatal(std::string_view what) noexcept;
/// Throws wasync::exception where exceptions exist, otherwise fatal().
[[noreturn]] void raise(const error& e);
}  // namespace detail

}  // namespace wasync
