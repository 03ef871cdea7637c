# wasync_add_module(NAME API <header> SOURCES <file>... [OUTPUT_DIRECTORY <dir>]
#                   [PACKAGE <npm-name> [VERSION <x.y.z>] [PACKAGE_DIRECTORY <dir>]
#                    [LICENSE <spdx-id>] [LICENSE_FILE <file>] [DESCRIPTION <text>]
#                    [README <file>] [PACKAGE_SUBDIR <dir>]])
#
# Builds a JS module from C++ (Emscripten only): NAME.js (an ES module whose
# default export is load()), NAME.wasm next to it, and NAME.d.ts. The API
# header declares what JS sees (functions marked WASYNC_EXPORT, structs marked
# WASYNC_RECORD, see <wasync/bind/export.hpp>); the SOURCES define them.
# wasync-bindgen (Node) generates the C++ glue, the JS wrapper and the types
# from that header at build time. The target links wasync::bind (and so
# wasync::web); add more with target_link_libraries(NAME PRIVATE ...).
# OUTPUT_DIRECTORY defaults to the current binary directory.
#
# PACKAGE with VERSION also writes a publishable npm package after each link
# (wasync-package, "wasm-pack for C++"): PACKAGE_DIRECTORY (default
# <output directory>/npm/NAME) holds package.json, the module's three files,
# README.md (README's, or a stub) and LICENSE (LICENSE_FILE's); LICENSE names
# the SPDX license in package.json. `npm pack`/`npm publish` that folder.
# PACKAGE alone tells the module where it sits under node_modules, which is
# where it looks for its .wasm when a dev server moved the module elsewhere
# (Vite 7's dependency pre-bundling); PACKAGE_SUBDIR is its folder inside a
# package assembled some other way, when the module is not at its root.
include_guard(GLOBAL)

include("${CMAKE_CURRENT_LIST_DIR}/wasync_wasm.cmake")
find_program(WASYNC_NODE_EXECUTABLE NAMES node nodejs NO_CMAKE_FIND_ROOT_PATH)

