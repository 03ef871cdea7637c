# wasync: per-target helpers for the two WebAssembly toolchains.
#
#   include(cmake/wasync_wasm.cmake)
#
# Toolchains (see cmake/wasi.toolchain.cmake and docs in that file):
#   WASI preview1 : cmake -S . -B build-wasi -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake
#   Emscripten    : NODE_PATH=/usr/share/nodejs emcmake cmake -S . -B build-em
#   native        : everything below is a no-op (except the exception helper's checks).
#
# Sets:
#   WASYNC_WASM_TOOLCHAIN  "emscripten", "wasi" or "native"
#   WASYNC_WASM            TRUE under either wasm toolchain
#   WASYNC_NODE_SHIM       absolute path of web/js/node_shim.js
#   WASYNC_RUN_WASM        absolute path of scripts/run-wasm.mjs
#
# Functions (all work on the target only, never on global flags; calling one
# twice, or after the library already added -mtail-call, is harmless):
#
#   wasync_wasm_executable(<target>)
#     Emscripten: -mtail-call, -sMODULARIZE -sEXPORT_ES6=1 -sENVIRONMENT=web,node
#       --extern-pre-js=web/js/node_shim.js -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1
#       -sEXIT_RUNTIME=1 -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0, suffix .mjs.
#     WASI: -mtail-call, -Wl,-z,stack-size=${WASYNC_WASI_STACK_SIZE}, suffix .wasm.
#     Both: CROSSCOMPILING_EMULATOR = node scripts/run-wasm.mjs, so add_test() and
#       ctest run the module (emcmake's default emulator, plain `node`, would only
#       import the MODULARIZE factory and never call main).
#
#   wasync_wasm_opt(<target>)
#     WASI, Release/MinSizeRel only: POST_BUILD `wasm-opt -O3 --strip-debug
#     --strip-producers` in place (WASYNC_WASM_OPT: Debian's Binaryen 108 reads the
#     target_features section and keeps return_call; falls back to npm binaryen in
#     node_modules/, else skips with a STATUS message). No-op elsewhere
#     (emcc runs its own wasm-opt at -O1 and above).
#
#   wasync_wasm_exceptions(<target> [OFF|ON|WASM|JS])
#     Exception mode. Default: the cache variable WASYNC_WASM_EXCEPTIONS (OFF).
#       OFF      -fno-exceptions (compile). A throw is a compile error; the
#                library's own code must not throw.
#       ON|WASM  Emscripten: -fwasm-exceptions (compile + link), native wasm EH.
#       JS       Emscripten: -fexceptions (compile + link), JS-based EH (slower).
#     PUBLIC on a library, so every target linking it is built the same way: the
#     mode changes __cpp_exceptions, which headers may test (a promise type with
#     or without std::exception_ptr), so mixing modes in one link is an ODR
#     violation. Under WASI only OFF is allowed (Debian's libc++abi has no EH);
#     on native builds the function does nothing (compiler default, exceptions on).

include_guard(GLOBAL)

get_filename_component(WASYNC_NODE_SHIM "${CMAKE_CURRENT_LIST_DIR}/../web/js/node_shim.js" ABSOLUTE)
get_filename_component(WASYNC_RUN_WASM "${CMAKE_CURRENT_LIST_DIR}/../scripts/run-wasm.mjs" ABSOLUTE)

if(EMSCRIPTEN)
  set(WASYNC_WASM_TOOLCHAIN emscripten)
  set(WASYNC_WASM TRUE)
elseif(WASI OR CMAKE_SYSTEM_NAME STREQUAL "WASI")
  set(WASYNC_WASM_TOOLCHAIN wasi)
  set(WASYNC_WASM TRUE)
else()
  set(WASYNC_WASM_TOOLCHAIN native)
  set(WASYNC_WASM FALSE)
endif()

