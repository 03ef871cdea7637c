// What the generated *_free functions leave behind (see owned_results.hpp).
#include "owned_results.hpp"

#include <cstddef>

namespace wasync::detail {

void free_datagrams(wasi_sockets_udp_list_incoming_datagram_t& list) noexcept {
  for (std::size_t i = 0; i < list.len; ++i) {
    wasip2_list_u8_free(&list.ptr[i].data);
    list.ptr[i].data.len = 0;  // a generator that frees it too then frees nothing twice
  }
  wasi_sockets_udp_list_incoming_datagram_free(&list);
}

void free_stream_error(wasi_io_streams_stream_error_t& e) noexcept {
  if (e.tag == WASI_IO_STREAMS_STREAM_ERROR_LAST_OPERATION_FAILED) {
    wasi_io_error_error_drop_own(e.val.last_operation_failed);
    e.tag = WASI_IO_STREAMS_STREAM_ERROR_CLOSED;  // nothing owned any more
  }
}

void free_http_error(wasi_http_types_error_code_t& e) noexcept {
  switch (e.tag) {
    case WASI_HTTP_TYPES_ERROR_CODE_DNS_ERROR:
      wasip2_option_string_free(&e.val.dns_error.rcode);
      break;
    case WASI_HTTP_TYPES_ERROR_CODE_HTTP_REQUEST_HEADER_SIZE:
      if (e.val.http_request_header_size.is_some)
        wasip2_option_string_free(&e.val.http_request_header_size.val.field_name);
      break;
    case WASI_HTTP_TYPES_ERROR_CODE_HTTP_REQUEST_TRAILER_SIZE:
      wasip2_option_string_free(&e.val.http_request_trailer_size.field_name);
      break;
    case WASI_HTTP_TYPES_ERROR_CODE_HTTP_RESPONSE_HEADER_SIZE:
      wasip2_option_string_free(&e.val.http_response_header_size.field_name);
      break;
    case WASI_HTTP_TYPES_ERROR_CODE_HTTP_RESPONSE_TRAILER_SIZE:
      wasip2_option_string_free(&e.val.http_response_trailer_size.field_name);
      break;
    case WASI_HTTP_TYPES_ERROR_CODE_HTTP_RESPONSE_TRANSFER_CODING:
      wasip2_option_string_free(&e.val.http_response_transfer_coding);
      break;
    case WASI_HTTP_TYPES_ERROR_CODE_HTTP_RESPONSE_CONTENT_CODING:
      wasip2_option_string_free(&e.val.http_response_content_coding);
      break;
    case WASI_HTTP_TYPES_ERROR_CODE_INTERNAL_ERROR:
      wasip2_option_string_free(&e.val.internal_error);
      break;
    default:
      break;
  }
  wasi_http_types_error_code_free(&e);  // the strings above are reset: nothing is freed twice
}

}  // namespace wasync::detail
