# What C++ and the JS libraries agree on (op statuses, value type tags, fixed
# value ids, the layouts of replies and settlement records) comes from one
# file, made into a header and a JS library at build time (the web library,
# and the native unit tests of the bindings' codec, include it).
find_program(WASYNC_NODE_EXECUTABLE NAMES node nodejs NO_CMAKE_FIND_ROOT_PATH REQUIRED)
set(WASYNC_WEB_GENERATED ${PROJECT_BINARY_DIR}/web/generated)
set(WASYNC_WEB_CONSTANTS_HPP ${WASYNC_WEB_GENERATED}/include/wasync/js_constants.hpp)
set(WASYNC_WEB_CONSTANTS_JS ${WASYNC_WEB_GENERATED}/js/js_constants.js)
add_custom_command(
  OUTPUT ${WASYNC_WEB_CONSTANTS_HPP} ${WASYNC_WEB_CONSTANTS_JS}
  COMMAND ${WASYNC_NODE_EXECUTABLE} ${PROJECT_SOURCE_DIR}/web/bridge/gen_constants.mjs
          ${PROJECT_SOURCE_DIR}/web/bridge/constants.json ${WASYNC_WEB_CONSTANTS_HPP} ${WASYNC_WEB_CONSTANTS_JS}
  DEPENDS ${PROJECT_SOURCE_DIR}/web/bridge/gen_constants.mjs ${PROJECT_SOURCE_DIR}/web/bridge/constants.json
  COMMENT "wasync: JS bridge constants from web/bridge/constants.json"
  VERBATIM)
# A target of its own, so whatever includes wasync::web's headers waits for it.
add_custom_target(wasync_web_constants DEPENDS ${WASYNC_WEB_CONSTANTS_HPP} ${WASYNC_WEB_CONSTANTS_JS})

