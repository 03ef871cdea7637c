// setjmp/longjmp as WebAssembly exception handling (LLVM's -wasm-enable-sjlj
// lowering). Debian's wasi-libc has neither <setjmp.h> nor the runtime
// functions the lowering calls: the buffer is declared here, the functions
// are in sjlj_runtime.c.
#ifndef WASYNC_WASIP3_SJLJ_H
#define WASYNC_WASIP3_SJLJ_H

#include <stdint.h>

/// The layout LLVM's lowering and sjlj_runtime.c agree on.
typedef struct wasync_jmp_buf {
  void* invocation;  ///< the setjmp-calling function's invocation
  uint32_t label;    ///< which setjmp in it
  struct {
    void* env;
    int value;
  } arg;  ///< what the exception carries to the catch
} wasync_jmp_buf;

#endif
