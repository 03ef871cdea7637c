# find_package(wasync), WASI preview1 part: wasync::wasi, and
# wasync_wasm_executable() / wasync_wasm_opt() for command modules.
include("${CMAKE_CURRENT_LIST_DIR}/wasync-wasi-targets.cmake")
if(NOT TARGET wasync::wasi)
  add_library(wasync::wasi ALIAS wasync::wasync_wasi)
endif()
include("${_wasync_data}/cmake/wasync_wasm.cmake")
list(APPEND WASYNC_HOSTS wasi)
set(wasync_wasi_FOUND TRUE)
