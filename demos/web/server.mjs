// The demo server: static pages and the built wasm from a folder, a small
// items API (some items slow, some failing with 500, some resetting the
// connection) and a WebSocket chat/echo endpoint whose connections can be
// dropped on demand (to show reconnecting). No framework; 127.0.0.1 only.
//
//   node demos/web/server.mjs [ROOT]     ROOT defaults to dist/web-demos; PORT env (8080)
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.cpp': 'text/plain; charset=utf-8',
  '.hpp': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/// How the items API treats item `id`: the last digit decides, so a page (and a
/// test) knows what to expect. `delay` (ms, query) sets the base latency.
export function itemBehaviour(id, delay = 150) {
  switch (id % 10) {
    case 3: return { kind: 'slow', ms: 3000 };
    case 7: return { kind: 'fail', ms: delay };
    case 9: return { kind: 'reset', ms: delay };
    default: return { kind: 'ok', ms: delay + ((id * 37) % 5) * 60 };
  }
}

function items(req, res, id, url) {
  const delay = Math.max(0, Math.min(Number(url.searchParams.get('delay') ?? 150) || 0, 10_000));
  const b = itemBehaviour(id, delay);
  const timer = setTimeout(() => {
    if (b.kind === 'reset') return req.socket.destroy();
    const status = b.kind === 'fail' ? 500 : 200;
    const body = status === 200 ? { id, name: `item ${id}`, waitedMs: b.ms } : { error: `item ${id} is broken` };
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(body));
  }, b.ms);
  res.on('close', () => clearTimeout(timer));
}

function serveFile(root, pathname, res) {
  let file = '';
  let size = -1;
  try {
    // decodeURIComponent throws on malformed escapes: those are 404s too.
    file = path.resolve(root, '.' + decodeURIComponent(pathname === '/' ? '/index.html' : pathname));
    if (file.startsWith(root + path.sep)) size = statSync(file).isFile() ? statSync(file).size : -1;
  } catch {
    size = -1;
  }
  if (size < 0) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end(`not found: ${pathname}\n`);
  }
  res.writeHead(200, {
    'content-type': types[path.extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': 'no-cache',
  });
  createReadStream(file).pipe(res);
}

/// Starts the server; resolves to { url, port, close() } once it listens.
export function startServer({ root, port = 0, host = '127.0.0.1' }) {
  root = path.resolve(root);
  const sockets = new WebSocketServer({ noServer: true });
  let nextClient = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(`http://localhost${req.url}`);
    const item = url.pathname.match(/^\/api\/items\/(\d+)$/);
    if (item && req.method === 'GET') return items(req, res, Number(item[1]), url);
    if (url.pathname === '/api/drop-sockets' && req.method === 'POST') {
      // terminate(): no close frame, so clients see an abnormal close (1006).
      for (const ws of sockets.clients) ws.terminate();
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ dropped: sockets.clients.size }));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain' });
      return res.end('method not allowed\n');
    }
    serveFile(root, url.pathname, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(`http://localhost${req.url}`).pathname !== '/ws') return socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const me = ++nextClient;
      ws.send(`welcome, you are #${me} (${sockets.clients.size} online)`);
      // Every message goes to everyone connected, its sender included (an echo).
      ws.on('message', (data, binary) => {
        const text = binary ? `<${data.length} bytes>` : data.toString();
        for (const peer of sockets.clients) peer.send(`#${me}: ${text}`);
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        port: actual,
        url: `http://${host}:${actual}/`,
        close: () =>
          new Promise((done) => {
            for (const ws of sockets.clients) ws.terminate();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = process.argv[2] ?? path.join(here, '../../dist/web-demos');
  const port = Number(process.env.PORT ?? 8080);
  startServer({ root, port }).then(
    ({ url }) => console.log(`wasync demos: ${url}  (serving ${path.resolve(root)}; Ctrl-C stops)`),
    (e) => {
      console.error(`demo server: cannot listen on 127.0.0.1:${port}: ${e.message}`);
      process.exit(1);
    },
  );
}
