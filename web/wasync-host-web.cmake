# find_package(wasync), Emscripten part: wasync::web (its JS libraries come
# with it), wasync::bind and wasync_add_module() for JS modules,
# wasync_wasm_executable() for programs.
include("${CMAKE_CURRENT_LIST_DIR}/wasync-web-targets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/wasync-bind-targets.cmake")
if(NOT TARGET wasync::web)
  add_library(wasync::web ALIAS wasync::wasync_web)
  add_library(wasync::bind ALIAS wasync::wasync_bind)
endif()
include("${_wasync_data}/cmake/wasync_wasm.cmake")
include("${_wasync_data}/cmake/wasync_module.cmake")
list(APPEND WASYNC_HOSTS web)
set(wasync_web_FOUND TRUE)
