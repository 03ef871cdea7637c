// wasync bindings: --extern-pre-js of every generated module. Emscripten's
// Node code path reads CommonJS's require and __dirname; the module's load()
// sets them (from import.meta.url) before the factory runs. Declared here
// without top-level await, so bundlers targeting ES2020 accept the module.
var require, __dirname, __filename;
