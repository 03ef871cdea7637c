#!/usr/bin/env bash
# The whole test suite (npm test): set-up, native GoogleTest in both exception
# modes and under ASan+UBSan, a short libFuzzer run of the HTTP parser
# (WASYNC_FUZZ_SECONDS, default 20), the core scenarios built with Emscripten
# (both exception modes) and the WASI toolchain (preview1 modules, preview2
# and WASI 0.3 components), run under Node, wasmtime 36 and wasmtime 49, the
# browser demos in headless Chromium, the web and WASI hosts' own tests, and
# the examples (examples/) built against wasync installed from these trees.
# Build trees are kept in build/ so a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
jobs=$(nproc)
step() { printf '\n== %s\n' "$*"; }

configure() {  # dir, extra cmake args...
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || "$@" -G Ninja >/dev/null
}

step "native (exceptions on)"
# The native benchmark programs build here too: an API change cannot break `npm run bench` unseen.
configure build/native cmake -S . -B build/native -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWASYNC_EXCEPTIONS=ON -DWASYNC_BUILD_BENCH=ON
cmake --build build/native -j "$jobs"
build/native/tests/wasync_unit_tests --gtest_brief=1

step "native (exceptions off)"
configure build/native-noexc cmake -S . -B build/native-noexc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWASYNC_EXCEPTIONS=OFF
cmake --build build/native-noexc -j "$jobs"
build/native-noexc/tests/wasync_unit_tests --gtest_brief=1

step "native ASan+UBSan"
configure build/native-asan cmake -S . -B build/native-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWASYNC_SANITIZE=ON
cmake --build build/native-asan -j "$jobs"
# ASan's instrumented frames defeat tail calls: the deep-chain tests also show
# that the runtime keeps the stack flat without them (default stack limit).
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/native-asan/tests/wasync_unit_tests --gtest_brief=1

step "libFuzzer: HTTP request parser (clang-22, ASan+UBSan, ${WASYNC_FUZZ_SECONDS:-20} s)"
configure build/fuzz cmake -S . -B build/fuzz -DCMAKE_CXX_COMPILER=clang++-22 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWASYNC_SANITIZE=ON -DWASYNC_BUILD_FUZZ=ON -DWASYNC_BUILD_TESTS=OFF -DWASYNC_BUILD_DEMOS=OFF
cmake --build build/fuzz -j "$jobs" --target http_request_parser_fuzz
# The corpus grows in build/fuzz/corpus from run to run; the seeds stay
# read-only. A failing input is saved as build/fuzz/crash-*; rerun the target
# with that file as its only argument to reproduce.
mkdir -p build/fuzz/corpus
if ! build/fuzz/tests/fuzz/http_request_parser_fuzz -max_total_time="${WASYNC_FUZZ_SECONDS:-20}" -print_final_stats=1 \
     -artifact_prefix=build/fuzz/ -dict=tests/fuzz/http.dict build/fuzz/corpus tests/fuzz/seeds/request_parser \
     >build/fuzz/last-run.log 2>&1; then
  tail -n 60 build/fuzz/last-run.log
  exit 1
fi
grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units)' build/fuzz/last-run.log

step "Emscripten (exceptions off)"
configure build/em-noexc emcmake cmake -S . -B build/em-noexc -DCMAKE_BUILD_TYPE=Release -DWASYNC_EXCEPTIONS=OFF
# fixture: the bindings' test module; wasync_core: the npm package's module,
# assembled with the package's JS into dist/npm for the package tests;
# web_demos: the browser demos' site (tests/demos/web runs it in Chromium).
cmake --build build/em-noexc -j "$jobs" --target core_scenarios run_probe web_host_probe web_io_probe wasync_http fixture wasync_core \
  web_demos
bash scripts/npm-dist.sh build/em-noexc

step "Emscripten (exceptions on)"
configure build/em-exc emcmake cmake -S . -B build/em-exc -DCMAKE_BUILD_TYPE=Release -DWASYNC_EXCEPTIONS=ON
# wasync_libraries: what `cmake --install` copies (tests/examples installs this tree).
cmake --build build/em-exc -j "$jobs" --target core_scenarios run_probe web_host_probe web_io_probe wasync_http fixture \
  wasync_core web_demos wasync_libraries

step "WASI (clang-22, no exceptions)"
configure build/wasi cmake -S . -B build/wasi -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake -DCMAKE_BUILD_TYPE=Release
# The scenarios, the WASI host's probe programs and the WASI demos (upcase, the
# HTTP server, tcp_echo for --preopened) and tests/net's report_probe; the node tests run them under wasmtime
# (build/tools/bin/wasmtime, from setup.sh; sockets with -S preview2=n) and node:wasi.
cmake --build build/wasi -j "$jobs" --target core_scenarios run_probe wasync_http wasi_probes upcase http_serve tcp_echo report_probe \
  wasync_libraries

step "WASI preview2 (clang-22, components for wasmtime 49)"
configure build/wasip2 cmake -S . -B build/wasip2 -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake -DCMAKE_BUILD_TYPE=Release \
  -DWASYNC_WASI_PREVIEW2=ON
# The scenarios, the timer, stdio, fetch and socket probes, the demos and
# report_probe as components; the node tests run them under build/tools/bin/wasmtime49.
cmake --build build/wasip2 -j "$jobs" --target core_scenarios run_probe wasip2_probes wasip2_net_probes \
  upcase tcp_echo udp_echo netcat http_get http_serve report_probe wasync_libraries

step "WASI preview3 (clang-22, WASI 0.3 components for wasmtime 49 -S p3)"
configure build/wasip3 cmake -S . -B build/wasip3 -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake -DCMAKE_BUILD_TYPE=Release \
  -DWASYNC_WASI_PREVIEW3=ON
# The scenarios, the timer, stdio, socket and fetch probes, the upcase,
# tcp_echo, udp_echo, netcat and http_get demos as WASI 0.3 components, and
# the WASI 0.3 host's own probe (tests/wasi/p3).
cmake --build build/wasip3 -j "$jobs" --target core_scenarios run_probe wasip3_probes upcase tcp_echo udp_echo netcat \
  http_get http_serve wasync_libraries

step "node --test"
node --test tests/
