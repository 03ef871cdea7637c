// Running the networking demos (demos/net/) in tests: a table of runners, one
// per host build ({name, skip, hasHttpGet, command(demo, args)}), so the same tests drive
// the native binaries and, once built, their WASI variants under wasmtime.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nativeDemo = (demo) => path.join(root, 'build/native/demos/net', demo);

export const runners = [
  {
    name: 'native',
    hasHttpGet: true,
    skip: !existsSync(nativeDemo('netcat')) && 'build/native/demos/net not built (scripts/test.sh builds it)',
    command: (demo, args) => [nativeDemo(demo), ...args],
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
