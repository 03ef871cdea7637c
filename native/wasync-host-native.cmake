# find_package(wasync), native part: wasync::native (Linux epoll), whose name
# lookups run on a helper thread.
include(CMakeFindDependencyMacro)
find_dependency(Threads)
include("${CMAKE_CURRENT_LIST_DIR}/wasync-native-targets.cmake")
if(NOT TARGET wasync::native)
  add_library(wasync::native ALIAS wasync::wasync_native)
endif()
list(APPEND WASYNC_HOSTS native)
set(wasync_native_FOUND TRUE)
