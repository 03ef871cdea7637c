# find_package(wasync), WASI preview2 part: wasync::wasip2 and
# wasync_wasip2_component(), which wraps a program with the installed
# preview1 adapter, and wasync_wasip2_http_component() (`wasmtime serve`).
# WASYNC_WASIP2_WIT_DIR: the WIT the bindings were made from (WASI 0.2.12),
# for a program that binds more of it.
include("${CMAKE_CURRENT_LIST_DIR}/wasync-wasip2-targets.cmake")
if(NOT TARGET wasync::wasip2)
  add_library(wasync::wasip2 ALIAS wasync::wasync_wasip2)
  add_library(wasync::wasip2_http ALIAS wasync::wasync_wasip2_http)
endif()
include("${_wasync_data}/cmake/wasync_wasm.cmake")
include("${_wasync_data}/cmake/wasync_wasip2.cmake")
set(WASYNC_WASIP2_WIT_DIR "${_wasync_data}/wasi/p2/wit")
list(APPEND WASYNC_HOSTS wasip2)
set(wasync_wasip2_FOUND TRUE)
