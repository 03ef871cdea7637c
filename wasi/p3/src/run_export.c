// The component's entry point: wasi:cli/run@0.3.0's run, async-lifted with
// the callback ABI. The export calls the program's main(). When main hands
// its task to the host (run(main) -> wasip3_host::run_main), the host jumps
// back here over main's frames, and the export returns the loop's first
// callback code to the runtime; from then on the loop runs in callbacks. A
// main that returns by itself (a program that never called run(), or ran
// its loop on a host of its own) ends the export at once.
// Compiled with -mexception-handling -mllvm -wasm-enable-sjlj (sjlj.h).
#include "sjlj.h"
#include "wasip3.h"

int setjmp(wasync_jmp_buf* env) __attribute__((returns_twice));
_Noreturn void longjmp(wasync_jmp_buf* env, int value);

extern int __main_void(void);
extern void __wasm_call_dtors(void);

// The C++ host (wasip3_host.cpp).
uint32_t wasync_wasip3_resume(void);
uint32_t wasync_wasip3_event(uint32_t event, uint32_t waitable, uint32_t code);
int wasync_wasip3_exit_status(void);
void wasync_wasip3_main_returned(void);

static wasync_jmp_buf handoff;
static int main_running;

/// Whether the program's main() runs inside the export, so that the host
/// can take over (run_main checks it before handing off).
int wasync_wasip3_can_hand_off(void) { return main_running; }

_Noreturn void wasync_wasip3_hand_off(void) {
  main_running = 0;
  longjmp(&handoff, 1);
}

/// The program is over: static destructors (they flush libc's stdio), then
/// the export's result; a non-zero status exits with that code.
static wasip3_callback_code_t end_program(int status) {
  __wasm_call_dtors();
  if (status == 0) {
    exports_wasi_cli_run_result_void_void_t ok = {.is_err = false};
    exports_wasi_cli_run_run_return(ok);
    return WASIP3_CALLBACK_CODE_EXIT;
  }
  wasi_cli_exit_exit_with_code((uint8_t)(status & 0xff ? status & 0xff : 1));
  __builtin_unreachable();
}

static wasip3_callback_code_t after_turns(uint32_t code) {
  return code == WASIP3_CALLBACK_CODE_EXIT ? end_program(wasync_wasip3_exit_status()) : code;
}

wasip3_callback_code_t exports_wasi_cli_run_run(void) {
  if (setjmp(&handoff) == 0) {
    main_running = 1;
    const int status = __main_void();
    main_running = 0;
    wasync_wasip3_main_returned();
    return end_program(status);
  }
  return after_turns(wasync_wasip3_resume());
}

wasip3_callback_code_t exports_wasi_cli_run_run_callback(wasip3_event_t* event) {
  return after_turns(wasync_wasip3_event(event->event, event->waitable, event->code));
}
