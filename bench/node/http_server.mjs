// Node peer for the HTTP bench: an idiomatic `http` server with the routes the
// bench loads on demos/net/http_serve (GET / greets, POST /echo streams the
// body back), on 127.0.0.1:PORT.
// Usage: node bench/node/http_server.mjs PORT
import http from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node bench/node/http_server.mjs PORT');
  process.exit(2);
}

http
  .createServer({ noDelay: true }, (req, res) => {
    if (req.url === '/' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('hello from wasync\n');
    } else if (req.url === '/echo' && req.method === 'POST') {
      const headers = { 'Content-Type': req.headers['content-type'] ?? 'application/octet-stream' };
      if (req.headers['content-length'] !== undefined) headers['Content-Length'] = req.headers['content-length'];
      res.writeHead(200, headers);
      req.pipe(res);
    } else {
      res.writeHead(404).end('Not Found\n');
    }
  })
  .listen(port, '127.0.0.1');
