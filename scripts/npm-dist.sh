#!/usr/bin/env bash
# Assembles the npm package in dist/npm, its root: the module built by
# wasync_add_module in a web build tree (default build/release-web), the JS
# API around it from package/js, the package's README (package/README.md),
# the LICENSE and a package.json made from the repository's
# (scripts/lib/npm_manifest.mjs). `npm pack ./dist/npm` / `npm publish ./dist/npm`
# (without ./, npm reads dist/npm as a GitHub repository).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release-web}
rm -rf dist/npm && mkdir -p dist/npm
cp "$build"/package/wasync_core.{js,wasm,d.ts} package/js/*.js package/js/*.d.ts package/README.md LICENSE dist/npm/
node scripts/lib/npm_manifest.mjs package.json dist/npm/package.json
