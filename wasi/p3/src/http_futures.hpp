// The two wasi:http 0.3 futures a body comes with, as future_end operations:
// its trailers (or the error that broke it off) and the "done" result a
// request's sender or a body's consumer hears at the end. fetch and the
// handler export both use them.
#pragma once

#include "future_end.hpp"
#include "wasip3.h"

namespace wasync::detail {

using trailers_value = wasi_http_types_result_option_own_trailers_error_code_t;
using done_value = wasi_http_types_result_void_error_code_t;

inline const future_ops<trailers_value> trailers_ops{
    wasi_http_types_future_result_option_own_trailers_error_code_read,
    wasi_http_types_future_result_option_own_trailers_error_code_write,
    wasi_http_types_future_result_option_own_trailers_error_code_cancel_read,
    wasi_http_types_future_result_option_own_trailers_error_code_cancel_write,
    wasi_http_types_future_result_option_own_trailers_error_code_drop_readable,
    wasi_http_types_future_result_option_own_trailers_error_code_drop_writable,
};
inline const future_ops<done_value> done_ops{
    wasi_http_types_future_result_void_error_code_read,        wasi_http_types_future_result_void_error_code_write,
    wasi_http_types_future_result_void_error_code_cancel_read, wasi_http_types_future_result_void_error_code_cancel_write,
    wasi_http_types_future_result_void_error_code_drop_readable,
    wasi_http_types_future_result_void_error_code_drop_writable,
};

}  // namespace wasync::detail
