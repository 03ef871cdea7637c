// fetch from C++ (web_io_probe) against the routes of support/servers.mjs.
// Each scenario runs in Node and in Chromium: it sees only `env` (no closure
// over this module; the browser runner evaluates its source in the page).
//   env: { call, raw, base, closedPort, server: { sawRequest, sawAborted, received },
//          assert, host ('node' | 'chromium'), sleep, log }
export const fetchScenarios = [
  {
    name: 'GET: status, status text, headers and the body as text',
    async run({ call, base, assert }) {
      const r = await call('fetch_text', `${base}/hello`);
      assert.deepEqual({ ...r, headerCount: r.headerCount >= 3 }, {
        status: 200, statusText: 'OK', ok: true, contentType: 'text/plain; charset=utf-8', headerCount: true, body: 'héllo',
      });
    },
  },
  {
    name: 'a delayed response arrives when the server answers',
    async run({ call, base, assert }) {
      const t0 = performance.now();
      const r = await call('fetch_text', `${base}/delay?ms=80`);
      assert.equal(r.body, 'waited 80');
      assert.ok(performance.now() - t0 >= 75);
    },
  },
  {
    name: 'an HTTP 500 is a successful fetch with status 500',
    async run({ call, base, assert }) {
      const r = await call('fetch_text', `${base}/status?code=500`);
      assert.equal(r.status, 500);
      assert.equal(r.statusText, 'Internal Server Error');
      assert.equal(r.ok, false);
      assert.equal(r.body, 'oops');
      assert.equal((await call('fetch_text', `${base}/status?code=404`)).status, 404);
    },
  },
  {
    name: 'method, headers and a text or bytes body reach the server',
    async run({ call, base, assert }) {
      assert.equal((await call('fetch_echo', `${base}/echo`, 'POST', 'hi')).body, 'POST yes text/plain;charset=UTF-8 2 6869');
      assert.equal((await call('fetch_echo', `${base}/echo`, 'PUT', new Uint8Array([0, 255, 7]))).body, 'PUT yes - 3 00ff07');
      assert.equal((await call('fetch_echo', `${base}/echo`, 'DELETE', undefined)).body, 'DELETE yes - 0 ');
    },
  },
  {
    name: 'a chunked body is read chunk by chunk as it arrives',
    async run({ call, base, assert }) {
      const [sizes, text] = (await call('fetch_chunks', `${base}/chunked?n=4&ms=15&size=3`)).split('|');
      assert.equal(text, 'aaabbbcccddd');
      assert.deepEqual(sizes.split(',').map(Number), [3, 3, 3, 3]);
    },
  },
  {
    name: 'a refused connection and a reset before the response are network errors',
    async run({ call, base, closedPort, host, assert }) {
      // Chromium does not tell a page why a fetch failed.
      const refused = host === 'node' ? /fetch failed.*ECONNREFUSED/ : /Failed to fetch/;
      await assert.rejects(call('fetch_text', `http://127.0.0.1:${closedPort}/`), { code: 'network_error', message: refused });
      await assert.rejects(call('fetch_text', `${base}/reset`), { code: 'network_error' });
    },
  },
  {
    name: 'a reset in the middle of the body is a network error from the body read',
    async run({ call, base, host, assert }) {
      // Chromium words it "network error" from a stream reader, "Failed to fetch" from arrayBuffer().
      const message = host === 'node' ? /terminated/ : /network error|Failed to fetch/;
      await assert.rejects(call('fetch_text', `${base}/reset-mid`), { code: 'network_error', message });
    },
  },
  {
    name: 'bad arguments are invalid_argument, not network errors',
    async run({ call, base, assert }) {
      await assert.rejects(call('fetch_text', 'http://[::1/'), { code: 'invalid_argument' });
      await assert.rejects(call('fetch_echo', `${base}/echo`, 'GET', 'a body'), { code: 'invalid_argument' });
    },
  },
  {
    name: 'a server that never answers: the request times out and the server sees it aborted',
    async run({ call, raw, base, server, assert }) {
      // 200 ms: time enough for the request to reach the server even on a busy
      // machine (a request aborted before it was sent is never seen).
      const t0 = performance.now();
      assert.equal(await call('fetch_timeout', `${base}/hang`, raw(200)), 'error timeout: deadline exceeded');
      const took = performance.now() - t0;
      assert.ok(took >= 195 && took < 1000, `timed out after ${took} ms`);
      assert.ok(await server.received('/hang'), 'the server got the request');
      await server.sawAborted('/hang');
      assert.equal(await call('fetch_timeout', `${base}/delay?ms=5`, raw(1000)), 'status 200');
    },
  },
  {
    name: 'a body read that times out loses nothing',
    async run({ call, base, assert }) {
      const trace = await call('fetch_read_timeout', `${base}/chunked?n=3&ms=50`);
      assert.match(trace, /^a(\[timeout\])+b(\[timeout\])+c(\[timeout\])*\[end\]$/);
    },
  },
  {
    name: 'cancelling the C++ task mid-body aborts the request: the server sees it',
    async run({ call, base, server, sleep, assert }) {
      const ac = new AbortController();
      const p = call('fetch_until_cancelled', `${base}/forever`, ac.signal);
      await server.sawRequest('/forever');
      await sleep(30);
      ac.abort();
      await assert.rejects(p, { code: 'cancelled' });
      await server.sawAborted('/forever');
    },
  },
  {
    name: '1,000 concurrent fetches (gather) all complete, results in order',
    async run({ call, raw, base, log, assert }) {
      const r = await call('fetch_many', `${base}/small`, raw(1000));
      log(`1000 concurrent fetches of 1 KiB: ${r.ms.toFixed(0)} ms`);
      assert.equal(r.count, 1000);
      assert.equal(r.matching, 1000);
      assert.equal(r.bytes, 1000 * 1024);
    },
  },
];
