# wasync: per-target helpers for the two WebAssembly toolchains.
#
#   include(cmake/wasync_wasm.cmake)     (an installed package includes it for
#                                         its Emscripten and WASI hosts)
#
# Toolchains (see cmake/wasi.toolchain.cmake and docs in that file):
#   WASI preview1 : cmake -S . -B build-wasi -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake
#   Emscripten    : NODE_PATH=/usr/share/nodejs emcmake cmake -S . -B build-em
#   native        : everything below is a no-op (except the exception helper's checks).
#
# Sets:
#   WASYNC_WASM_TOOLCHAIN  "emscripten", "wasi" or "native"
#   WASYNC_WASM            TRUE under either wasm toolchain
#   WASYNC_WASM_COMPILE_OPTIONS  compile options for libraries holding coroutine
#                          code, meant as PUBLIC on the runtime library:
#                          -mtail-call under both wasm toolchains, plus
#                          -Wno-deprecated-experimental-coroutine under an
#                          Emscripten without <coroutine> (3.1.6); empty natively.
#   WASYNC_RUN_WASM        absolute path of scripts/run-wasm.mjs (share/wasync/scripts/
#                          in an installed package)
#
# The functions read no variable of the folder that included this file, only
# the toolchain's, cache entries and paths relative to this file: a project
# that adds wasync with add_subdirectory() calls them from its own folders.
#
# Functions (all work on the target only, never on global flags; calling one
# twice, or after the library already added -mtail-call, is harmless):
#
#   wasync_wasm_executable(<target>)
#     Both: ${WASYNC_WASM_COMPILE_OPTIONS} (PRIVATE).
#     Emscripten: -mtail-call (link), -sMODULARIZE -sEXPORT_ES6=1 -sENVIRONMENT=web,node
#       --extern-pre-js=web/js/node_shim.js -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1
#       -sEXIT_RUNTIME=1 -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0, suffix .mjs.
#       With WASYNC_EMSCRIPTEN_STACK_SIZE set: -sTOTAL_STACK=<it> and
#       -sINITIAL_MEMORY=<it + 16 MiB>. The link step runs with NODE_PATH
#       including /usr/share/nodejs (Debian's emcc needs its acorn).
#     WASI: -Wl,-z,stack-size=${WASYNC_WASI_STACK_SIZE}, suffix .wasm.
#     Both: CROSSCOMPILING_EMULATOR = node scripts/run-wasm.mjs, so add_test() and
#       ctest run the module (emcmake's default emulator, plain `node`, would only
#       import the MODULARIZE factory and never call main).
#
#   wasync_wasm_opt(<target>)
#     WASI, Release/MinSizeRel only: POST_BUILD `wasm-opt -O3 --strip-debug
#     --strip-producers` in place (WASYNC_WASM_OPT: Debian's Binaryen 108 reads the
#     target_features section and keeps return_call; falls back to npm binaryen in
#     wasync's node_modules/, else skips with a STATUS message). No-op elsewhere
#     (emcc runs its own wasm-opt at -O1 and above).
#
# Exception mode: WASYNC_EXCEPTIONS in the top-level CMakeLists (wasync_exception_mode).

include_guard(GLOBAL)

get_filename_component(WASYNC_RUN_WASM "${CMAKE_CURRENT_LIST_DIR}/../scripts/run-wasm.mjs" ABSOLUTE)

# The toolchain, from what its file sets for every folder.
function(_wasync_wasm_toolchain out)
  if(EMSCRIPTEN)
    set(${out} emscripten PARENT_SCOPE)
  elseif(WASI OR CMAKE_SYSTEM_NAME STREQUAL "WASI")
    set(${out} wasi PARENT_SCOPE)
  else()
    set(${out} native PARENT_SCOPE)
  endif()
endfunction()
_wasync_wasm_toolchain(WASYNC_WASM_TOOLCHAIN)
if(WASYNC_WASM_TOOLCHAIN STREQUAL "native")
  set(WASYNC_WASM FALSE)
else()
  set(WASYNC_WASM TRUE)
endif()

find_program(WASYNC_NODE_EXECUTABLE NAMES node nodejs NO_CMAKE_FIND_ROOT_PATH)

# Emscripten 3.1.6 (clang-14, libc++ without <coroutine>) warns on every
# coroutine that std::experimental::coroutine_traits is deprecated; the check's
# result is a cache entry, which every folder sees.
if(WASYNC_WASM_TOOLCHAIN STREQUAL "emscripten")
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-std=c++20")
  set(CMAKE_REQUIRED_QUIET TRUE)
  check_cxx_source_compiles("#include <coroutine>\nint main() { return 0; }" WASYNC_HAVE_STD_COROUTINE)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_QUIET)
endif()

