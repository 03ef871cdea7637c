// errno -> wasync::error: the errc a program can branch on, the exact cause in the message.
#include "wasi_errors.hpp"

#include <wasi/api.h>

#include <cstring>
#include <string>

namespace wasync::detail {
namespace {

errc code_for(int code) noexcept {
  switch (code) {
    case __WASI_ERRNO_NOENT:
      return errc::not_found;
    case __WASI_ERRNO_ACCES:
      return errc::permission_denied;
    // Outside every preopen, or a right the host did not grant: host policy.
    case __WASI_ERRNO_PERM:
    case __WASI_ERRNO_NOTCAPABLE:
      return errc::not_permitted;
    case __WASI_ERRNO_CONNREFUSED:
      return errc::connection_refused;
    case __WASI_ERRNO_CONNRESET:
    case __WASI_ERRNO_CONNABORTED:
      return errc::connection_reset;
    case __WASI_ERRNO_ADDRINUSE:
      return errc::address_in_use;
    case __WASI_ERRNO_TIMEDOUT:
      return errc::timeout;
    case __WASI_ERRNO_NETDOWN:
    case __WASI_ERRNO_NETUNREACH:
    case __WASI_ERRNO_NETRESET:
    case __WASI_ERRNO_HOSTUNREACH:
      return errc::network_error;
    // A pipe or stream whose reader has gone, or a socket no longer connected.
    case __WASI_ERRNO_PIPE:
    case __WASI_ERRNO_NOTCONN:
      return errc::closed;
    case __WASI_ERRNO_BADF:
    case __WASI_ERRNO_INVAL:
    case __WASI_ERRNO_NOTDIR:
    case __WASI_ERRNO_ISDIR:
    case __WASI_ERRNO_EXIST:
    case __WASI_ERRNO_NAMETOOLONG:
    case __WASI_ERRNO_LOOP:
    case __WASI_ERRNO_FAULT:
    case __WASI_ERRNO_NOTSOCK:
      return errc::invalid_argument;
    case __WASI_ERRNO_MFILE:
    case __WASI_ERRNO_NFILE:
      return errc::too_many_open_files;
    case __WASI_ERRNO_NOTSUP:
    case __WASI_ERRNO_NOSYS:
    case __WASI_ERRNO_SPIPE:
      return errc::not_supported;
    default:
      return errc::invalid_state;
  }
}

std::string describe(int code, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += std::strerror(code);
  return message;
}

}  // namespace

error errno_error(int code, std::string_view what) { return error(code_for(code), describe(code, what)); }

error socket_errno_error(int code, std::string_view what) {
  // Sending after the peer closed is a reset on every host (tcp_stream.hpp).
  return error(code == __WASI_ERRNO_PIPE ? errc::connection_reset : code_for(code), describe(code, what));
}

}  // namespace wasync::detail
