#!/usr/bin/env bash
# Regenerates what the WASI preview2 reactor commits under wasi/p2/ (CI only
# reads the committed copies, so it needs no cargo):
#   wit/deps/*.wit  WASI 0.2.12 WIT from the crates wasmtime-wasi and
#                   wasmtime-wasi-http 49.0.5 (the interfaces wasmtime 49 serves)
#   gen/            wit-bindgen-cli 0.63.0's C bindings for wit/world.wit
#   adapter/        the preview1 adapter (wasi_snapshot_preview1.command.wasm)
#                   of wasi-preview1-component-adapter-provider 49.0.5, whose
#                   WASI version equals the bindings' (two wasi:io versions in
#                   one component do not link); its sha256 is checked below.
# Needs cargo (crates.io). wit-bindgen is built once (~3 min) into ~/.cache/wasync.
set -euo pipefail
cd "$(dirname "$0")/.."

WASI_CRATES_VERSION=49.0.5
WIT_BINDGEN_VERSION=0.63.0
ADAPTER_SHA256=670fbabc1b68ce11dc9e1fe4cbf12cfc35acb7fb3b95595d93d723c415554301
cache=${XDG_CACHE_HOME:-$HOME/.cache}/wasync
p2=wasi/p2

wit_bindgen=$cache/wit-bindgen-$WIT_BINDGEN_VERSION/bin/wit-bindgen
if ! "$wit_bindgen" --version 2>/dev/null | grep -q "$WIT_BINDGEN_VERSION"; then
  cargo install --locked --quiet wit-bindgen-cli --version "=$WIT_BINDGEN_VERSION" --root "$cache/wit-bindgen-$WIT_BINDGEN_VERSION"
fi

# `cargo info` unpacks a crate into cargo's registry source folder.
crate_dir() {  # name
  cargo info --quiet "$1@$WASI_CRATES_VERSION" >/dev/null
  local dir
  dir=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$1-$WASI_CRATES_VERSION" | head -n 1)
  [ -d "$dir" ] || { echo "gen-wasi-p2-bindings: $1 $WASI_CRATES_VERSION not unpacked" >&2; exit 1; }
  echo "$dir"
}
wasi_dir=$(crate_dir wasmtime-wasi)
http_dir=$(crate_dir wasmtime-wasi-http)
rm -rf "$p2/wit/deps" && mkdir -p "$p2/wit/deps"
cp "$wasi_dir"/src/p2/wit/deps/{cli,clocks,filesystem,io,random,sockets}.wit "$p2/wit/deps/"
cp "$http_dir/wit/deps/http.wit" "$p2/wit/deps/"

# The adapter: a one-line manifest, vendored (fetches only that crate).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" && touch "$tmp/src/lib.rs"
printf '[package]\nname = "adapter"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nwasi-preview1-component-adapter-provider = "=%s"\n' \
  "$WASI_CRATES_VERSION" >"$tmp/Cargo.toml"
(cd "$tmp" && cargo vendor --quiet vendor >/dev/null)
adapter=$tmp/vendor/wasi-preview1-component-adapter-provider/artefacts/wasi_snapshot_preview1.command.wasm
echo "$ADAPTER_SHA256  $adapter" | sha256sum --check --quiet
mkdir -p "$p2/adapter" && cp "$adapter" "$p2/adapter/"

rm -rf "$p2/gen"
"$wit_bindgen" c --world wasip2 --out-dir "$p2/gen" "$p2/wit" >/dev/null
echo "gen-wasi-p2-bindings: $p2/wit, $p2/gen and $p2/adapter regenerated"