# Compile options every wasm target needs (wasync_runtime has them PUBLIC).
# -mtail-call: symmetric transfer must become return_call (without it clang-22
# overflows the stack in a deep await chain and clang-14 refuses to compile).
function(_wasync_wasm_compile_options out)
  _wasync_wasm_toolchain(toolchain)
  set(options "")
  if(NOT toolchain STREQUAL "native")
    list(APPEND options -mtail-call)
  endif()
  if(toolchain STREQUAL "emscripten" AND NOT WASYNC_HAVE_STD_COROUTINE)
    list(APPEND options -Wno-deprecated-experimental-coroutine)
  endif()
  set(${out} "${options}" PARENT_SCOPE)
endfunction()
_wasync_wasm_compile_options(WASYNC_WASM_COMPILE_OPTIONS)

# Emscripten 3.1.6 / clang-14 bug (clang-22 is fine): when a coroutine's resume
# function has a shadow-stack frame, the symmetric-transfer return_call_indirect
# is emitted BEFORE the __stack_pointer restore, so each transfer leaks the frame
# (16 B at -O3 with -fwasm-exceptions or an address-taken local, 32 B at -Os,
# ~160 B at -O0) until the enclosing non-coroutine function returns. The 5 MiB
# default shadow stack then overflows silently (memory corruption, a hang, or
# "memory access out of bounds"). WASYNC_EMSCRIPTEN_STACK_SIZE buys depth; a
# scheduler loop can save/restore the stack pointer around each resume().
if(WASYNC_WASM_TOOLCHAIN STREQUAL "emscripten")
  set(WASYNC_EMSCRIPTEN_STACK_SIZE "" CACHE STRING
    "Emscripten shadow-stack size in bytes for wasync_wasm_executable (-sTOTAL_STACK; empty = Emscripten's 5 MiB)")
endif()

# Debian's emcc runs Node on tools/acorn-optimizer.js at link time, which
# needs Debian's acorn from /usr/share/nodejs: without NODE_PATH the link fails
# with "Cannot find module 'acorn'". Gives <target>'s link step that NODE_PATH,
# so a build from a shell without it still works (wasync_wasm_executable does
# this; a plain Emscripten target, e.g. an ASYNCIFY twin, calls it itself).
function(wasync_emscripten_link_env target)
  if(EXISTS "/usr/share/nodejs/acorn" AND NOT "$ENV{NODE_PATH}" MATCHES "(^|:)/usr/share/nodejs/?(:|$)")
    set(node_path "/usr/share/nodejs")
    if(NOT "$ENV{NODE_PATH}" STREQUAL "")
      string(APPEND node_path ":$ENV{NODE_PATH}")
    endif()
    set_target_properties(${target} PROPERTIES
      C_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=${node_path}"
      CXX_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=${node_path}")
  endif()
endfunction()

function(wasync_wasm_executable target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "wasync_wasm_executable: no target ${target}")
  endif()
  _wasync_wasm_toolchain(toolchain)
  if(toolchain STREQUAL "native")
    return()
  endif()

  _wasync_wasm_compile_options(compile_options)
  target_compile_options(${target} PRIVATE ${compile_options})

  if(toolchain STREQUAL "emscripten")
    set(node_shim "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../web/js/node_shim.js")
    target_link_options(${target} PRIVATE
      -mtail-call
      -sMODULARIZE=1
      -sEXPORT_ES6=1
      -sENVIRONMENT=web,node
      "--extern-pre-js=${node_shim}"
      -sSINGLE_FILE=1
      -sALLOW_MEMORY_GROWTH=1
      -sEXIT_RUNTIME=1
      # Leave process-wide handlers to the embedder: by default the module adds
      # process.on('uncaughtException'/'unhandledRejection') handlers that rethrow.
      -sNODEJS_CATCH_EXIT=0
      -sNODEJS_CATCH_REJECTION=0)
    if(WASYNC_EMSCRIPTEN_STACK_SIZE)
      # The shadow stack lives inside INITIAL_MEMORY, which must be larger.
      math(EXPR initial_memory "${WASYNC_EMSCRIPTEN_STACK_SIZE} + 16777216")
      target_link_options(${target} PRIVATE
        "-sTOTAL_STACK=${WASYNC_EMSCRIPTEN_STACK_SIZE}"
        "-sINITIAL_MEMORY=${initial_memory}")
    endif()
    set_target_properties(${target} PROPERTIES SUFFIX ".mjs")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${node_shim}")
    wasync_emscripten_link_env(${target})
  else() # wasi
    set(stack_size "${WASYNC_WASI_STACK_SIZE}")
    if(NOT stack_size)
      set(stack_size 1048576)
    endif()
    target_link_options(${target} PRIVATE "-Wl,-z,stack-size=${stack_size}")
    set_target_properties(${target} PROPERTIES SUFFIX ".wasm")
  endif()

  if(WASYNC_NODE_EXECUTABLE)
    set_target_properties(${target} PROPERTIES
      CROSSCOMPILING_EMULATOR "${WASYNC_NODE_EXECUTABLE};${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../scripts/run-wasm.mjs")
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
      set(npm_opt "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../node_modules/binaryen/bin/wasm-opt")
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
  _wasync_wasm_toolchain(toolchain)
  if(NOT toolchain STREQUAL "wasi")
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
