#!/usr/bin/env bash
# npm run build: every target into dist/ (native, Emscripten for Node and
# browsers, the npm package in dist/npm, the browser demos in dist/web-demos,
# WASI preview1 modules, WASI preview2 components in dist/wasip2, WASI 0.3
# components in dist/wasip3). With --bench,
# also the benchmark programs (build/bench-*). With --demos, only the browser
# demos (what npm start serves); with --npm, only the npm package (dist/npm).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
jobs=$(nproc)

configure() {  # dir, cmake command...
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || "$@" -G Ninja >/dev/null
}
common=(-DCMAKE_BUILD_TYPE=Release -DWASYNC_BUILD_TESTS=OFF -DWASYNC_BUILD_DEMOS=ON)
# What ships to the web (the npm package, the demos) and the wasm benchmarks: LTO.
web=(-DWASYNC_EXCEPTIONS=OFF -DWASYNC_LTO=ON)

stage_demos() {  # the pages, their C++ and the wasm module, as the demo server serves them
  rm -rf dist/web-demos && mkdir -p dist
  cp -r build/release-web/demos/web/site dist/web-demos
  rm -f dist/web-demos/.staged
}

if [ "${1:-}" = "--demos" ]; then
  configure build/release-web emcmake cmake -S . -B build/release-web "${common[@]}" "${web[@]}"
  cmake --build build/release-web -j "$jobs" --target web_demos
  stage_demos
  echo "build: dist/web-demos is up to date"
  exit 0
fi
if [ "${1:-}" = "--npm" ]; then
  configure build/release-web emcmake cmake -S . -B build/release-web "${common[@]}" "${web[@]}"
  cmake --build build/release-web -j "$jobs" --target wasync_core
  bash scripts/npm-dist.sh build/release-web
  echo "build: dist/npm is up to date (npm pack ./dist/npm)"
  exit 0
fi

configure build/release-native cmake -S . -B build/release-native "${common[@]}"
configure build/release-web emcmake cmake -S . -B build/release-web "${common[@]}" "${web[@]}"
configure build/release-wasi cmake -S . -B build/release-wasi -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake "${common[@]}"
configure build/release-wasip2 cmake -S . -B build/release-wasip2 -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake "${common[@]}" \
  -DWASYNC_WASI_PREVIEW2=ON
configure build/release-wasip3 cmake -S . -B build/release-wasip3 -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake "${common[@]}" \
  -DWASYNC_WASI_PREVIEW3=ON
for dir in build/release-native build/release-web build/release-wasi; do
  cmake --build "$dir" -j "$jobs"
done
# preview2 components for wasmtime 49: only the programs (the tree also holds the preview1 library).
# http_serve: a wasi:http component for `wasmtime serve`.
component_demos=(tour upcase tcp_echo udp_echo netcat http_get http_serve)
cmake --build build/release-wasip2 -j "$jobs" --target "${component_demos[@]}"
# WASI 0.3 components for wasmtime 49 -S p3: the same sources.
cmake --build build/release-wasip3 -j "$jobs" --target "${component_demos[@]}"

mkdir -p dist/native dist/web dist/wasi dist/wasip2 dist/wasip3
cp build/release-native/demos/core/tour build/release-native/demos/net/{tcp_echo,udp_echo,netcat,http_get,http_serve} dist/native/
cp build/release-web/demos/core/tour.mjs dist/web/
cp build/release-wasi/demos/core/tour.wasm build/release-wasi/demos/wasi/upcase.wasm \
  build/release-wasi/demos/net/http_serve.wasm dist/wasi/
# The echo demo is demos/net/tcp_echo.cpp, run as `echo_server.wasm --preopened`.
cp build/release-wasi/demos/net/tcp_echo.wasm dist/wasi/echo_server.wasm
for demo in "${component_demos[@]}"; do
  cp "$(find build/release-wasip2/demos -name "$demo.wasm" -print -quit)" dist/wasip2/
  cp "$(find build/release-wasip3/demos -name "$demo.wasm" -print -quit)" dist/wasip3/
done
bash scripts/npm-dist.sh build/release-web
stage_demos

if [ "${1:-}" = "--bench" ]; then
  bench=(-DCMAKE_BUILD_TYPE=Release -DWASYNC_BUILD_TESTS=OFF -DWASYNC_BUILD_DEMOS=OFF -DWASYNC_BUILD_BENCH=ON)
  configure build/bench-native cmake -S . -B build/bench-native "${bench[@]}"
  configure build/bench-wasm emcmake cmake -S . -B build/bench-wasm "${bench[@]}" "${web[@]}"
  cmake --build build/bench-native -j "$jobs"
  cmake --build build/bench-wasm -j "$jobs"
fi
echo "build: dist/ is up to date"
