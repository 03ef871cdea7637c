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

# wasync_host_program(TARGET [OPTIMIZE]): a program of this tree's host, linked
# with the host's library and made runnable there: natively as it is, under
# Emscripten and WASI preview1 a wasm executable (OPTIMIZE: through wasm-opt),
# in the preview2 and WASI 0.3 trees a component for wasmtime 49.
function(wasync_host_program target)
  cmake_parse_arguments(ARG "OPTIMIZE" "" "" ${ARGN})
  if(WASYNC_WASI_PREVIEW2)
    target_link_libraries(${target} PRIVATE wasync::wasip2)
    wasync_wasip2_component(${target})
    return()
  endif()
  if(WASYNC_WASI_PREVIEW3)
    target_link_libraries(${target} PRIVATE wasync::wasip3)
    wasync_wasip3_component(${target})
    return()
  endif()
  target_link_libraries(${target} PRIVATE wasync::${WASYNC_HOST})
  if(NOT WASYNC_HOST STREQUAL "native")
    wasync_wasm_executable(${target})
    if(ARG_OPTIMIZE)
      wasync_wasm_opt(${target})
    endif()
  endif()
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
