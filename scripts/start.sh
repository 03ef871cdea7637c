#!/usr/bin/env bash
# npm start, the main job. Until the web demos exist (issue 6), it builds
# everything and runs the core tour natively (real clock) and as wasm in Node
# (Emscripten and WASI builds, each on its real host) and under wasmtime 49 (the
# WASI preview2 component).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo; echo "== native (real time)"; dist/native/tour
echo; echo "== Emscripten build in Node (real time)"; node scripts/run-wasm.mjs dist/web/tour.mjs
echo; echo "== WASI build under node:wasi (real time)"; node --no-warnings scripts/run-wasm.mjs dist/wasi/tour.wasm
echo; echo "== WASI timers + stdin demo under wasmtime (upcase: lines in, upper-cased out, idle after 1 s)"
{ printf 'hello\n'; sleep 0.3; printf 'from wasync\n'; sleep 1.5; printf 'too late\n'; } |
  build/tools/bin/wasmtime run dist/wasi/upcase.wasm 1 || echo "(upcase exited with status $?; 2 means idle)"
echo; echo "== WASI preview2 component under wasmtime 49 (real time)"; build/tools/bin/wasmtime49 run dist/wasip2/tour.wasm
