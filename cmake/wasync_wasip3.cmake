# wasync_wasip3_component(<target>): makes a WASI program a WASI 0.3 component
# for wasmtime 49 (-S p3). The core module is linked as usual (with
# wasync::wasip3's component-type object and run export when the program links
# it), then wrapped in place by
#   wasm-tools component new core.wasm --adapt wasi_snapshot_preview1=ADAPTER
# with the preview1 reactor adapter of wasi/p3/adapter (libc's own I/O becomes
# WASI 0.2 calls; share/wasync/wasi/p3/adapter in an installed package), and
# stripped in Release. No wasm-opt: Debian's Binaryen 108
# cannot read the exception handling the run export uses. Tests run it with
# wasmtime 49 (build/tools/bin/wasmtime49 run -S p3).
include_guard(GLOBAL)

find_program(WASYNC_WASM_TOOLS NAMES wasm-tools HINTS "${CMAKE_CURRENT_LIST_DIR}/../build/tools/bin" NO_CMAKE_FIND_ROOT_PATH
  DOC "wasm-tools (scripts/setup.sh links it into build/tools/bin)")
find_program(WASYNC_WASMTIME49 NAMES wasmtime49 HINTS "${CMAKE_CURRENT_LIST_DIR}/../build/tools/bin" NO_CMAKE_FIND_ROOT_PATH
  DOC "wasmtime 49 for WASI components")

function(wasync_wasip3_component target)
  if(NOT WASYNC_WASM_TOOLS)
    message(FATAL_ERROR "wasync_wasip3_component: wasm-tools not found (on PATH or -DWASYNC_WASM_TOOLS=<path>; "
                        "scripts/setup.sh installs it in wasync's build/tools/bin)")
  endif()
  # Relative to this file, not a variable: a project that adds wasync with
  # add_subdirectory() calls this from folders that never saw wasync's variables.
  set(adapter "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../wasi/p3/adapter/wasi_snapshot_preview1.reactor.wasm")
  wasync_wasm_executable(${target})
  set(file "$<TARGET_FILE:${target}>")
  set(is_release "$<CONFIG:Release,MinSizeRel>")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND "${WASYNC_WASM_TOOLS}" component new "${file}" --adapt "wasi_snapshot_preview1=${adapter}"
            -o "${file}"
    COMMAND "$<${is_release}:${WASYNC_WASM_TOOLS};strip;--all;${file};-o;${file}>"
    COMMAND_EXPAND_LISTS
    VERBATIM)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${adapter}")
  if(WASYNC_WASMTIME49)
    set_target_properties(${target} PROPERTIES CROSSCOMPILING_EMULATOR "${WASYNC_WASMTIME49};run;-S;p3")
  endif()
endfunction()

# wasync_wasip3_http_component(<target>): makes a program a WASI 0.3 component
# that `wasmtime serve` runs: it links wasync::wasip3_http (the async
# wasi:http/handler@0.3.0 export, which runs each request's handler from
# http::incoming_registration as a task of the component's one loop;
# concurrent requests are concurrent tasks of one instance), wrapped like
# wasync_wasip3_component(). main() does not run. Serve it with
#   wasmtime serve -S cli --addr 127.0.0.1:8080 <target>.wasm
function(wasync_wasip3_http_component target)
  target_link_libraries(${target} PRIVATE wasync::wasip3_http)
  wasync_wasip3_component(${target})
endfunction()
