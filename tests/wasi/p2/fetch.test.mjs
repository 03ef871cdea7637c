// fetch on wasi:http under wasmtime 49 (-S http): the preview2 reactor on
// wasi:http 0.2 and the WASI 0.3 host (-S p3) on the 0.3 client, against a Node HTTP server
// on 127.0.0.1: status and headers, POST bodies, a chunked body streamed as it
// arrives, timeouts, cancellation and an abandoned body that release the
// connection, refused connections, the http_get demo, and the missing flag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram, wasmtime49, noWasmtime49 } from '../wasi_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const builds = [
  { name: 'preview2', probe: 'build/wasip2/tests/wasi/p2/fetch_probe.wasm', httpGet: 'build/wasip2/demos/net/http_get.wasm',
    flags: [], httpPackage: 'wasi:http\\/types@0\\.2\\.12', tasks: 1,
    // preview2's fetch writes the whole request body before it awaits the response.
    noDuplex: 'preview2 writes the request body before it reads the response' },
  // The WASI 0.3 host runs main inside a task of its own (run() hands main over).
  { name: 'WASI 0.3', probe: 'build/wasip3/tests/wasi/p3/p3_fetch_probe.wasm', httpGet: 'build/wasip3/demos/net/http_get.wasm',
    flags: ['-S', 'p3'], httpPackage: 'wasi:http\\/types@0\\.3\\.0', tasks: 2 },
];
const json = (r) => JSON.parse(r.stdout.trim().split('\n').at(-1));

let server;
let base;
const closed = new Map();  // request path -> promise resolved when its connection closes
const closedPromise = (url) => {
  let resolve;
  const p = new Promise((r) => { resolve = r; });
  closed.set(url, { p, resolve });
  return p;
};

