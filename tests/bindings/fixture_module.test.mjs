// The fixture module (tests/bindings/fixture, built with wasync_add_module) in
// Node, in both exception modes: values of every type both ways, sync and
// async calls, C++ errors, every bad-argument case, and AbortSignal
// cancellation releasing the C++ task.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertReleased } from './support/released.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function rejectsWith(promise, name, pattern) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name);
    assert.match(e.message, pattern);
    return true;
  });
}

for (const build of ['em-noexc', 'em-exc']) {
  const file = path.join(root, 'build', build, 'tests/bindings/fixture.js');
  describe(`fixture module (${build})`, { skip: !existsSync(file) && `${file} not built (scripts/test.sh builds it)` }, () => {
    let m;
    let WasyncError;
    before(async () => {
      const module = await import(pathToFileURL(file).href);
      m = await module.default();
      WasyncError = module.WasyncError;
    });

    test('load() without options returns the same instance', async () => {
      const again = await (await import(pathToFileURL(file).href)).load();
      assert.equal(again, m);
    });

    test('a .wasm URL that serves HTML or nothing: load() rejects naming the cause and the fix; the real one loads', async () => {
      const wasm = readFileSync(file.replace(/\.js$/, '.wasm'));
      const server = http.createServer((req, res) => {
        if (req.url === '/page.wasm') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html>\n<html>app</html>');
        else if (req.url === '/fixture.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
        else res.writeHead(404).end();
      });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${server.address().port}`;
      const load = (await import(pathToFileURL(file).href)).load;
      try {
        const html = await load({ wasm: `${base}/page.wasm` }).catch((e) => e);
        assert.ok(html instanceof WasyncError, String(html));
        assert.equal(html.code, 'not_found');
        assert.equal(html.message, `fixture.wasm: fetching ${base}/page.wasm gave text/html; charset=utf-8 starting "<!DOCTYPE html> <html>app</html>", ` +
          'not WebAssembly. The server does not have the file at the URL next to the module and answered with a fallback page: ' +
          'serve the .wasm next to the .js, or pass its URL as load({ wasm }).');
        await assert.rejects(load({ wasm: `${base}/gone.wasm` }), {
          message: `fixture.wasm: fetching ${base}/gone.wasm gave HTTP 404. The server does not have the file at the URL next to the module: ` +
            'serve the .wasm next to the .js, or pass its URL as load({ wasm }).',
        });
        assert.equal((await load({ wasm: new URL(`${base}/fixture.wasm`) })).checkedDiv(9, 3), 3);
      } finally {
        server.close();
      }
    });

    test('an async function returns a Promise of its task value', async () => {
      const p = m.add(2, 40);
      assert.ok(p instanceof Promise);
      assert.equal(await p, 42);
      await assertReleased(m);
    });

    test('an async function runs at once until its task first suspends, as a JS async function does', async () => {
      const before = m.bumps();
      const done = m.bump(false);
      const waiting = m.bump(true);
      assert.equal(m.bumps(), before + 2, 'both bodies ran during the calls');
      assert.equal(m.wasyncDebug().calls, 1, 'only the one that yielded is still pending');
      assert.deepEqual(await Promise.all([done, waiting]), [before + 1, before + 2]);
      await assertReleased(m);
    });

    test('numbers, bigints, booleans, strings and optionals cross both ways', () => {
      assert.equal(m.sum([1, 2, 4294967295]), 4294967298n);
      assert.equal(m.negate64(-(2n ** 63n) + 1n), 2n ** 63n - 1n);
      assert.equal(m.invert(false), true);
      assert.equal(m.repeat('ab', 3), 'ab, ab, ab');
      assert.equal(m.repeat('é☃', 2, '|'), 'é☃|é☃');
      assert.equal(m.maybe(true), 'here ☃');
      assert.equal(m.maybe(false), undefined);
    });

    test('records, arrays and optional fields round-trip', async () => {
      const shape = { name: 'tri', points: [{ x: 1.5, y: -2, label: 'a☃' }, { x: 0, y: 1e300 }], sides: 3, tags: [1n, -(2n ** 63n)] };
      const back = await m.echoShape(shape);
      assert.deepEqual(back, { ...shape, points: [shape.points[0], { ...shape.points[1], label: undefined }] });
      assert.deepEqual((await m.echoShape({ name: '', points: [], sides: 0 })).tags, undefined);
    });

    test('bytes arrive as a fresh Uint8Array, views and strings of any size', async () => {
      const data = new Uint8Array(100000).map((_, i) => i & 0xff);
      const back = await m.reverseBytes(data);
      assert.ok(back instanceof Uint8Array);
      assert.equal(back.length, data.length);
      assert.equal(back[0], data[data.length - 1]);
      assert.equal(await m.countBytes(data.subarray(10, 20)), 10);
      assert.equal(await m.countBytes(new Uint8Array(0)), 0);
      assert.equal(await m.utf8Length('☃'.repeat(50000)), 150000);
      await assertReleased(m);
    });

    test('a view stays valid while its task is suspended, whatever calls run meanwhile', async () => {
      // Each call is lent the argument buffer and keeps it when its task
      // suspends; the calls after it write their arguments elsewhere.
      const texts = ['first ☃', 'x'.repeat(5000), 'é'.repeat(300), ''];
      const pending = texts.map((t) => m.viewAfterYield(t));
      assert.equal(m.repeat('ab', 1000, ''), 'ab'.repeat(1000));
      assert.equal(await m.utf8Length('y'.repeat(4000)), 4000);
      assert.equal(m.sum([1, 2, 3]), 6n);
      assert.deepEqual(await Promise.all(pending), texts);
      await assertReleased(m);
    });

    test('strings of every length and kind are written right, before and after wasm memory grows', async () => {
      const texts = ['', 'a', 'ascii only', 'é', 'ascii then é', 'x'.repeat(16), 'x'.repeat(17), 'x'.repeat(128) + '☃',
        'y'.repeat(129), 'z'.repeat(3000), '😀'.repeat(40), 'lone \ud800 surrogate'];
      const utf8 = (s) => new TextEncoder().encode(s).length;
      const check = async () => {
        for (const t of texts) {
          assert.equal(await m.utf8Length(t), utf8(t), JSON.stringify(t.slice(0, 20)));
          assert.equal(m.repeat(t, 2, '|'), `${t}|${t}`.replace(/\ud800/g, '\ufffd'));
        }
      };
      await check();
      // A result of 40 MiB grows wasm memory (and detaches every view of it),
      // while the argument buffer stays where it was.
      assert.equal(m.repeat('ab', 20 << 20, '').length, 40 << 20);
      await check();
      await assertReleased(m);
    });

    test('unknown passes any JS value through by reference', () => {
      const o = { a: 1 };
      assert.equal(m.passThrough(o), o);
      assert.equal(m.passThrough(undefined), undefined);
      assert.equal(m.wasyncDebug().values, 0);
    });

    test('a failing sync function throws a WasyncError with the errc code', () => {
      assert.equal(m.checkedDiv(7, 2), 3);
      assert.throws(() => m.checkedDiv(1, 0), (e) => e instanceof WasyncError && e instanceof Error &&
        e.name === 'WasyncError' && e.code === 'invalid_argument' && e.message === 'division by zero');
    });

    test('WasyncError: instanceof holds across module instances, and for nothing else', async () => {
      // A second copy of the module file: its own class, its own instance.
      const copy = await import(`${pathToFileURL(file).href}?copy`);
      assert.notEqual(copy.WasyncError, WasyncError);
      const other = await copy.load();
      const fromCopy = await other.wait({ delayMs: 1, fail: true }).catch((e) => e);
      assert.ok(fromCopy instanceof WasyncError, 'an error of the other copy passes this copy\'s instanceof');
      assert.ok(new WasyncError('made in JS', 'timeout') instanceof copy.WasyncError);
      assert.equal(new WasyncError('m', 'timeout').code, 'timeout');
      for (const v of [new Error('plain'), { code: 'timeout' }, null, 'timeout', Object.assign(new TypeError('t'), { code: 'x' })]) {
        assert.equal(v instanceof WasyncError, false, String(v));
      }
      class Mine extends WasyncError {}
      assert.ok(new Mine('m', 'user') instanceof WasyncError);
      assert.equal(fromCopy instanceof Mine, false, 'a subclass keeps the ordinary instanceof');
      await assertReleased(other);
    });

    test('a C++ exception (or, without exceptions, errc::exception) reaches JS as code "exception"', async () => {
      assert.throws(() => m.syncThrows(), { code: 'exception', message: 'thrown in C++' });
      await assert.rejects(m.asyncThrows(false), { code: 'exception', message: 'thrown in C++' });
      await assert.rejects(m.asyncThrows(true), { code: 'exception', message: 'thrown in C++' });
      await assertReleased(m);
    });

    test('a failing task rejects with an Error carrying code and message', async () => {
      await assert.rejects(m.wait({ delayMs: 1, fail: true }), { code: 'timeout', message: 'failed on request' });
      assert.equal(await m.wait({ delayMs: 2 }), 2);
      await assertReleased(m);
    });

    describe('bad arguments reject with a TypeError naming the argument', () => {
      const cases = [
        ['int32 given a string', () => m.add(1, '2'), /^add\(\): argument b must be an integer in -2147483648\.\.2147483647, not string$/],
        ['int32 given a fraction', () => m.add(1.5, 2), /^add\(\): argument a must be an integer in -2147483648\.\.2147483647, got 1\.5$/],
        ['int32 out of range', () => m.add(2 ** 31, 2), /^add\(\): argument a must be an integer in -2147483648\.\.2147483647, got 2147483648$/],
        ['missing argument', () => m.add(1), /argument b must be an integer in -2147483648\.\.2147483647, not undefined/],
        ['record field of the wrong type', () => m.echoShape({ name: 'x', points: [{ x: 1, y: 'no' }], sides: 1 }),
          /^echoShape\(\): argument s\.points\[0\]\.y must be a number, not string$/],
        ['record missing a field', () => m.echoShape({ name: 'x', points: [] }), /argument s\.sides must be an integer in 0\.\.4294967295, not undefined/],
        ['record given null', () => m.echoShape(null), /argument s must be an object \(Shape\), not null/],
        ['array given an object', () => m.echoShape({ name: 'x', points: {}, sides: 1 }), /argument s\.points must be an array, not object/],
        ['uint32 given a negative number', () => m.echoShape({ name: 'x', points: [], sides: -1 }),
          /^echoShape\(\): argument s\.sides must be an integer in 0\.\.4294967295, got -1$/],
        ['int64 given a number', () => m.echoShape({ name: 'x', points: [], sides: 1, tags: [1] }), /s\.tags\[0\] must be a bigint in -9223372036854775808\.\.9223372036854775807, not number/],
        ['int64 out of range', () => m.echoShape({ name: 'x', points: [], sides: 1, tags: [2n ** 63n] }),
          /s\.tags\[0\] must be a bigint in -9223372036854775808\.\.9223372036854775807, got 9223372036854775808n$/],
        ['optional string given a number', () => m.echoShape({ name: 'x', points: [{ x: 1, y: 1, label: 5 }], sides: 1 }),
          /s\.points\[0\]\.label must be a string or undefined, not number/],
        ['bytes given an array', () => m.reverseBytes([1, 2]), /^reverseBytes\(\): argument data must be a Uint8Array, not an array$/],
        ['bytes given an ArrayBuffer', () => m.countBytes(new ArrayBuffer(4)), /argument data must be a Uint8Array, not object/],
        ['string given a number', () => m.utf8Length(5), /^utf8Length\(\): argument text must be a string, not number$/],
        ['options not an object', () => m.add(1, 2, 'fast'), /^add\(\): options must be an object$/],
        ['signal not an AbortSignal', () => m.add(1, 2, { signal: {} }), /^add\(\): options\.signal must be an AbortSignal$/],
        ['options record field of the wrong type', () => m.wait({ delayMs: '5' }), /^wait\(\): argument options\.delayMs must be a number or undefined, not string$/],
      ];
      for (const [what, call, pattern] of cases) {
        test(what, async () => {
          const p = call();
          assert.ok(p instanceof Promise, 'an async function rejects rather than throws');
          await rejectsWith(p, 'TypeError', pattern);
        });
      }
      const syncCases = [
        ['uint32 array with a string', () => m.sum([1, '2']), /^sum\(\): argument values\[1\] must be an integer in 0\.\.4294967295, not string$/],
        ['bool given a number', () => m.invert(1), /^invert\(\): argument b must be a boolean, not number$/],
        ['bigint given a number', () => m.negate64(1), /^negate64\(\): argument v must be a bigint in -9223372036854775808\.\.9223372036854775807, not number$/],
        ['optional given null', () => m.repeat('a', 1, null), /^repeat\(\): argument separator must be a string or undefined, not null$/],
      ];
      for (const [what, call, pattern] of syncCases) {
        test(`${what} (sync: throws)`, () => {
          assert.throws(call, (e) => e instanceof TypeError && pattern.test(e.message));
        });
      }
      test('nothing reached C++ and nothing leaked', async () => {
        await assertReleased(m);
      });
    });

    test('aborting the signal cancels the C++ task, releases it and rejects with the signal\'s reason', async () => {
      const ac = new AbortController();
      const p = m.wait({ signal: ac.signal });
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(m.wasyncDebug().tasks, 1, 'the task is waiting');
      ac.abort();
      const e = await p.catch((x) => x);
      assert.equal(e, ac.signal.reason);
      assert.equal(e.name, 'AbortError');
      assert.equal(e.code, 'cancelled');
      await assertReleased(m);
    });

    test('AbortSignal.timeout() rejects with its TimeoutError, code "cancelled"', async () => {
      const e = await m.wait({ delayMs: 60000, signal: AbortSignal.timeout(10) }).catch((x) => x);
      assert.ok(e instanceof DOMException, String(e));
      assert.equal(e.name, 'TimeoutError');
      assert.equal(e.code, 'cancelled');
      assert.equal(e instanceof WasyncError, false);
      await assertReleased(m);
    });

    test('an abort reason of the caller\'s is the rejection, keeping a code of its own; a primitive stays as it is', async () => {
      const reasons = [new Error('mine'), Object.assign(new Error('coded'), { code: 'E_MINE' }), 'just text', Object.freeze({ frozen: true })];
      for (const reason of reasons) {
        const ac = new AbortController();
        const p = m.wait({ delayMs: 60000, signal: ac.signal });
        ac.abort(reason);
        assert.equal(await p.catch((x) => x), reason);
      }
      assert.equal(reasons[0].code, 'cancelled');
      assert.equal(reasons[1].code, 'E_MINE');
      assert.equal(Object.hasOwn(reasons[3], 'code'), false);
      await assertReleased(m);
    });

    test('an already aborted signal rejects with its reason without starting the task', async () => {
      const signal = AbortSignal.abort();
      const e = await m.add(1, 2, { signal }).catch((x) => x);
      assert.equal(e, signal.reason);
      assert.equal(e.code, 'cancelled');
      await assertReleased(m);
    });

    test('a signal aborted by an argument\'s getter, while the call reads it, rejects with its reason', async () => {
      const ac = new AbortController();
      const reason = new Error('from the getter');
      const p = m.wait({ get delayMs() { ac.abort(reason); return 60000; }, signal: ac.signal });
      assert.equal(await p.catch((x) => x), reason);
      await assertReleased(m);
    });

    test('a signal aborted after the call settled changes nothing', async () => {
      const ac = new AbortController();
      assert.equal(await m.add(1, 2, { signal: ac.signal }), 3);
      ac.abort();
      await assertReleased(m);
    });

    test('many cancellations of sleeping tasks leave nothing behind', async () => {
      const ac = new AbortController();
      setMaxListeners(300, ac.signal);  // one signal for 200 calls is the point here
      const all = Array.from({ length: 200 }, (_, i) => m.wait(i % 2 ? { delayMs: 60000, signal: ac.signal } : { signal: ac.signal }));
      await new Promise((r) => setTimeout(r, 5));
      assert.equal(m.wasyncDebug().tasks, 200);
      ac.abort();
      const settled = await Promise.allSettled(all);
      assert.ok(settled.every((s) => s.status === 'rejected' && s.reason.code === 'cancelled'));
      await assertReleased(m);
    });
  });
}
