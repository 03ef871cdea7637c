#!/usr/bin/env bash
# npm start: builds the browser demos (scripts/build.sh --demos: set-up, then
# only the demos' targets, so it is quick when nothing changed) and serves
# them at http://127.0.0.1:${PORT:-8080}/ until stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh --demos
exec node demos/web/server.mjs dist/web-demos
