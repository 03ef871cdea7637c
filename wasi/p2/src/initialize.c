// A `wasmtime serve` component's start-up, in place of crt1-reactor.o (the
// host library links with -nostartfiles): wasm-tools component new calls
// _initialize once, before the first request. It calls __wasm_call_ctors
// itself, so wasm-ld does not wrap the other exports in constructor calls
// (see start.c).
extern void __wasm_call_ctors(void);

__attribute__((export_name("_initialize"))) void _initialize(void) { __wasm_call_ctors(); }
