# wasync_host_program(<target> [HOST <host>]): links the host library
# wasync::<host> to the executable <target> and makes it a program of that
# host: natively as it is; under Emscripten an ES module <target>.mjs (run it
# with `node scripts/run-wasm.mjs`, or import it in a page and call its default
# export); under WASI a command module <target>.wasm through wasm-opt in
# Release; for a host with a wasync_<host>_component() function (wasip2) a
# component. Without HOST: WASYNC_DEFAULT_HOST when set (e.g.
# -DWASYNC_DEFAULT_HOST=wasi to make preview1 modules with a preview2 package),
# else the host wasync was built for.
include_guard(GLOBAL)

function(wasync_host_program target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "HOST" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "wasync_host_program(${target}): unexpected arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  set(host "${arg_HOST}")
  if(NOT host)
    set(host "${WASYNC_DEFAULT_HOST}")
  endif()
  if(NOT host)
    get_property(host GLOBAL PROPERTY WASYNC_DEFAULT_HOST)
  endif()
  if(NOT TARGET wasync::${host})
    message(FATAL_ERROR "wasync_host_program(${target}): this wasync has no host '${host}' (no target wasync::${host})")
  endif()
  target_link_libraries(${target} PRIVATE wasync::${host})
  if(COMMAND wasync_${host}_component)
    cmake_language(CALL wasync_${host}_component ${target})
  elseif(NOT host STREQUAL "native")
    wasync_wasm_executable(${target})
    wasync_wasm_opt(${target})
  endif()
endfunction()
