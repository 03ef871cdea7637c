// The program's entry point, in place of wasi-libc's crt1-command.o (the
// component's wasi:cli/run calls it through the adapter). It calls
// __wasm_call_ctors itself, which tells wasm-ld not to wrap the other exports:
// with Debian's crt1, wasm-ld wraps cabi_realloc in a ctors/dtors pair, so
// every list the host returns would re-run static constructors and destructors.
#include <wasi/api.h>

extern void __wasm_call_ctors(void);
extern void __wasm_call_dtors(void);
extern int __main_void(void);

__attribute__((export_name("_start"))) void _start(void) {
  static volatile int started = 0;
  if (started) __builtin_trap();
  started = 1;
  __wasm_call_ctors();
  int status = __main_void();
  __wasm_call_dtors();
  if (status != 0) __wasi_proc_exit((__wasi_exitcode_t)status);
}
