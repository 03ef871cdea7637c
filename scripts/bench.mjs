// Bench runner: runs each bench command, collects its JSON-line results into bench-results.json
// and prints a per-bench table with peer ratios and target checks. Building is not its job.
// Usage: node scripts/bench.mjs [--only <name>[,<name>...]]...

import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { checkTargets, formatTable, formatTargets } from './lib/bench_report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Every bench command prints `{bench, impl, value, unit}` JSON lines on stdout. `requires` is a
 * build output that must exist; when it is missing an optional command is skipped, not failed.
 * Commands run one at a time so they never compete for the (two) cores.
 */
const COMMANDS = [
  {
    name: 'native',
    cmd: join(ROOT, 'build/bench-native/bench/core_bench'),
    args: [],
    requires: 'build/bench-native/bench/core_bench',
    optional: true,
  },
  {
    name: 'wasm',
    cmd: process.execPath,
    // The Emscripten module is a factory: run-wasm.mjs calls its main.
    args: ['scripts/run-wasm.mjs', 'build/bench-wasm/bench/core_bench.mjs'],
    requires: 'build/bench-wasm/bench/core_bench.mjs',
    optional: true,
  },
  {
    name: 'web',
    cmd: process.execPath,
    // Starts its own HTTP and WebSocket servers; compares with plain JS and ASYNCIFY,
    // in this Node process and then in headless Chromium (skipped without it).
    args: ['bench/web/web_bench.mjs'],
    requires: 'build/bench-wasm/bench/web_bench.mjs',
    optional: true,
  },
  {
    name: 'bindings',
    cmd: process.execPath,
    // JS -> C++ calls through generated bindings against plain JS async functions, in Node and Chromium.
    args: ['bench/bindings/bindings_bench.mjs'],
    requires: 'build/bench-wasm/bench/bind_bench.js',
    optional: true,
  },
  {
    name: 'net',
    cmd: process.execPath,
    // TCP and UDP echo: starts every peer server (Node, asyncio, uvloop, wasync native and
    // under wasmtime, a blocking floor) and runs the native load client against each.
    args: ['bench/net/echo_bench.mjs'],
    requires: 'build/bench-native/bench/echo_load',
    optional: true,
  },
  {
    name: 'http',
    cmd: process.execPath,
    // HTTP/1.1 GET and POST echo over 50 keep-alive connections with wrk: wasync natively and on
    // WASI preview1 against Node http and Python asyncio (and uvloop).
    args: ['bench/net/http_bench.mjs'],
    requires: 'dist/native/http_serve',
    optional: true,
  },
  // --expose-gc lets the Node peer collect garbage around its memory measurement.
  { name: 'node', cmd: process.execPath, args: ['--expose-gc', 'bench/node/core_bench.mjs'] },
  { name: 'python', cmd: 'python3', args: ['bench/python/core_bench.py'] },
];

function parseOnly(argv) {
  const only = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only' && i + 1 < argv.length) only.push(...argv[++i].split(','));
    else if (argv[i].startsWith('--only=')) only.push(...argv[i].slice('--only='.length).split(','));
    else usage(`unknown argument: ${argv[i]}`);
  }
  const names = COMMANDS.map((c) => c.name);
  for (const n of only) if (!names.includes(n)) usage(`unknown bench command: ${n}`);
  return only;
}

function usage(message) {
  console.error(`bench: ${message}`);
  console.error(`usage: node scripts/bench.mjs [--only <name>[,<name>...]]  (names: ${COMMANDS.map((c) => c.name).join(', ')})`);
  process.exit(2);
}

function isRow(v) {
  return (
    v !== null && typeof v === 'object' &&
    typeof v.bench === 'string' && typeof v.impl === 'string' &&
    typeof v.unit === 'string' && Number.isFinite(v.value)
  );
}

/** Runs one command; resolves to { ok, rows } and never rejects, so later commands still run. */
function run(command) {
  return new Promise((resolve) => {
    const rows = [];
    const child = spawn(command.cmd, command.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let parsed;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (isRow(parsed)) {
        const { bench, impl, value, unit } = parsed;
        rows.push({ bench, impl, value, unit });
      } else {
        // Anything that is not a result row is a diagnostic: keep stdout for results only.
        console.error(`[${command.name}] ${line}`);
      }
    });
    child.on('error', (err) => {
      console.error(`bench: ${command.name} could not start: ${err.message}`);
      resolve({ ok: false, rows });
    });
    child.on('close', (code, signal) => {
      if (code !== 0) console.error(`bench: ${command.name} failed (${signal ?? `exit ${code}`})`);
      resolve({ ok: code === 0, rows });
    });
  });
}

const only = parseOnly(process.argv.slice(2));
const selected = COMMANDS.filter((c) => only.length === 0 || only.includes(c.name));

const rows = [];
let failed = false;
for (const command of selected) {
  if (command.requires && !existsSync(join(ROOT, command.requires))) {
    console.error(`bench: ${command.name} ${command.optional ? 'skipped' : 'failed'}: ${command.requires} not built`);
    failed ||= !command.optional;
    continue;
  }
  console.error(`bench: running ${command.name}`);
  const result = await run(command);
  rows.push(...result.rows);
  if (!result.ok) failed = true;
}

writeFileSync(join(ROOT, 'bench-results.json'), JSON.stringify(rows, null, 2) + '\n');
console.log(formatTable(rows));
console.log('\ntargets');
console.log(formatTargets(checkTargets(rows)));
// exitCode, not exit(): lets stdout drain when piped.
process.exitCode = failed ? 1 : 0;
