// The WASI hosts under real wasmtime 36 (its default preview1, and the legacy
// one that serves preopened sockets: -S preview2=n), under node:wasi, and the
// preview2 and WASI 0.3 hosts under wasmtime 49: timers, standard input and
// output, files in a preopened directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hosts, runProgram, fnv1a, pattern } from './wasi_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Waiting on arbitrary fds (watch_probe) is preview1's: components wait on pollables or waitables.
const probesOf = (host) => host.component ? ['timers_probe', 'stdin_probe', 'stdout_probe', 'file_probe']
  : ['timers_probe', 'stdin_probe', 'stdout_probe', 'file_probe', 'watch_probe'];
const preview1Only = (host) => host.component && 'preview1 only (components wait on pollables or waitables, not on fds)';

const lastJson = (text) => JSON.parse(text.trim().split('\n').at(-1));
const lines = (stdout) =>
  stdout.trim().split('\n').filter((l) => l.startsWith('line ') || l === 'eof')
    .map((l) => (l === 'eof' ? null : JSON.parse(l.slice(5))));

// Loop stalls allowed while I/O goes on: generous for a loaded 2-core CI box,
// far below what blocking on the tested slow peers takes (wasmtime's blocking
// stdout: about 400 ms).
const maxStallUs = 100_000;