function(wasync_add_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "API;OUTPUT_DIRECTORY;PACKAGE;VERSION;PACKAGE_DIRECTORY;LICENSE;LICENSE_FILE;DESCRIPTION;README;PACKAGE_SUBDIR"
    "SOURCES")
  if(NOT EMSCRIPTEN)
    message(FATAL_ERROR "wasync_add_module(${name}): JS modules need the Emscripten toolchain (emcmake cmake)")
  endif()
  if(NOT arg_API)
    message(FATAL_ERROR "wasync_add_module(${name}): API <header> is required")
  endif()
  foreach(keyword VERSION PACKAGE_DIRECTORY LICENSE LICENSE_FILE DESCRIPTION README PACKAGE_SUBDIR)
    if(DEFINED arg_${keyword} AND NOT arg_PACKAGE)
      message(FATAL_ERROR "wasync_add_module(${name}): ${keyword} needs PACKAGE <npm-name>")
    endif()
  endforeach()
  if(NOT WASYNC_NODE_EXECUTABLE)
    message(FATAL_ERROR "wasync_add_module(${name}): node is needed to run wasync-bindgen")
  endif()
  # The generator and the bindings' JS: bindings/ beside cmake/, in the source
  # tree and in an installed package's share/wasync alike.
  get_filename_component(bindings "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../bindings" ABSOLUTE)
  get_filename_component(api "${arg_API}" ABSOLUTE)
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}")
  if(arg_OUTPUT_DIRECTORY)
    get_filename_component(out_dir "${arg_OUTPUT_DIRECTORY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set(gen_dir "${CMAKE_CURRENT_BINARY_DIR}/${name}.bindings")
  set(glue "${gen_dir}/${name}.bind.cpp")
  set(post_js "${gen_dir}/${name}.post.js")
  set(dts "${out_dir}/${name}.d.ts")
  set(gen "${bindings}/generator")
  set(npm_args "")
  if(arg_PACKAGE)
    set(npm_args --npm-package "${arg_PACKAGE}")
    if(arg_PACKAGE_SUBDIR)
      list(APPEND npm_args --npm-dir "${arg_PACKAGE_SUBDIR}")
    endif()
  endif()
  add_custom_command(
    OUTPUT "${glue}" "${post_js}" "${dts}"
    COMMAND "${WASYNC_NODE_EXECUTABLE}" "${gen}/wasync-bindgen.mjs" --name "${name}" --api "${api}"
            --cpp "${glue}" --js "${post_js}" --dts "${dts}" ${npm_args}
    DEPENDS "${api}" "${gen}/wasync-bindgen.mjs" "${gen}/parse.mjs" "${gen}/emit.mjs"
            "${bindings}/js/bind_runtime.js"
    COMMENT "wasync-bindgen: ${name} from ${arg_API}"
    VERBATIM)

  add_executable(${name} ${arg_SOURCES} "${glue}")
  target_link_libraries(${name} PRIVATE wasync::bind)
  _wasync_wasm_compile_options(compile_options)
  target_compile_options(${name} PRIVATE ${compile_options})
  # Inside wasync's own tree with WASYNC_LTO: the module's code inlines across
  # the runtime's too (an installed package leaves that to the consumer).
  if(COMMAND wasync_lto)
    wasync_lto(${name})
  endif()
  target_link_options(${name} PRIVATE
    -mtail-call
    -sMODULARIZE=1
    -sEXPORT_NAME=wasyncFactory
    -sENVIRONMENT=web,node
    -sALLOW_MEMORY_GROWTH=1
    # A library, not a program: no main, the runtime stays up, and process-wide
    # handlers are the embedder's business.
    --no-entry
    -sNODEJS_CATCH_EXIT=0
    -sNODEJS_CATCH_REJECTION=0
    "--extern-pre-js=${bindings}/js/module_pre.js"
    "--extern-post-js=${post_js}")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS
    "${post_js}" "${bindings}/js/module_pre.js")
  set_target_properties(${name} PROPERTIES SUFFIX ".js" RUNTIME_OUTPUT_DIRECTORY "${out_dir}")

  # After each link: NAME.js loses Emscripten's CommonJS/AMD export tail (a
  # plain ES module: Vite 8/Rolldown warn about `module` in one), and with
  # VERSION the package folder is written afresh.
  set(package_args "")
  if(arg_VERSION)
    set(package_dir "${out_dir}/npm/${name}")
    if(arg_PACKAGE_DIRECTORY)
      get_filename_component(package_dir "${arg_PACKAGE_DIRECTORY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    endif()
    list(APPEND package_args --package "${arg_PACKAGE}" --version "${arg_VERSION}" --out "${package_dir}")
    foreach(keyword LICENSE DESCRIPTION)
      if(DEFINED arg_${keyword})
        string(TOLOWER "${keyword}" option)
        list(APPEND package_args "--${option}" "${arg_${keyword}}")
      endif()
    endforeach()
    foreach(keyword LICENSE_FILE README)
      if(DEFINED arg_${keyword})
        get_filename_component(file "${arg_${keyword}}" ABSOLUTE)
        string(TOLOWER "${keyword}" option)
        string(REPLACE "_" "-" option "${option}")
        list(APPEND package_args "--${option}" "${file}")
        set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${file}")
      endif()
    endforeach()
  endif()
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND "${WASYNC_NODE_EXECUTABLE}" "${gen}/wasync-package.mjs" --js "$<TARGET_FILE:${name}>" ${package_args}
    VERBATIM)
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${gen}/wasync-package.mjs")
  # Debian's emcc needs its acorn from /usr/share/nodejs at link time.
  if(EXISTS "/usr/share/nodejs/acorn" AND NOT "$ENV{NODE_PATH}" MATCHES "/usr/share/nodejs")
    set_target_properties(${name} PROPERTIES
      CXX_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=/usr/share/nodejs:$ENV{NODE_PATH}")
  endif()
endfunction()
