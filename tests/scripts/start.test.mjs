// npm start (scripts/start.sh): builds the browser demos and serves them on
// 127.0.0.1 at the port PORT names, printing the URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closedPort } from '../web/support/servers.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The first run on a fresh machine builds the web runtime: allow for it.
test('start.sh serves the demo index at the URL it prints', { timeout: 15 * 60_000 }, async () => {
  const port = await closedPort();  // free for start.sh to take
  const child = spawn('bash', ['scripts/start.sh'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    detached: true,  // its own process group, so the build and the server stop together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  try {
    const url = await new Promise((resolve, reject) => {
      const look = (chunk) => {
        output += chunk;
        const m = output.match(/wasync demos: (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (m) resolve(m[1]);
      };
      child.stdout.on('data', look);
      child.stderr.on('data', (c) => (output += c));
      exited.then((code) => reject(new Error(`start.sh exited with ${code} before serving:\n${output}`)));
    });
    assert.equal(url, `http://127.0.0.1:${port}/`);
    const index = await fetch(url);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /<title>wasync demos<\/title>/);
    const module = await fetch(url + 'wasync_demos.wasm');
    assert.equal(module.headers.get('content-type'), 'application/wasm');
  } finally {
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
});
