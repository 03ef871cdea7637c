// errno -> wasync::error. The core has no I/O-specific codes, so errno values
// map onto the closest general code and the message keeps the exact cause.
#include "wasi_errors.hpp"

#include <wasi/api.h>

#include <cstring>
#include <string>

namespace wasync::detail {

error errno_error(int code, std::string_view what) {
  errc c;
  switch (code) {
    case __WASI_ERRNO_BADF:
    case __WASI_ERRNO_INVAL:
    case __WASI_ERRNO_NOENT:
    case __WASI_ERRNO_NOTDIR:
    case __WASI_ERRNO_ISDIR:
    case __WASI_ERRNO_EXIST:
    case __WASI_ERRNO_NAMETOOLONG:
    case __WASI_ERRNO_LOOP:
    case __WASI_ERRNO_FAULT:
      c = errc::invalid_argument;
      break;
    case __WASI_ERRNO_PIPE:
    case __WASI_ERRNO_CONNRESET:
    case __WASI_ERRNO_CONNABORTED:
    case __WASI_ERRNO_NOTCONN:
      c = errc::closed;
      break;
    case __WASI_ERRNO_ACCES:
    case __WASI_ERRNO_PERM:
    case __WASI_ERRNO_NOTCAPABLE:
    case __WASI_ERRNO_NOTSUP:
    case __WASI_ERRNO_NOSYS:
    case __WASI_ERRNO_SPIPE:
      c = errc::not_supported;
      break;
    default:
      c = errc::invalid_state;
  }
  std::string message(what);
  message += ": ";
  message += std::strerror(code);
  return error(c, std::move(message));
}

}  // namespace wasync::detail
