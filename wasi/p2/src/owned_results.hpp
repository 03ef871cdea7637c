// Freeing what the host hands back, where the generated *_free functions fall
// short: wit-bindgen 0.63's C free functions skip a list<u8> or option<string>
// inside a record or variant (an incoming datagram's data, the strings of an
// HTTP error-code) and never drop owned handles (a stream error's wasi:io
// error). Every result that carries such a field goes through these instead.
#pragma once

#include "wasip2.h"

namespace wasync::detail {

/// Frees each datagram's data and the list itself.
void free_datagrams(wasi_sockets_udp_list_incoming_datagram_t& list) noexcept;
/// Drops the wasi:io error a failed stream operation owns.
void free_stream_error(wasi_io_streams_stream_error_t& e) noexcept;
/// Frees the strings a wasi:http error-code may carry.
void free_http_error(wasi_http_types_error_code_t& e) noexcept;

}  // namespace wasync::detail
