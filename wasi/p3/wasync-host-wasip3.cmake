# find_package(wasync), WASI 0.3 part: wasync::wasip3 and
# wasync_wasip3_component(), which wraps a program with the installed preview1
# reactor adapter, and wasync_wasip3_http_component() (`wasmtime serve`).
# WASYNC_WASIP3_WIT_DIR: the WIT the bindings were made from (WASI 0.3.0),
# for a program that binds more of it.
include("${CMAKE_CURRENT_LIST_DIR}/wasync-wasip3-targets.cmake")
if(NOT TARGET wasync::wasip3)
  add_library(wasync::wasip3 ALIAS wasync::wasync_wasip3)
  add_library(wasync::wasip3_http ALIAS wasync::wasync_wasip3_http)
endif()
include("${_wasync_data}/cmake/wasync_wasm.cmake")
include("${_wasync_data}/cmake/wasync_wasip3.cmake")
set(WASYNC_WASIP3_WIT_DIR "${_wasync_data}/wasi/p3/wit")
list(APPEND WASYNC_HOSTS wasip3)
set(wasync_wasip3_FOUND TRUE)
