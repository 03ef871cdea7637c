// The networking demos (tcp_echo, udp_echo, netcat) against Node peers on
// 127.0.0.1, for every runner in net_support.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { freePort, runToEnd, runners, startServer } from './net_support.mjs';

/// Sends `data` on a new connection, half-closes, and collects the reply until the peer closes.
function echoOnce(port, data) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const sock = net.connect(port, '127.0.0.1', () => sock.end(data));
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => resolve(Buffer.concat(chunks)));
    sock.on('error', reject);
  });
}

/// A Node server on a free port whose connections `serve` handles.
async function nodeServer(serve) {
  const srv = net.createServer(serve);
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { port: srv.address().port, close: () => new Promise((resolve) => srv.close(resolve)) };
}

for (const runner of runners) {
  const { skip } = runner;
  const noHttpGet = !runner.hasHttpGet && `${runner.name} has no http_get`;
  const noUdp = !runner.hasUdp && `${runner.name} has no UDP yet`;

  test(`tcp_echo returns every byte of 20 concurrent connections [${runner.name}]`, { skip }, async () => {
    const port = await freePort();
    const server = await startServer(runner, 'tcp_echo', [String(port)]);
    try {
      const payloads = Array.from({ length: 20 }, (_, i) => randomBytes(1 + i * 50_000));
      const replies = await Promise.all(payloads.map((p) => echoOnce(port, p)));
      replies.forEach((r, i) =>
        assert.ok(r.equals(payloads[i]), `connection ${i}: ${r.length} of ${payloads[i].length} bytes`));
      assert.equal(server.stdout(), '', 'tcp_echo prints nothing on stdout');
    } finally {
      await server.stop();
    }
  });

  test(`udp_echo returns datagrams from 1 B to 65,507 B [${runner.name}]`, { skip: skip || noUdp }, async () => {
    const port = await freePort();
    const server = await startServer(runner, 'udp_echo', [String(port)]);
    const sock = dgram.createSocket('udp4');
    try {
      await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
      for (const size of [1, 512, 1472, 8192, 32768, 65507]) {
        const sent = randomBytes(size);
        const got = new Promise((resolve) => sock.once('message', resolve));
        sock.send(sent, port, '127.0.0.1');
        assert.ok((await got).equals(sent), `${size} B`);
      }
    } finally {
      sock.close();
      await server.stop();
    }
  });

  test(`netcat copies both ways at once, shuts down at end of input and exits when the peer closes [${runner.name}]`,
    { skip }, async () => {
      let received = Buffer.alloc(0);
      const peer = await nodeServer((conn) => {
        conn.write('greeting before any input\n');  // arrives while netcat still reads stdin
        conn.on('data', (d) => (received = Buffer.concat([received, d])));
        conn.on('end', () => conn.end(`got ${received.length} bytes\n`));
      });
      try {
        const input = randomBytes(300_000);
        const r = await runToEnd(runner, 'netcat', ['localhost', String(peer.port)], input);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(received.equals(input), `peer got ${received.length} of ${input.length} bytes`);
        assert.equal(r.stdout.toString(), `greeting before any input\ngot ${input.length} bytes\n`);
      } finally {
        await peer.close();
      }
    });

  test(`netcat shows what the peer sends before stdin ends [${runner.name}]`, { skip }, async () => {
    const peer = await nodeServer((conn) => conn.end('bye\n'));
    try {
      // stdin stays open: the peer's close alone ends netcat.
      const r = await runToEnd(runner, 'netcat', ['127.0.0.1', String(peer.port)], undefined);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.toString(), 'bye\n');
    } finally {
      await peer.close();
    }
  });

  test(`netcat to a closed port exits 1 with one line on stderr [${runner.name}]`, { skip }, async () => {
    const port = await freePort();
    const r = await runToEnd(runner, 'netcat', ['127.0.0.1', String(port)], '');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^netcat: connection_refused: .*\n$/);
  });

  test(`netcat to a host that does not exist exits 1 with host_not_found [${runner.name}]`, { skip }, async () => {
    const r = await runToEnd(runner, 'netcat', ['no-such-host.invalid', '80'], '');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^netcat: host_not_found: .*\n$/);
  });

  test(`the demos reject a bad port with usage and status 2 [${runner.name}]`, { skip }, async () => {
    for (const [demo, args] of [['tcp_echo', ['70000']], ['udp_echo', ['x']], ['netcat', ['localhost']]]) {
      const r = await runToEnd(runner, demo, args, '');
      assert.equal(r.status, runner.exitStatusIsOne ? 1 : 2, `${demo} ${args}`);
      assert.match(r.stderr, /^usage: /);
    }
  });

  test(`http_get writes the body to stdout and the status and headers to stderr [${runner.name}]`,
    { skip: skip || noHttpGet }, async () => {
      const srv = http.createServer((req, res) => {
        if (req.url === '/missing') return res.writeHead(404).end('not here\n');
        res.writeHead(200, { 'X-Demo': 'yes' });
        res.write('streamed ');
        setTimeout(() => res.end('body\n'), 30);
      });
      await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${srv.address().port}`;
        const ok = await runToEnd(runner, 'http_get', [`${base}/`], '');
        assert.equal(ok.status, 0, ok.stderr);
        assert.equal(ok.stdout.toString(), 'streamed body\n');
        assert.match(ok.stderr, /^200 OK\n/);
        assert.match(ok.stderr, /^x-demo: yes$/m);
        const missing = await runToEnd(runner, 'http_get', [`${base}/missing`], '');
        assert.equal(missing.status, 1);
        assert.equal(missing.stdout.toString(), 'not here\n');
      } finally {
        await new Promise((resolve) => srv.close(resolve));
      }
    });
}