for (const host of hosts) {
  const missing = probesOf(host).filter((p) => !existsSync(host.probePath(p)));
  const skip = host.skip || (missing.length > 0 && `${missing.join(', ')} not built (scripts/test.sh builds them)`);
  const t = (name, opts, fn) => test(`${name} [${host.name}]`, { skip: (opts && opts.skip) || skip, timeout: 60_000 }, fn);
  const probe = (name, args, opts) => runProgram(host, host.probePath(name), args, opts);

  // Lateness is judged by its 90th percentile: on a shared 2-core machine a single
  // sleep can lose the CPU to another process for longer than any host is late.
  t('timers fire within 10 ms of their deadline (90th percentile), never early', {}, async (ctx) => {
    const r = await probe('timers_probe', ['lateness']);
    assert.equal(r.status, 0, r.stderr);
    const stats = lastJson(r.stdout);
    ctx.diagnostic(`timer lateness: ${JSON.stringify(stats)}`);
    assert.ok(stats.min_late_us >= 0, `a timer fired early: ${JSON.stringify(stats)}`);
    assert.ok(stats.p90_late_us < 10_000, `timers fired late: ${JSON.stringify(stats)}`);
  });

  t('many sleepers fire in deadline order, ties in the order they were set', {}, async (ctx) => {
    const r = await probe('timers_probe', ['order']);
    assert.equal(r.status, 0, r.stderr);
    const stats = lastJson(r.stdout);
    ctx.diagnostic(`300 sleepers: ${JSON.stringify(stats)}`);
    assert.equal(stats.in_order, true);
    assert.ok(stats.min_late_us >= 0, `a timer fired early: ${JSON.stringify(stats)}`);
    assert.ok(stats.p90_late_us < 10_000, `timers fired late: ${JSON.stringify(stats)}`);
  });

  t('a second watcher on the same fd and direction fails with invalid_state', { skip: preview1Only(host) }, async () => {
    const r = await probe('watch_probe', ['second'], { input: [200, 'hi\n'] });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, [
      'second: invalid_state: another task already waits on this fd in this direction',
      'watchers while the first waits: 1',
      'first: readable',
      'watchers after: 0',
      '',
    ].join('\n'));
  });

  t('waiting on an fd the instance does not have fails with invalid_argument', { skip: preview1Only(host) }, async () => {
    const r = await probe('watch_probe', ['bad_fd']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^bad fd: invalid_argument: cannot watch fd 99: /m);
    assert.match(r.stdout, /^watchers after: 0$/m);
  });

  t('awaiting a regular file completes at once, in both directions', { skip: preview1Only(host) }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wasync-watch-'));
    try {
      const r = await probe('watch_probe', ['file', '/d'], { dirs: [[dir, '/d']] });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'file read: readable\nfile write: writable\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  t('read_line returns a last line that has no newline', {}, async () => {
    const r = await probe('stdin_probe', ['lines'], { input: ['first\nlast'] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ['first', 'last', null]);
  });

  t('read_line reports end of input as no line at all', {}, async () => {
    const r = await probe('stdin_probe', ['lines'], { input: [] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [null]);
  });

  t('read_line returns empty lines as empty strings', {}, async () => {
    const r = await probe('stdin_probe', ['lines'], { input: ['\n\nx\n\n'] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ['', '', 'x', '', null]);
  });

  t('a line that arrives in pieces is returned whole', {}, async () => {
    const r = await probe('stdin_probe', ['lines'], { input: ['hel', 150, 'lo wo', 150, 'rld\nsec', 150, 'ond\n'] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ['hello world', 'second', null]);
    assert.ok(lastJson(r.stdout).max_gap_us < maxStallUs, 'the loop kept running while stdin was idle');
  });

  t('read_some delivers a large input byte-exact', {}, async () => {
    const data = randomBytes(3_000_000);
    const r = await probe('stdin_probe', ['some'], { input: [data] });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout.split('\n')[0]);
    assert.deepEqual([got.bytes, got.fnv], [data.length, fnv1a(data)]);
  });

  t('read_to_end delivers a large input byte-exact', {}, async () => {
    const data = randomBytes(3_000_000);
    const r = await probe('stdin_probe', ['to_end'], { input: [data] });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout.split('\n')[0]);
    assert.deepEqual([got.bytes, got.fnv], [data.length, fnv1a(data)]);
  });

  t('stdin redirected from a regular file is read to the end', {}, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wasync-stdin-'));
    const file = path.join(dir, 'input.txt');
    writeFileSync(file, 'alpha\n\nbeta');
    const fd = openSync(file, 'r');
    try {
      const r = await probe('stdin_probe', ['lines'], { stdin: fd });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), ['alpha', '', 'beta', null]);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  t('stdin from /dev/null is an immediate end of input', {
    skip: host.legacyPreview1 && "wasmtime -S preview2=n traps in poll_oneoff on a /dev/null stdin (its FIONREAD fails with ENOTTY)",
  }, async () => {
    const r = await probe('stdin_probe', ['lines'], { stdin: 'ignore' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [null]);
  });

  t('a stdin read cancelled by a timeout leaves no watcher and the program goes on', {}, async () => {
    const r = await probe('stdin_probe', ['cancel'], { input: [400, 'hello\n', 'world\n'] });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^first read: timeout: deadline exceeded, watchers 0$/m);
    assert.deepEqual(lines(r.stdout), ['hello', 'world', null]);
  });

  t('a slow stdout reader gets every byte', {}, async () => {
    const n = 4_000_000;
    const r = await probe('stdout_probe', ['flood', String(n)], { slowReader: true, binary: true });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.length, n);
    assert.ok(r.stdout.equals(pattern(n)), 'stdout matches the pattern');
  });

  t('writing to a slow stdout reader does not stall the loop', {
    skip: host.blockingStdio && "wasmtime's default preview1 blocks the instance in fd_write on stdio and always polls it writable",
  }, async () => {
    const r = await probe('stdout_probe', ['flood', '4000000'], { slowReader: true, binary: true });
    assert.equal(r.status, 0, r.stderr);
    const stats = lastJson(r.stderr);
    assert.ok(stats.max_gap_us < maxStallUs, JSON.stringify(stats));
  });

  t('writing to a closed stdout is an error the program handles, not a crash', {}, async () => {
    const r = await probe('stdout_probe', ['closed'], { closeStdoutAfter: 100_000 });
    assert.equal(r.status, 0, r.stderr);
    // EPIPE (errc::closed) as a rule; wasmtime's default preview1 sometimes says EIO.
    assert.match(r.stderr, /write failed: (closed|invalid_state): write (fd 1|standard output): /);
    assert.match(r.stderr, /still running/);
  });

  t('a file written in a preopened directory reads back byte-exact, and appends', {}, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wasync-files-'));
    try {
      const r = await probe('file_probe', ['roundtrip', '/data'], { dirs: [[dir, '/data']] });
      assert.equal(r.status, 0, r.stderr);
      const got = lastJson(r.stdout);
      assert.deepEqual([got.closed, got.read_back, got.appended], [true, true, true]);
      assert.equal(got.reads, Math.ceil((3 * 1024 * 1024 + 123) / 65536), 'one 64 KiB chunk per read');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  t('opening a missing file or one outside the preopens fails with an error', {}, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wasync-files-'));
    try {
      const r = await probe('file_probe', ['roundtrip', '/data'], { dirs: [[dir, '/data']] });
      assert.equal(r.status, 0, r.stderr);
      const got = lastJson(r.stdout);
      assert.deepEqual([got.missing, got.outside], ['not_found', 'not_permitted']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  t('reading and writing a big file gives the loop a turn between chunks', {}, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wasync-files-'));
    try {
      const r = await probe('file_probe', ['roundtrip', '/data'], { dirs: [[dir, '/data']] });
      assert.equal(r.status, 0, r.stderr);
      const got = lastJson(r.stdout);
      // 49 reads and 49 writes of 64 KiB, then the read_to_end: each chunk is one turn.
      assert.ok(got.turns >= 2 * got.reads, r.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
