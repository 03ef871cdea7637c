// The runtime side of LLVM's WebAssembly setjmp/longjmp lowering (see
// sjlj.h): setjmp records which call it was, longjmp throws the __c_longjmp
// tag, and the catch the compiler wrote in the setjmp-calling function tests
// whether the jump is its own. Compiled with -mexception-handling.
#include "sjlj.h"

void __wasm_setjmp(void* env, uint32_t label, void* invocation) {
  wasync_jmp_buf* b = env;
  b->invocation = invocation;
  b->label = label;
}

uint32_t __wasm_setjmp_test(void* env, void* invocation) {
  const wasync_jmp_buf* b = env;
  return b->invocation == invocation ? b->label : 0;
}

void __wasm_longjmp(void* env, int value) {
  wasync_jmp_buf* b = env;
  b->arg.env = env;
  b->arg.value = value != 0 ? value : 1;
  __builtin_wasm_throw(1, &b->arg);  // 1: the compiler's index of the C longjmp tag
}

// The tag itself: LLVM 22 no longer defines it, and C cannot spell it.
__asm__(".globl __c_longjmp\n.tagtype __c_longjmp i32\n__c_longjmp:\n");
