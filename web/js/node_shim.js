// wasync: --extern-pre-js shim for Emscripten's -sMODULARIZE -sEXPORT_ES6=1
// -sENVIRONMENT=web,node output (linked by cmake/wasync_wasm.cmake).
//
// Emscripten 3.1.6 emits an ES module whose Node code path still calls
// require('fs'), require('path') and reads __dirname, none of which exist in
// ES module scope ("__dirname is not defined in ES module scope"). This file is
// placed at the top of the .mjs, outside the factory, so the bindings below are
// module-scope and visible to the generated code.
//
// In a browser (or a worker) nothing is imported and both stay undefined, which
// is what the web code path expects. The dynamic imports are marked so that
// bundlers leave them alone.
var require, __dirname, __filename;
if (typeof process === 'object' && process !== null &&
    typeof process.versions === 'object' && process.versions !== null &&
    typeof process.versions.node === 'string') {
  const { createRequire } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:module');
  require = createRequire(import.meta.url);
  __filename = require('node:url').fileURLToPath(import.meta.url);
  __dirname = require('node:path').dirname(__filename);
}
