# wasync_add_library(NAME INCLUDE_DIR SOURCES...): a library on top of the core
# (hosts, http), named wasync_NAME with the alias wasync::NAME, its public
# headers in INCLUDE_DIR, warnings kept private.
function(wasync_add_library name include_dir)
  add_library(wasync_${name} ${ARGN})
  add_library(wasync::${name} ALIAS wasync_${name})
  target_include_directories(wasync_${name} PUBLIC
    $<BUILD_INTERFACE:${include_dir}>
    $<INSTALL_INTERFACE:include>)
  target_link_libraries(wasync_${name} PUBLIC wasync_runtime PRIVATE wasync_warnings)
  wasync_lto(wasync_${name})
endfunction()

# wasync_lto(TARGET): with WASYNC_LTO, Release builds compile TARGET to LTO
# bitcode (the consumer's link needs no flag: the linker optimises bitcode
# members). Emscripten only: under WASI Debian's llvm-ar (14) cannot index
# clang-22 bitcode, and native builds never measured a gain.
function(wasync_lto target)
  if(WASYNC_LTO AND EMSCRIPTEN)
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release,MinSizeRel>:-flto>)
  endif()
endfunction()