before(async () => {
  server = http.createServer((req, res) => {
    req.socket.once('close', () => closed.get(req.url)?.resolve(true));
    if (req.url === '/hello') {
      res.setHeader('X-Hello', 'world');
      res.end('hello body\n');
    } else if (req.url === '/missing') {
      res.statusCode = 404;
      res.end('nope');
    } else if (req.url === '/echo') {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => res.end(`${req.method} ${req.headers['x-probe']} ${req.headers['content-type']} ${body}`));
    } else if (req.url === '/echo-big') {
      // The whole body, then back as it came (in pieces, as the socket takes it).
      const parts = [];
      req.on('data', (d) => parts.push(d));
      req.on('end', () => res.end(Buffer.concat(parts)));
    } else if (req.url.startsWith('/echo-pipe')) {
      req.pipe(res);  // answers while it reads: both directions stream at once
    } else if (req.url === '/chunked') {
      res.write('part1');  // no Content-Length: chunked
      setTimeout(() => { res.write('part2'); setTimeout(() => res.end('end'), 50); }, 300);
    } else if (req.url === '/slow-upload') {
      // Takes the body slowly and never answers: an upload stays in flight.
      req.on('data', () => { req.pause(); setTimeout(() => req.resume(), 50); });
    } else if (req.url.startsWith('/hang')) {
      // never answers
    } else if (req.url === '/slow-body') {
      res.write('first');  // the rest never comes
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => { server.closeAllConnections(); server.close(); });

for (const build of builds) {
  const probe = path.join(root, build.probe);
  const httpGet = path.join(root, build.httpGet);
  const skip = noWasmtime49 || (![probe, httpGet].every(existsSync) && `${path.dirname(build.probe)} not built (scripts/test.sh builds it)`);
  const withHttp = { command: (wasm, args) => [wasmtime49, 'run', ...build.flags, '-S', 'http', wasm, ...args] };
  const withoutHttp = { command: (wasm, args) => [wasmtime49, 'run', ...build.flags, wasm, ...args] };
  const t = (name, fn, opts = {}) => test(`${name} [${build.name}]`, { skip: skip || opts.skip, timeout: 30_000 }, fn);


  t('status, status text and response headers', async () => {
    const got = json(await runProgram(withHttp, probe, ['get', `${base}/hello`]));
    assert.equal(got.status, 200);
    assert.equal(got.status_text, 'OK');
    assert.equal(got.ok, true);
    assert.equal(got.headers['x-hello'], 'world');
    assert.equal(got.text, 'hello body\n');
  });

  t('a non-2xx status is a successful fetch with ok() false', async () => {
    const got = json(await runProgram(withHttp, probe, ['get', `${base}/missing`]));
    assert.deepEqual([got.status, got.ok, got.text], [404, false, 'nope']);
  });

  t('POST sends the method, the headers and the body', async () => {
    const got = json(await runProgram(withHttp, probe, ['post', `${base}/echo`]));
    assert.deepEqual([got.status, got.text], [200, 'POST p2 text/plain posted body']);
  });

  t('a 3 MB request body goes out whole and comes back whole, chunk by chunk', async () => {
    const size = 3 * 1024 * 1024;
    const got = json(await runProgram(withHttp, probe, ['post_big', `${base}/echo-big`, String(size)]));
    assert.deepEqual([got.status, got.bytes, got.exact], [200, size, true]);
    assert.ok(got.chunks > 1, `one chunk of ${size} bytes: ${JSON.stringify(got)}`);
  });

  // 16 MB is more than the sockets both ways can hold: a request body written
  // before the response is read would stall against a server that echoes as it reads.
  t('a 16 MB body streams out while its echo streams back', async () => {
    const size = 16 * 1024 * 1024;
    const got = json(await runProgram(withHttp, probe, ['post_big', `${base}/echo-pipe`, String(size)]));
    assert.deepEqual([got.status, got.bytes, got.exact], [200, size, true]);
  }, { skip: build.noDuplex });

  t('dropping a response while its request body still goes out stops both: the server sees the connection close', async () => {
    const gone = closedPromise('/echo-pipe-drop');
    const r = await runProgram(withHttp, probe, ['drop_duplex', `${base}/echo-pipe-drop`]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(json(r), { waits: 0, tasks: build.tasks });
    assert.equal(await gone, true);
  }, { skip: build.noDuplex });

  t('a chunked body is read chunk by chunk as it arrives', async () => {
    const got = json(await runProgram(withHttp, probe, ['get', `${base}/chunked`]));
    assert.equal(got.text, 'part1part2end');
    // wasmtime drops the hop-by-hop Transfer-Encoding field; no Content-Length shows the chunked framing.
    assert.equal(got.headers['content-length'], undefined);
    assert.ok(got.chunks.length >= 2, JSON.stringify(got.chunks));
    assert.equal(got.chunks[0].text, 'part1');
    assert.ok(got.chunks[1].ms - got.chunks[0].ms >= 200, `the first chunk came before the rest: ${JSON.stringify(got.chunks)}`);
  });

  t('a request timeout against a server that never answers is errc::timeout and releases the request', async () => {
    const gone = closedPromise('/hang-timeout');
    const got = json(await runProgram(withHttp, probe, ['timeout', `${base}/hang-timeout`, '200']));
    assert.equal(got.code, 'timeout');
    assert.ok(got.ms >= 200 && got.ms < 2000, `took ${got.ms} ms`);
    assert.deepEqual([got.waits, got.tasks], [0, build.tasks], 'only the main task is left');
    assert.equal(await gone, true, 'the server saw the connection close');
  });

  t('cancelling a fetch drops the request: the server sees the connection close', async () => {
    const gone = closedPromise('/hang-cancel');
    const got = json(await runProgram(withHttp, probe, ['cancel', `${base}/hang-cancel`, '150']));
    assert.equal(got.code, 'cancelled');
    assert.deepEqual([got.waits, got.tasks], [0, build.tasks]);
    assert.equal(await gone, true);
  });

  t('cancelling a fetch while its body is going out drops the request: the server sees the connection close', async () => {
    const gone = closedPromise('/slow-upload');
    const got = json(await runProgram(withHttp, probe, ['cancel_upload', `${base}/slow-upload`, '300']));
    assert.equal(got.code, 'cancelled');
    assert.deepEqual([got.waits, got.tasks], [0, build.tasks]);
    assert.equal(await gone, true);
  });

  // wasmtime's -S max-resources caps the handles the guest holds at once: a
  // request, its fields or futures kept by a cancelled fetch would exceed it.
  t('2,000 fetches cancelled at once leave no wait, no task and no host resource behind', async () => {
    const capped = { command: (wasm, args) =>
      [wasmtime49, 'run', ...build.flags, '-S', 'http', '-S', 'max-resources=200', '-W', 'max-memory-size=8388608', wasm, ...args] };
    const r = await runProgram(capped, probe, ['cancel_many', `${base}/hang-many`, '2000']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(json(r), { cancelled: 2000, waits: 0, tasks: build.tasks });
  });

  t('dropping a response mid-body aborts the transfer', async () => {
    const gone = closedPromise('/slow-body');
    const r = await runProgram(withHttp, probe, ['drop_body', `${base}/slow-body`]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /"first":"first"/);
    assert.deepEqual(json(r), { waits: 0, tasks: build.tasks });
    assert.equal(await gone, true);
  });

  t('a refused connection is errc::connection_refused', async () => {
    const idle = http.createServer();
    await new Promise((r) => idle.listen(0, '127.0.0.1', r));
    const port = idle.address().port;
    await new Promise((r) => idle.close(r));
    const got = json(await runProgram(withHttp, probe, ['get', `http://127.0.0.1:${port}/`]));
    assert.equal(got.code, 'connection_refused');
  });

  t('http_get writes the body to stdout, the status and headers to stderr; non-2xx exits non-zero', async () => {
    const ok = await runProgram(withHttp, httpGet, [`${base}/hello`]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, 'hello body\n');
    assert.match(ok.stderr, /^200 OK\n/);
    assert.match(ok.stderr, /^x-hello: world$/m);
    const missing = await runProgram(withHttp, httpGet, [`${base}/missing`]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /^404 Not Found\n/);
  });

  // wasi:http imports are resolved when the component is instantiated: without
  // -S http, wasmtime refuses to start it (no guest code runs, so no errc).
  t('without -S http, wasmtime refuses to start the component and names wasi:http', async () => {
    const r = await runProgram(withoutHttp, httpGet, [`${base}/hello`]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`component imports instance \`${build.httpPackage}\`, but a matching implementation was not found`));
  });
}
