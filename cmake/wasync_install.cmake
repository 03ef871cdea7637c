# Installing wasync (cmake --install <tree> --prefix <prefix>): one prefix per
# host, the host the tree was configured for (README, "Install the C++ SDK").
#
#   include/                     the core's, http's and the host's headers
#   lib/                         the libraries
#   lib/cmake/wasync/            wasyncConfig.cmake: the core targets, then each host part
#                                installed beside it (wasync-host-<host>.cmake, from the
#                                host's folder), so a new host adds a file, not a branch here
#   share/wasync/                the CMake modules and what they use, laid out as in the
#                                source tree (cmake/, scripts/run-wasm.mjs, web/js/,
#                                bindings/, wasi/p2/...): a module finds its files at the
#                                same path relative to itself in both
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(WASYNC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/wasync)
set(WASYNC_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/wasync)

# Every library the package installs, for the wasync_libraries target
# (scripts/test.sh builds it before installing a tree).
add_custom_target(wasync_libraries)

# wasync_install_data(<path>...): files or folders of the source tree (paths
# relative to it) into share/wasync at the same relative path.
function(wasync_install_data)
  if(NOT WASYNC_INSTALL)
    return()
  endif()
  foreach(item IN LISTS ARGN)
    get_filename_component(parent "${item}" DIRECTORY)
    if(IS_DIRECTORY "${PROJECT_SOURCE_DIR}/${item}")
      install(DIRECTORY "${PROJECT_SOURCE_DIR}/${item}" DESTINATION "${WASYNC_INSTALL_DATADIR}/${parent}")
    else()
      install(FILES "${PROJECT_SOURCE_DIR}/${item}" DESTINATION "${WASYNC_INSTALL_DATADIR}/${parent}")
    endif()
  endforeach()
endfunction()

# wasync_install_libraries(<set> TARGETS <target>... [INCLUDE_DIRS <dir>...]):
# the libraries, in the export set wasync-<set>-targets (namespace wasync::),
# and the contents of their include folders.
function(wasync_install_libraries set)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "TARGETS;INCLUDE_DIRS")
  add_dependencies(wasync_libraries ${arg_TARGETS})
  if(NOT WASYNC_INSTALL)
    return()
  endif()
  install(TARGETS ${arg_TARGETS} EXPORT wasync-${set}-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT wasync-${set}-targets NAMESPACE wasync:: DESTINATION ${WASYNC_INSTALL_CMAKEDIR})
  foreach(dir IN LISTS arg_INCLUDE_DIRS)
    install(DIRECTORY "${dir}/" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  endforeach()
endfunction()

# wasync_install_host(<host> TARGETS <target>... [INCLUDE_DIRS <dir>...]):
# wasync_install_libraries(<host> ...) and wasync-host-<host>.cmake from the
# calling folder: the host's part of find_package(wasync), which loads the
# targets file, names the aliases (wasync::<host>), includes the host's CMake
# functions and sets wasync_<host>_FOUND.
function(wasync_install_host host)
  wasync_install_libraries(${host} ${ARGN})
  if(WASYNC_INSTALL)
    install(FILES "${CMAKE_CURRENT_SOURCE_DIR}/wasync-host-${host}.cmake" DESTINATION ${WASYNC_INSTALL_CMAKEDIR})
  endif()
endfunction()

# wasync_install_core(): the core targets and the package's config files. The
# config records this tree's default host (wasync_host_program's).
function(wasync_install_core)
  wasync_install_libraries(core
    TARGETS wasync_runtime wasync_http wasync_warnings wasync_exception_mode wasync_sanitize
    INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/runtime/include ${PROJECT_SOURCE_DIR}/http/include)
  if(NOT WASYNC_INSTALL)
    return()
  endif()
  wasync_install_data(cmake/wasync_program.cmake)

  get_property(WASYNC_DEFAULT_HOST GLOBAL PROPERTY WASYNC_DEFAULT_HOST)
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/wasyncConfig.cmake.in
    ${PROJECT_BINARY_DIR}/wasyncConfig.cmake
    INSTALL_DESTINATION ${WASYNC_INSTALL_CMAKEDIR}
    PATH_VARS WASYNC_INSTALL_DATADIR)
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/wasyncConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/wasyncConfig.cmake ${PROJECT_BINARY_DIR}/wasyncConfigVersion.cmake
    DESTINATION ${WASYNC_INSTALL_CMAKEDIR})
endfunction()