set(WASYNC_WASM_EXCEPTIONS OFF CACHE STRING
  "Default exception mode for wasync_wasm_exceptions() under Emscripten: OFF, ON (=WASM), WASM or JS")
set_property(CACHE WASYNC_WASM_EXCEPTIONS PROPERTY STRINGS OFF ON WASM JS)
if(NOT WASYNC_WASI_STACK_SIZE)
  set(WASYNC_WASI_STACK_SIZE 1048576)
endif()

find_program(WASYNC_NODE_EXECUTABLE NAMES node nodejs NO_CMAKE_FIND_ROOT_PATH)

function(wasync_wasm_executable target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "wasync_wasm_executable: no target ${target}")
  endif()
  if(WASYNC_WASM_TOOLCHAIN STREQUAL "native")
    return()
  endif()

  target_compile_options(${target} PRIVATE -mtail-call)

  if(WASYNC_WASM_TOOLCHAIN STREQUAL "emscripten")
    target_link_options(${target} PRIVATE
      -mtail-call
      -sMODULARIZE=1
      -sEXPORT_ES6=1
      -sENVIRONMENT=web,node
      "--extern-pre-js=${WASYNC_NODE_SHIM}"
      -sSINGLE_FILE=1
      -sALLOW_MEMORY_GROWTH=1
      -sEXIT_RUNTIME=1
      # Leave process-wide handlers to the embedder: by default the module adds
      # process.on('uncaughtException'/'unhandledRejection') handlers that rethrow.
      -sNODEJS_CATCH_EXIT=0
      -sNODEJS_CATCH_REJECTION=0)
    set_target_properties(${target} PROPERTIES SUFFIX ".mjs")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${WASYNC_NODE_SHIM}")
  else() # wasi
    target_link_options(${target} PRIVATE "-Wl,-z,stack-size=${WASYNC_WASI_STACK_SIZE}")
    set_target_properties(${target} PROPERTIES SUFFIX ".wasm")
  endif()

  if(WASYNC_NODE_EXECUTABLE)
    set_target_properties(${target} PROPERTIES
      CROSSCOMPILING_EMULATOR "${WASYNC_NODE_EXECUTABLE};${WASYNC_RUN_WASM}")
  endif()
endfunction()

function(wasync_wasm_exceptions target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "wasync_wasm_exceptions: no target ${target}")
  endif()
  if(ARGC GREATER 1)
    set(mode "${ARGV1}")
  else()
    set(mode "${WASYNC_WASM_EXCEPTIONS}")
  endif()
  string(TOUPPER "${mode}" mode)
  if(mode STREQUAL "ON" OR mode STREQUAL "TRUE" OR mode STREQUAL "1")
    set(mode WASM)
  elseif(mode STREQUAL "" OR mode STREQUAL "FALSE" OR mode STREQUAL "0" OR mode STREQUAL "NO")
    set(mode OFF)
  endif()
  if(NOT mode MATCHES "^(OFF|WASM|JS)$")
    message(FATAL_ERROR "wasync_wasm_exceptions(${target}): unknown mode '${mode}' (OFF, ON, WASM or JS)")
  endif()

  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    set(scope INTERFACE)
  elseif(type MATCHES "LIBRARY$")
    set(scope PUBLIC)
  else()
    set(scope PRIVATE)
  endif()
  set_property(TARGET ${target} PROPERTY WASYNC_EXCEPTIONS_MODE ${mode})

  if(WASYNC_WASM_TOOLCHAIN STREQUAL "native")
    return()
  endif()
  if(WASYNC_WASM_TOOLCHAIN STREQUAL "wasi" AND NOT mode STREQUAL "OFF")
    message(FATAL_ERROR "wasync_wasm_exceptions(${target} ${mode}): no C++ exceptions "
      "under WASI (Debian's wasm32 libc++abi is built without them)")
  endif()

  if(mode STREQUAL "OFF")
    target_compile_options(${target} ${scope} -fno-exceptions)
  elseif(mode STREQUAL "WASM")
    target_compile_options(${target} ${scope} -fwasm-exceptions)
    target_link_options(${target} ${scope} -fwasm-exceptions)
  else() # JS
    target_compile_options(${target} ${scope} -fexceptions)
    target_link_options(${target} ${scope} -fexceptions)
  endif()
