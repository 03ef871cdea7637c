# wasync_wasip2_component(<target>): makes a WASI program a preview2 component
# for current wasmtime. The core module is linked as usual (with
# wasync::wasip2's component-type object when the program links it), optimised
# by wasync_wasm_opt() in Release, then wrapped in place by
#   wasm-tools component new core.wasm --adapt wasi_snapshot_preview1=ADAPTER
# with the preview1 adapter of wasi/p2/adapter (WASI 0.2.12, like the bindings;
# share/wasync/wasi/p2/adapter in an installed package), and stripped in
# Release. Tests run it with wasmtime 49 (build/tools/bin/wasmtime49).
# wasm-tools and wasmtime49 are looked for on PATH and in wasync's
# build/tools/bin (scripts/setup.sh); -DWASYNC_WASM_TOOLS=<path> names another.
include_guard(GLOBAL)

find_program(WASYNC_WASM_TOOLS NAMES wasm-tools HINTS "${CMAKE_CURRENT_LIST_DIR}/../build/tools/bin" NO_CMAKE_FIND_ROOT_PATH
  DOC "wasm-tools (scripts/setup.sh links it into build/tools/bin)")
find_program(WASYNC_WASMTIME49 NAMES wasmtime49 HINTS "${CMAKE_CURRENT_LIST_DIR}/../build/tools/bin" NO_CMAKE_FIND_ROOT_PATH
  DOC "wasmtime 49 for WASI preview2 components")

# Links <target> as a core module, optimises it and wraps it in place with the
# preview1 adapter of the given kind (command or reactor).
function(_wasync_wasip2_wrap target kind caller)
  if(NOT WASYNC_WASM_TOOLS)
    message(FATAL_ERROR "${caller}: wasm-tools not found (on PATH or -DWASYNC_WASM_TOOLS=<path>; "
                        "scripts/setup.sh installs it in wasync's build/tools/bin)")
  endif()
  # Relative to this file, not a variable: a project that adds wasync with
  # add_subdirectory() calls this from folders that never saw wasync's variables.
  set(adapter "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../wasi/p2/adapter/wasi_snapshot_preview1.${kind}.wasm")
  wasync_wasm_executable(${target})
  wasync_wasm_opt(${target})
  set(file "$<TARGET_FILE:${target}>")
  set(is_release "$<CONFIG:Release,MinSizeRel>")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND "${WASYNC_WASM_TOOLS}" component new "${file}" --adapt "wasi_snapshot_preview1=${adapter}"
            -o "${file}"
    COMMAND "$<${is_release}:${WASYNC_WASM_TOOLS};strip;--all;${file};-o;${file}>"
    COMMAND_EXPAND_LISTS
    VERBATIM)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${adapter}")
endfunction()

function(wasync_wasip2_component target)
  _wasync_wasip2_wrap(${target} command wasync_wasip2_component)
  if(WASYNC_WASMTIME49)
    set_target_properties(${target} PROPERTIES CROSSCOMPILING_EMULATOR "${WASYNC_WASMTIME49};run")
  endif()
endfunction()

# wasync_wasip2_http_component(<target>): makes a program a preview2
# component that `wasmtime serve` runs: it links wasync::wasip2_http (the
# wasi:http/incoming-handler export, which hands each request to the handler
# of http::incoming_registration) and is wrapped with the preview1 *reactor*
# adapter (no _start: main() never runs). Serve it with
#   wasmtime serve -S cli --addr 127.0.0.1:8080 <target>.wasm
# (-S cli: libc's own I/O, e.g. stderr, goes through wasi:cli).
function(wasync_wasip2_http_component target)
  target_link_libraries(${target} PRIVATE wasync::wasip2_http)
  _wasync_wasip2_wrap(${target} reactor wasync_wasip2_http_component)
endfunction()
