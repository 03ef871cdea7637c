#!/usr/bin/env bash
# Regenerates what the WASI preview2 reactor commits under wasi/p2/ (CI only
# reads the committed copies, so it needs no cargo):
#   wit/deps/*.wit  WASI 0.2.12 WIT from the crates wasmtime-wasi and
#                   wasmtime-wasi-http 49.0.5 (the interfaces wasmtime 49 serves)
#   gen/            wit-bindgen-cli 0.63.0's C bindings for wit/world.wit
#   gen-http-server/ the bindings of wit/http-server.wit's world (the
#                   incoming-handler export of a `wasmtime serve` component);
#                   its imports are renamed server_* in C, so that they do not
#                   clash with gen/'s wrappers of the same imports
#   adapter/        the preview1 adapters (wasi_snapshot_preview1.command.wasm
#                   for programs, .reactor.wasm for HTTP server components,
#                   which have no _start) of
#                   wasi-preview1-component-adapter-provider 49.0.5, whose
#                   WASI version equals the bindings' (two wasi:io versions in
#                   one component do not link); their sha256 are checked below.
# Needs cargo (crates.io). wit-bindgen is built once (~3 min) into ~/.cache/wasync.
set -euo pipefail
cd "$(dirname "$0")/.."

WASI_CRATES_VERSION=49.0.5
WIT_BINDGEN_VERSION=0.63.0
ADAPTER_SHA256=670fbabc1b68ce11dc9e1fe4cbf12cfc35acb7fb3b95595d93d723c415554301
REACTOR_ADAPTER_SHA256=cf9d99af7ad4d2d1aa67843298ef6383e3b4e0a9d6076cb17c9800dad4be5666
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
artefacts=$tmp/vendor/wasi-preview1-component-adapter-provider/artefacts
echo "$ADAPTER_SHA256  $artefacts/wasi_snapshot_preview1.command.wasm" | sha256sum --check --quiet
echo "$REACTOR_ADAPTER_SHA256  $artefacts/wasi_snapshot_preview1.reactor.wasm" | sha256sum --check --quiet
mkdir -p "$p2/adapter" && cp "$artefacts"/wasi_snapshot_preview1.{command,reactor}.wasm "$p2/adapter/"

rm -rf "$p2/gen"
"$wit_bindgen" c --world wasip2 --out-dir "$p2/gen" "$p2/wit" >/dev/null
rm -rf "$p2/gen-http-server"
renames=()
for i in io/poll io/error io/streams clocks/monotonic-clock http/types; do
  c_name=${i//[\/-]/_}
  renames+=(--rename "wasi:$i@0.2.12=server_$c_name")
done
"$wit_bindgen" c --world wasip2-http-server "${renames[@]}" --out-dir "$p2/gen-http-server" "$p2/wit" >/dev/null
echo "gen-wasi-p2-bindings: $p2/wit, $p2/gen, $p2/gen-http-server and $p2/adapter regenerated"
