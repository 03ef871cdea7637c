#!/usr/bin/env bash
# Regenerates what the WASI 0.3 host commits under wasi/p3/ (builds and CI
# only read the committed copies, so they need no cargo):
#   wit/deps/*.wit  WASI 0.3.0 WIT from the crate wasmtime-wasi 49.0.3
#                   (src/p3/wit: the interfaces wasmtime 49's -S p3 serves),
#                   and http.wit from wasmtime-wasi-http 49.0.3 (its copies
#                   of the other packages are the same files)
#   gen/            wit-bindgen-cli 0.63.0's C bindings for wit/world.wit;
#                   every `async func` (and the run export) uses the async ABI
#   gen-http-server/ the bindings of wit/http-server.wit's world (the async
#                   wasi:http handler export of a `wasmtime serve` component);
#                   its wasi:http/types imports are renamed server_http_types
#                   in C, so that they do not clash with gen/'s wrappers
#   adapter/        the preview1 *reactor* adapter of
#                   wasi-preview1-component-adapter-provider 49.0.3: libc's
#                   own I/O (printf, files, arguments) goes through it as WASI
#                   0.2 (the command adapter wants a `_start`, which a component
#                   exporting wasi:cli/run@0.3.0 has not); sha256 checked below.
# Needs cargo (crates.io). wit-bindgen is built once (~3 min) into ~/.cache/wasync.
set -euo pipefail
cd "$(dirname "$0")/.."

WASI_CRATES_VERSION=49.0.3
WIT_BINDGEN_VERSION=0.63.0
ADAPTER_SHA256=79fa20ff8d49f1aba13d25af4fd616a1431028fff954b2927e55fcac4fefd6e3
cache=${XDG_CACHE_HOME:-$HOME/.cache}/wasync
p3=wasi/p3

wit_bindgen=$cache/wit-bindgen-$WIT_BINDGEN_VERSION/bin/wit-bindgen
if ! "$wit_bindgen" --version 2>/dev/null | grep -q "$WIT_BINDGEN_VERSION"; then
  cargo install --locked --quiet wit-bindgen-cli --version "=$WIT_BINDGEN_VERSION" --root "$cache/wit-bindgen-$WIT_BINDGEN_VERSION"
fi

# `cargo info` unpacks a crate into cargo's registry source folder.
crate_dir() {
  cargo info --quiet "$1@$WASI_CRATES_VERSION" >/dev/null
  local dir
  dir=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$1-$WASI_CRATES_VERSION" | head -n 1)
  [ -d "$dir" ] || { echo "gen-wasi-p3-bindings: $1 $WASI_CRATES_VERSION not unpacked" >&2; exit 1; }
  echo "$dir"
}
wasi_dir=$(crate_dir wasmtime-wasi)
http_dir=$(crate_dir wasmtime-wasi-http)
rm -rf "$p3/wit/deps" && mkdir -p "$p3/wit/deps"
cp "$wasi_dir"/src/p3/wit/deps/{cli,clocks,filesystem,random,sockets}.wit "$p3/wit/deps/"
cp "$http_dir"/src/p3/wit/deps/http.wit "$p3/wit/deps/"

# The adapter: a one-line manifest, vendored (fetches only that crate).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" && touch "$tmp/src/lib.rs"
printf '[package]\nname = "adapter"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nwasi-preview1-component-adapter-provider = "=%s"\n' \
  "$WASI_CRATES_VERSION" >"$tmp/Cargo.toml"
(cd "$tmp" && cargo vendor --quiet vendor >/dev/null)
adapter=$tmp/vendor/wasi-preview1-component-adapter-provider/artefacts/wasi_snapshot_preview1.reactor.wasm
echo "$ADAPTER_SHA256  $adapter" | sha256sum --check --quiet
mkdir -p "$p3/adapter" && cp "$adapter" "$p3/adapter/"

rm -rf "$p3/gen"
"$wit_bindgen" c --world wasip3 --out-dir "$p3/gen" "$p3/wit" >/dev/null
rm -rf "$p3/gen-http-server"
"$wit_bindgen" c --world wasip3-http-server --rename wasi:http/types@0.3.0=server_http_types \
  --out-dir "$p3/gen-http-server" "$p3/wit" >/dev/null
echo "gen-wasi-p3-bindings: $p3/wit, $p3/gen, $p3/gen-http-server and $p3/adapter regenerated"
