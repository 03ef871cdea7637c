// The HTTP routes and the WebSocket server the fetch and WebSocket scenarios
// talk to, on 127.0.0.1, with what they observed (requests received, requests
// the client abandoned, close frames) for the scenarios to wait on.
import { WebSocketServer } from 'ws';

/// Resolves when `pred()` holds; re-checked after each notify().
function observer() {
  const waiters = [];
  return {
    notify() {
      for (const w of waiters.splice(0)) if (!w()) waiters.push(w);
    },
    when(pred) {
      const v = pred();
      if (v) return Promise.resolve(v);
      return new Promise((resolve) => waiters.push(() => { const r = pred(); if (r) resolve(r); return !!r; }));
    },
  };
}

/**
 * Test routes for startServer({ routes }): /hello, /delay, /chunked, /status,
 * /reset, /reset-mid, /hang, /forever, /echo, /small; other paths fall through
 * (return false). `observed` has sawRequest(path) and sawAborted(path)
 * (Promises) and received(path) (a boolean).
 */
export function httpRoutes() {
  const received = [];
  const aborted = [];
  const seen = observer();
  const observed = {
    sawRequest: (path) => seen.when(() => received.includes(path) && path),
    sawAborted: (path) => seen.when(() => aborted.includes(path) && path),
    received: (path) => received.includes(path),
  };
  function routes(req, res) {
    const url = new URL(req.url, 'http://x');
    const q = (k, d) => Number(url.searchParams.get(k) ?? d);
    const note = (list) => {
      list.push(url.pathname);
      seen.notify();
    };
    const handled = () => {
      note(received);
      // The response closing before it finished means the client went away.
      res.on('close', () => {
        if (!res.writableFinished) note(aborted);
      });
    };
    switch (url.pathname) {
      case '/hello':
        handled();
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-test': 'yes' });
        res.end('héllo');
        return;
      case '/delay':
        handled();
        setTimeout(() => res.end(`waited ${q('ms', 0)}`), q('ms', 0));
        return;
      case '/chunked': {
        // n chunks of "<i>" every ms milliseconds, with chunked transfer encoding.
        handled();
        const n = q('n', 3);
        res.writeHead(200, { 'content-type': 'text/plain' });
        let i = 0;
        const next = () => {
          if (res.destroyed) return;
          if (i === n) return res.end();
          res.write(String.fromCharCode(97 + i++).repeat(q('size', 1)));
          setTimeout(next, q('ms', 10));
        };
        next();
        return;
      }
      case '/status':
        handled();
        res.writeHead(q('code', 500), { 'content-type': 'text/plain' });
        res.end('oops');
        return;
      case '/reset':
        handled();
        req.socket.destroy();
        return;
      case '/reset-mid':
        handled();
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      case '/hang':
        handled();
        return;  // never answers
      case '/forever': {
        handled();
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const t = setInterval(() => res.write('x'.repeat(100)), 5);
        res.on('close', () => clearInterval(t));
        return;
      }
      case '/echo': {
        handled();
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`${req.method} ${req.headers['x-probe']} ${req.headers['content-type'] ?? '-'} ${body.length} ${body.toString('hex')}`);
        });
        return;
      }
      case '/small':
        handled();
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('k'.repeat(1025 - url.search.length) + url.search.slice(1));  // 1 KiB ending in i=N
        return;
      default:
        return false;
    }
  }
  return { routes, observed };
}

/**
 * A ws server on 127.0.0.1 with the paths /echo, /close, /terminate, /late,
 * /ticks, /slow-reader?count=N and /reject* (handshake refused with 401); it
 * picks the subprotocol chat.v2 when offered. Returns { url, observed, close() };
 * observed.serverSawClose(path) resolves to the { path, code, reason } of the
 * close the server saw on a connection to `path`.
 */
export async function startWsServer() {
  const closes = [];
  const seen = observer();
  function onConnection(ws, req) {
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    ws.on('close', (code, reason) => {
      closes.push({ path, code, reason: reason.toString() });
      seen.notify();
    });
    switch (path) {
      case '/echo':
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
        return;
      case '/close':
        ws.send('one');
        ws.send('two');
        ws.close(4001, 'go away');
        return;
      case '/terminate':
        ws.send('one');
        setTimeout(() => ws.terminate(), 20);
        return;
      case '/late':
        setTimeout(() => ws.send('late'), 80);
        setTimeout(() => ws.close(1000), 120);
        return;
      case '/ticks': {
        const t = setInterval(() => ws.send('tick'), 5);
        ws.on('close', () => clearInterval(t));
        return;
      }
      case '/slow-reader': {
        // Reads nothing for 300 ms, so the client's send buffer fills up.
        let bytes = 0;
        let messages = 0;
        ws._socket.pause();
        setTimeout(() => ws._socket.resume(), 300);
        ws.on('message', (data) => {
          bytes += data.length;
          if (++messages === Number(url.searchParams.get('count'))) ws.send(`${messages} ${bytes}`);
        });
        return;
      }
    }
  }
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : false),
    verifyClient: (info) => !info.req.url.startsWith('/reject'),
  });
  wss.on('connection', onConnection);
  await new Promise((r) => wss.on('listening', r));
  return {
    url: `ws://127.0.0.1:${wss.address().port}`,
    observed: { serverSawClose: (path) => seen.when(() => closes.find((c) => c.path === path)) },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    },
  };
}

/// A port on 127.0.0.1 with nothing listening (bound, then closed).
export async function closedPort() {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}
