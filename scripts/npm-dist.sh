#!/usr/bin/env bash
# Assembles the npm package's files (package.json "files") in dist/npm: the
# module built by wasync_add_module in a web build tree (default
# build/release-web) and the JS API around it from package/js.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release-web}
rm -rf dist/npm && mkdir -p dist/npm
cp "$build"/package/wasync_core.{js,wasm,d.ts} package/js/*.js package/js/*.d.ts dist/npm/
