# Warnings for wasync's own targets only (linked PRIVATE), so consumers stay clean;
# plus the exception and sanitizer switches as interface targets.
add_library(wasync_warnings INTERFACE)
target_compile_options(wasync_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-missing-field-initializers>)

add_library(wasync_exception_mode INTERFACE)
if(WASYNC_EXCEPTIONS)
  if(EMSCRIPTEN)
    target_compile_options(wasync_exception_mode INTERFACE -fwasm-exceptions)
    target_link_options(wasync_exception_mode INTERFACE -fwasm-exceptions)
  endif()
else()
  target_compile_options(wasync_exception_mode INTERFACE -fno-exceptions)
endif()

add_library(wasync_sanitize INTERFACE)
if(WASYNC_SANITIZE)
  target_compile_options(wasync_sanitize INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(wasync_sanitize INTERFACE -fsanitize=address,undefined)
endif()
