// wasync: --extern-pre-js shim for Emscripten's -sMODULARIZE -sEXPORT_ES6=1
// -sENVIRONMENT=web,node output (linked in by cmake/wasync_wasm.cmake).
// Emscripten 3.1.6's Node code path calls require('fs'/'path') and reads
// __dirname, which ES module scope lacks ("__dirname is not defined in ES module
// scope"). This text lands at the top of the .mjs, outside the factory, so these
// module-scope bindings are what the generated code sees. Outside Node (browser,
// web worker) nothing is imported and all three stay undefined, as the web code
// path expects; the import is marked for bundlers to leave alone.
var require, __dirname, __filename;
if (typeof process === 'object' && process !== null &&
    typeof process.versions === 'object' && process.versions !== null &&
    typeof process.versions.node === 'string') {
  const { createRequire } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:module');
  require = createRequire(import.meta.url);
  __filename = require('node:url').fileURLToPath(import.meta.url);
  __dirname = require('node:path').dirname(__filename);
}
