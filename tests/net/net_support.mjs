// Running the networking demos (demos/net/) in tests: a table of runners, one
// per host build ({name, skip, hasHttpGet, hasUdp, command(demo, args)}), so the same tests drive
// the native binaries and, once built, their WASI variants under wasmtime.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nativeDemo = (demo) => path.join(root, 'build/native/demos/net', demo);
const wasip2Demo = (demo) => path.join(root, 'build/wasip2/demos/net', `${demo}.wasm`);
const wasip3Demo = (demo) => path.join(root, 'build/wasip3/demos/net', `${demo}.wasm`);
const wasmtime49 = path.join(root, 'build/tools/bin/wasmtime49');

export const runners = [
  {
    name: 'native',
    hasHttpGet: true,
    hasUdp: true,
    skip: !existsSync(nativeDemo('netcat')) && 'build/native/demos/net not built (scripts/test.sh builds it)',
    command: (demo, args) => [nativeDemo(demo), ...args],
  },
  {
    // wasi:cli/exit carries only success or failure: every failure exits with 1.
    name: 'WASI preview2 under wasmtime 49',
    skip: (!existsSync(wasmtime49) && `${wasmtime49} missing (scripts/setup.sh installs it)`) ||
      (!existsSync(wasip2Demo('netcat')) && 'build/wasip2/demos/net not built (scripts/test.sh builds it)'),
    exitStatusIsOne: true,
    hasHttpGet: true,
    hasUdp: true,
    command: (demo, args) =>
      [wasmtime49, 'run', '-S', 'inherit-network', '-S', 'allow-ip-name-lookup', '-S', 'http', wasip2Demo(demo), ...args],
  },
  {
    name: 'WASI 0.3 under wasmtime 49 -S p3',
    hasHttpGet: true,
    hasUdp: true,
    skip: (!existsSync(wasmtime49) && `${wasmtime49} missing (scripts/setup.sh installs it)`) ||
      (!existsSync(wasip3Demo('netcat')) && 'build/wasip3/demos/net not built (scripts/test.sh builds it)'),
    command: (demo, args) =>
      [wasmtime49, 'run', '-S', 'p3', '-S', 'inherit-network', '-S', 'allow-ip-name-lookup', '-S', 'http', wasip3Demo(demo), ...args],
  },
];

/// A TCP port free right now on 127.0.0.1.
export async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/// Starts a server demo and resolves once it says "listening on" on stderr.
export async function startServer(runner, demo, args) {
  const [cmd, ...rest] = runner.command(demo, args);
  const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes('listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`${demo} exited with ${code}: ${stderr}`)));
  });
  return {
    pid: child.pid,
    stdout: () => stdout,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill();
    }),
  };
}

/// Runs a demo to its end with `input` on stdin: {status, stdout (Buffer), stderr}.
export function runToEnd(runner, demo, args, input, { timeoutMs = 20000 } = {}) {
  const [cmd, ...rest] = runner.command(demo, args);
  const child = spawn(cmd, rest, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = [];
  let stderr = '';
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.on('error', () => {});  // the demo may exit before reading everything
  if (input !== undefined) child.stdin.end(input);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${demo} still running after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out), stderr, stdin: child.stdin });
    });
  });
}

const wasmtime36 = path.join(root, 'build/tools/bin/wasmtime');
const built = (dir, program) => path.join(root, dir, program);

/// The hosts an echo-style server program (demos/net/tcp_echo,
/// tests/net/report_probe) runs on: natively, as a WASI preview1 module on
/// wasmtime 36's preopened listener, and as a preview2 component on wasmtime 49.
/// `program(p)`: the build of `p` (a path under the build tree, no extension);
/// `command(file, port)`: the command line serving 127.0.0.1:port.
export const serverHosts = [
  {
    name: 'native',
    program: (p) => built('build/native', p),
    command: (file, port) => [file, String(port)],
  },
  {
    name: 'WASI preview1 under wasmtime 36',
    program: (p) => built('build/wasi', `${p}.wasm`),
    command: (file, port) =>
      [wasmtime36, 'run', '-S', 'preview2=n', '-S', `tcplisten=127.0.0.1:${port}`, file, '--preopened'],
  },
  {
    name: 'WASI preview2 under wasmtime 49',
    preview2: true,
    program: (p) => built('build/wasip2', `${p}.wasm`),
    command: (file, port) => [wasmtime49, 'run', '-S', 'inherit-network', file, String(port)],
  },
].map((h) => ({ ...h, skipFor: (p) => !existsSync(h.program(p)) && `${h.program(p)} not built (scripts/test.sh builds it)` }));

/// One round trip of `bytes` through an echo server; resolves to the
/// milliseconds it took, or rejects after `timeoutMs`.
export function echoOnce(port, bytes = Buffer.from('ping'), timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    let got = 0;
    const c = net.connect(port, '127.0.0.1', () => c.write(bytes));
    const timer = setTimeout(() => { c.destroy(); reject(new Error(`no echo within ${timeoutMs} ms`)); }, timeoutMs);
    c.on('data', (d) => {
      got += d.length;
      if (got >= bytes.length) { clearTimeout(timer); c.destroy(); resolve(Date.now() - start); }
    });
    c.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/**
 * Starts `program` on `host` (optionally behind `prefix`, e.g. prlimit) and
 * resolves once it echoes. With `readStderr: false` its standard error is a
 * pipe nobody ever reads. Returns { port, stderr(), stop() }.
 */
export async function startEchoServer(host, program, { prefix = [], readStderr = true } = {}) {
  const port = await freePort();
  const [cmd, ...args] = [...prefix, ...host.command(host.program(program), port)];
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  if (readStderr) child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let tries = 0; ; ++tries) {
    if (child.exitCode !== null) throw new Error(`${program} exited with ${child.exitCode}: ${stderr}`);
    try {
      await echoOnce(port, Buffer.from('up?'), 500);
      break;
    } catch (e) {
      if (tries > 100) { child.kill('SIGKILL'); throw e; }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    stderr: () => stderr,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/// A client that sends a little, waits for the first byte back, then resets the connection.
export function resetClient(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(Buffer.alloc(1000, 1)));
    const timer = setTimeout(() => { c.destroy(); resolve(false); }, 5000);
    c.once('data', () => { clearTimeout(timer); c.resetAndDestroy(); resolve(true); });
    c.on('error', () => { clearTimeout(timer); resolve(false); });
  });
}
