// Node peer for the echo bench: an idiomatic `net` TCP echo server, or a `dgram`
// UDP echo with --udp, on 127.0.0.1:PORT.
// Usage: node bench/node/echo_server.mjs PORT [--udp]
import dgram from 'node:dgram';
import net from 'node:net';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node bench/node/echo_server.mjs PORT [--udp]');
  process.exit(2);
}

if (process.argv.includes('--udp')) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address));
  socket.bind(port, '127.0.0.1');
} else {
  net
    .createServer({ noDelay: true }, (conn) => {
      conn.on('data', (chunk) => conn.write(chunk));
      conn.on('error', () => conn.destroy());
    })
    .listen(port, '127.0.0.1');
}