endfunction()

# Locate a wasm-opt once: WASYNC_WASM_OPT (cache) may name a binary or be set to
# OFF to disable. Result in the global property WASYNC_WASM_OPT_COMMAND (a list,
# may start with node), computed once per configure.
function(_wasync_find_wasm_opt)
  get_property(done GLOBAL PROPERTY WASYNC_WASM_OPT_FOUND SET)
  if(done)
    return()
  endif()
  set(cmd "")
  if(DEFINED WASYNC_WASM_OPT AND NOT WASYNC_WASM_OPT)
    set(why "disabled by WASYNC_WASM_OPT=${WASYNC_WASM_OPT}")
  else()
    find_program(WASYNC_WASM_OPT NAMES wasm-opt NO_CMAKE_FIND_ROOT_PATH
      DOC "Binaryen wasm-opt for WASI release builds (OFF to disable)")
    if(WASYNC_WASM_OPT)
      execute_process(COMMAND "${WASYNC_WASM_OPT}" --version
        OUTPUT_VARIABLE out ERROR_QUIET RESULT_VARIABLE rc)
      if(rc EQUAL 0 AND out MATCHES "version ([0-9]+)")
        set(ver "${CMAKE_MATCH_1}")
        # Tail calls (return_call) are read and optimised since well before 108.
        if(ver GREATER_EQUAL 105)
          set(cmd "${WASYNC_WASM_OPT}")
        else()
          set(why "${WASYNC_WASM_OPT} is Binaryen ${ver} (< 105)")
        endif()
      else()
        set(why "${WASYNC_WASM_OPT} --version failed")
      endif()
    else()
      set(why "no wasm-opt on PATH")
    endif()
    if(NOT cmd)
      set(npm_opt "${PROJECT_SOURCE_DIR}/node_modules/binaryen/bin/wasm-opt")
      if(WASYNC_NODE_EXECUTABLE AND EXISTS "${npm_opt}")
        set(cmd "${WASYNC_NODE_EXECUTABLE};${npm_opt}")
      endif()
    endif()
  endif()
  if(NOT cmd)
    message(STATUS "wasync: wasm-opt post-build step skipped (${why})")
  else()
    string(REPLACE ";" " " shown "${cmd}")
    message(STATUS "wasync: wasm-opt for WASI Release/MinSizeRel: ${shown}")
  endif()
  set_property(GLOBAL PROPERTY WASYNC_WASM_OPT_FOUND TRUE)
  set_property(GLOBAL PROPERTY WASYNC_WASM_OPT_COMMAND "${cmd}")
endfunction()

function(wasync_wasm_opt target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "wasync_wasm_opt: no target ${target}")
  endif()
  if(NOT WASYNC_WASM_TOOLCHAIN STREQUAL "wasi")
    return()
  endif()
  _wasync_find_wasm_opt()
  get_property(wasm_opt GLOBAL PROPERTY WASYNC_WASM_OPT_COMMAND)
  if(NOT wasm_opt)
    return()
  endif()
  # The module keeps its target_features section (clang passes
  # --keep-section=target_features), from which wasm-opt takes tail-call etc.;
  # --enable-tail-call is stated anyway in case the section was stripped.
  set(opt_cmd ${wasm_opt} -O3 --enable-tail-call --strip-debug --strip-producers
    "$<TARGET_FILE:${target}>" -o "$<TARGET_FILE:${target}>")
  set(is_release "$<CONFIG:Release,MinSizeRel>")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND "$<${is_release}:${opt_cmd}>"
    COMMAND_EXPAND_LISTS
    VERBATIM)
endfunction()
