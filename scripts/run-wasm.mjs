// wasync: run a WebAssembly program under Node and exit with its exit code.
//
//   node scripts/run-wasm.mjs [options] <program.wasm|program.mjs> [args...]
//
//   program.wasm  a WASI preview1 command module, run with node:wasi
//                 (version 'preview1'): argv = [program, ...args], the
//                 environment of this process, stdin/stdout/stderr inherited
//                 (fds 0, 1, 2), no directory preopened unless --dir is given.
//   program.mjs   (or .js) an Emscripten -sMODULARIZE -sEXPORT_ES6=1 module (as
//                 linked by wasync_wasm_executable): its default export, the
//                 factory, is called with { arguments: args }; main runs at once.
//
// Options (before the program; `--` ends them):
//   --dir=HOST[::GUEST]   WASI only: preopen directory HOST as GUEST (default
//                         GUEST = HOST). Repeatable. `--dir HOST` also works.
//   -h, --help            this text.
//
// Exit status: the program's exit code (return from main or exit(N)). A trap,
// abort() or uncaught exception prints the error on stderr and exits with 134
// (128 + SIGABRT, as a native abort and wasmtime do).
//
// WASI runs turn off V8's fast API calls for this process (see runWasi): with
// them, Node 20's node:wasi crashes Node at random (nodejs/node#46777).
//
// Node 20 prints "ExperimentalWarning: WASI is an experimental feature" when
// node:wasi is loaded; this script drops that one warning and no other
// (`node --no-warnings scripts/run-wasm.mjs ...` silences all warnings).
//
// Emscripten notes: stdout/stderr are line-buffered by Emscripten's TTY layer
// and written with console.log/console.warn, so a last line without '\n' gets one
// when flushed at exit (with -sEXIT_RUNTIME=1; without it the line is lost).
// The environment seen by getenv() is Emscripten's own defaults, not this process's.
// When the runtime is kept alive (pending emscripten_set_timeout etc.), returning
// from main or calling exit(N) only records N: Node exits with it once the event
// loop is empty, and exit() flushes nothing; emscripten_force_exit(N) flushes and
// ends the process at once.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { pathToFileURL } from 'node:url';

const CRASH_STATUS = 134;

function usage(stream, code) {
  stream.write('usage: node scripts/run-wasm.mjs [--dir=HOST[::GUEST]]... [--] ' +
               '<program.wasm|program.mjs> [args...]\n');
  process.exit(code);
}

function crash(what, error) {
  const detail = error && error.stack ? error.stack : String(error);
  process.stderr.write(`run-wasm: ${what}: ${detail}\n`);
  process.exit(CRASH_STATUS);
}

// ---- command line -----------------------------------------------------------
const argv = process.argv.slice(2);
const preopens = {};
let i = 0;
for (; i < argv.length; ++i) {
  const a = argv[i];
  if (a === '--') { ++i; break; }
  if (a === '-h' || a === '--help') usage(process.stdout, 0);
  if (a === '--dir' || a.startsWith('--dir=')) {
    const spec = a === '--dir' ? argv[++i] : a.slice('--dir='.length);
    if (!spec) usage(process.stderr, 2);
    const sep = spec.indexOf('::');
    const host = sep < 0 ? spec : spec.slice(0, sep);
    const guest = sep < 0 ? spec : spec.slice(sep + 2);
    preopens[guest] = path.resolve(host);
    continue;
  }
  if (a.startsWith('-') && a !== '-') {
    process.stderr.write(`run-wasm: unknown option ${a}\n`);
    usage(process.stderr, 2);
  }
  break;
}
const file = argv[i];
const args = argv.slice(i + 1);
if (!file) usage(process.stderr, 2);

// ---- WASI preview1 ------------------------------------------------------------
async function runWasi() {
  const bytes = await readFile(file).catch((e) => {
    process.stderr.write(`run-wasm: cannot read ${file}: ${e.message}\n`);
    process.exit(2);
  });

  // Load node:wasi without its one-time ExperimentalWarning.
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type;
    if (type === 'ExperimentalWarning' && /\bWASI\b/.test(String(warning))) return;
    return emitWarning.call(process, warning, ...rest);
  };
  let WASI;
  try {
    ({ WASI } = await import('node:wasi'));
  } finally {
    process.emitWarning = emitWarning;
  }

  const wasi = new WASI({
    version: 'preview1',
    args: [file, ...args],
    env: process.env,
    preopens,
    returnOnExit: true,
    stdin: 0,
    stdout: 1,
    stderr: 2,
  });

  // Node 20's node:wasi registers V8 "fast API" variants of its syscalls, which
  // TurboFan-compiled wasm calls directly; a GC triggered inside such a call
  // (nodejs/node#46777, still open) crashes Node at random later points, often
  // at exit (SIGSEGV 139, SIGTRAP 133, "Invalid bytecode"). Seen with wasync's
  // core_bench: 0 of 8 runs clean without this, 14 of 14 with it.
  v8.setFlagsFromString('--no-turbo-fast-api-calls');

  let instance;
  try {
    const module = await WebAssembly.compile(bytes);
    instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  } catch (e) {
    process.stderr.write(`run-wasm: cannot instantiate ${file}: ${e.message}\n`);
    process.exit(2);
  }
  if (!instance.exports._start) {
    process.stderr.write(`run-wasm: ${file} is not a WASI command (no _start export)\n`);
    process.exit(2);
  }

  let status;
  try {
    status = wasi.start(instance); // proc_exit(N) -> N; return from main -> its value
  } catch (e) {
    crash('trap', e);
  }
  process.exitCode = status;
}

// ---- Emscripten MODULARIZE + EXPORT_ES6 ----------------------------------------
async function runEmscripten() {
  let factory;
  try {
    factory = (await import(pathToFileURL(path.resolve(file)).href)).default;
  } catch (e) {
    process.stderr.write(`run-wasm: cannot import ${file}: ${e.stack || e}\n`);
    process.exit(2);
  }
  if (typeof factory !== 'function') {
    process.stderr.write(`run-wasm: ${file} has no default-exported factory ` +
                         '(link with -sMODULARIZE -sEXPORT_ES6=1)\n');
    process.exit(2);
  }

  // Emscripten calls onExit(code) only when the runtime really shuts down (main
  // returned or exit() was called, with -sEXIT_RUNTIME=1 and nothing keeping the
  // runtime alive), then quit(status, toThrow) for every exit, including an
  // implicit one while the runtime stays alive, and for a crash (status 1,
  // toThrow = the error).
  let runtimeExited = false;
  process.on('uncaughtException', (e) => crash('uncaught exception', e));
  const options = {
    arguments: args,
    thisProgram: file,
    onExit() { runtimeExited = true; },
    quit(status, toThrow) {
      if (!toThrow || toThrow.name !== 'ExitStatus') crash('abort', toThrow);
      process.exitCode = status;
      // The runtime is gone: end now, as exit() does natively.
      if (runtimeExited) process.exit(status);
      // The runtime stays alive (pending async work, or built without
      // -sEXIT_RUNTIME=1): unwind to the event loop; Node exits with
      // process.exitCode once the work is done.
      throw toThrow;
    },
  };
  try {
    await factory(options);
  } catch (e) {
    if (e && e.name === 'ExitStatus') return;
    crash('abort', e);
  }
}

if (/\.wasm$/i.test(file)) {
  await runWasi();
} else if (/\.m?js$/i.test(file)) {
  await runEmscripten();
} else {
  process.stderr.write(`run-wasm: ${file}: expected a .wasm (WASI) or .mjs (Emscripten) file\n`);
  process.exit(2);
}
