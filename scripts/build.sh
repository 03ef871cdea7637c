#!/usr/bin/env bash
# npm run build: every target into dist/ (native, Emscripten for Node and
# browsers, WASI, the npm package in dist/npm, the browser demos in
# dist/web-demos). With --bench, also the benchmark programs (build/bench-*).
# With --demos, only the browser demos (what npm start serves).
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

stage_demos() {  # the pages, their C++ and the wasm module, as the demo server serves them
  rm -rf dist/web-demos && mkdir -p dist
  cp -r build/release-web/demos/web/site dist/web-demos
  rm -f dist/web-demos/.staged
}

if [ "${1:-}" = "--demos" ]; then
  configure build/release-web emcmake cmake -S . -B build/release-web "${common[@]}" -DWASYNC_EXCEPTIONS=OFF
  cmake --build build/release-web -j "$jobs" --target web_demos
  stage_demos
  echo "build: dist/web-demos is up to date"
  exit 0
fi

configure build/release-native cmake -S . -B build/release-native "${common[@]}"
configure build/release-web emcmake cmake -S . -B build/release-web "${common[@]}" -DWASYNC_EXCEPTIONS=OFF
configure build/release-wasi cmake -S . -B build/release-wasi -DCMAKE_TOOLCHAIN_FILE=cmake/wasi.toolchain.cmake "${common[@]}"
for dir in build/release-native build/release-web build/release-wasi; do
  cmake --build "$dir" -j "$jobs"
done

mkdir -p dist/native dist/web dist/wasi
cp build/release-native/demos/core/tour dist/native/
cp build/release-web/demos/core/tour.mjs dist/web/
cp build/release-wasi/demos/core/tour.wasm build/release-wasi/demos/wasi/upcase.wasm dist/wasi/
bash scripts/npm-dist.sh build/release-web
stage_demos

if [ "${1:-}" = "--bench" ]; then
  bench=(-DCMAKE_BUILD_TYPE=Release -DWASYNC_BUILD_TESTS=OFF -DWASYNC_BUILD_DEMOS=OFF -DWASYNC_BUILD_BENCH=ON)
  configure build/bench-native cmake -S . -B build/bench-native "${bench[@]}"
  configure build/bench-wasm emcmake cmake -S . -B build/bench-wasm "${bench[@]}" -DWASYNC_EXCEPTIONS=OFF
  cmake --build build/bench-native -j "$jobs"
  cmake --build build/bench-wasm -j "$jobs"
fi
echo "build: dist/ is up to date"
