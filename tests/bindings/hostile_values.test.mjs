// The fixture module under hostile JS values, in both exception modes: values
// whose getters answer differently on every read, Proxies whose traps throw,
// things passed off as AbortSignals, getters and callbacks that call into the
// module while a call is under way, and the fixture's own numeric and size
// edges. One targeted test per defect, then property tests over random
// hostile values (seeded; the seed is in every failure message) with the
// module's counters back to 0 after each batch.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertReleased } from './support/released.mjs';
import {
  TRAPS, UNREAD, materialize, outcome, prng, randomText, rereads, shiftyArray, shiftyRecord, throwingProxy, viaUtf8,
} from './support/hostile.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BATCHES = 5;
const PER_BATCH = 500;

const isU32 = (v) => typeof v === 'number' && v >>> 0 === v;
const isI64 = (v) => typeof v === 'bigint' && BigInt.asIntN(64, v) === v;
const utf8Bytes = (s) => new TextEncoder().encode(s).length;

// What echoShape must answer for the value a single read of `s` saw: the
// shape, or the path of the first value that does not fit (in reading order).
function expectShape(s) {
  const seen = (v, where) => {
    if (v === UNREAD) throw new assert.AssertionError({ message: `${where} was never read` });
    return v;
  };
  if (s === null || typeof s !== 'object') return { bad: 's' };
  const name = seen(s.name, 's.name');
  if (typeof name !== 'string') return { bad: 's.name' };
  const points = seen(s.points, 's.points');
  if (!Array.isArray(points)) return { bad: 's.points' };
  const outPoints = [];
  for (let i = 0; i < points.length; i++) {
    const p = seen(points[i], `s.points[${i}]`);
    const where = `s.points[${i}]`;
    if (p === null || typeof p !== 'object') return { bad: where };
    if (typeof seen(p.x, `${where}.x`) !== 'number') return { bad: `${where}.x` };
    if (typeof seen(p.y, `${where}.y`) !== 'number') return { bad: `${where}.y` };
    const label = seen(p.label, `${where}.label`);
    if (label !== undefined && typeof label !== 'string') return { bad: `${where}.label` };
    outPoints.push({ x: p.x, y: p.y, label: label === undefined ? undefined : viaUtf8(label) });
  }
  if (!isU32(seen(s.sides, 's.sides'))) return { bad: 's.sides' };
  const tags = seen(s.tags, 's.tags');
  if (tags !== undefined) {
    if (!Array.isArray(tags)) return { bad: 's.tags' };
    for (let i = 0; i < tags.length; i++) if (!isI64(seen(tags[i], `s.tags[${i}]`))) return { bad: `s.tags[${i}]` };
  }
  return { value: { name: viaUtf8(name), points: outPoints, sides: s.sides, tags: tags === undefined ? undefined : [...tags] } };
}

function expectRejected(o, pattern, context) {
  assert.ok(!o.hung, `${context}: the call never settled`);
  assert.ok(o.error, `${context}: expected an error, got ${String(o.value)}`);
  assert.ok(o.error instanceof TypeError, `${context}: expected a TypeError, got ${o.error}`);
  assert.match(o.error.message, pattern, context);
}

for (const build of ['em-noexc', 'em-exc']) {
  const file = path.join(root, 'build', build, 'tests/bindings/fixture.js');
  describe(`fixture module under hostile values (${build})`, { skip: !existsSync(file) && `${file} not built (scripts/test.sh builds it)` }, () => {
    let m;
    before(async () => {
      m = await (await import(pathToFileURL(file).href)).default();
    });
    // The module still answers sync and async calls, and holds nothing.
    const assertHealthy = async (context) => {
      assert.equal(m.repeat('x', 3), 'x, x, x', context);
      assert.equal(await m.add(2, 3), 5, context);
      assert.equal(await m.wait({ delayMs: 1 }), 1, `${context}: timers run`);
      await assertReleased(m);
    };

    // ---- One test per defect ------------------------------------------

    test('a value whose getters change on every read is read once, and C++ gets what that read saw', async () => {
      let lengthReads = 0;
      const growing = new Proxy([], {
        get: (t, p) => (p === 'length' ? (++lengthReads === 1 ? 2 : 200000) : typeof p === 'string' && /^\d+$/.test(p) ? 7 : Reflect.get(t, p)),
      });
      assert.equal(m.sum(growing), 14n);
      assert.equal(lengthReads, 1);

      let nameReads = 0;
      const shape = { get name() { return 'n'.repeat(++nameReads === 1 ? 3 : 100000); }, points: [], sides: 1 };
      assert.equal((await m.echoShape(shape)).name, 'nnn');
      assert.equal(nameReads, 1);

      // A Uint8Array whose own length getters lie: the bytes it really has travel.
      class Liar extends Uint8Array {
        get length() { return 1 << 20; }
        get byteLength() { return 1 << 20; }
      }
      const liar = new Liar([1, 2, 3]);
      assert.deepEqual(await m.reverseBytes(liar), new Uint8Array([3, 2, 1]));
      assert.equal(await m.countBytes(liar), 3);
      await assertHealthy('after values that change under the reader');
    });

    test('a Proxy whose traps all throw: the call fails with the thrown error and the module stays healthy', async () => {
      const { proxy, error } = throwingProxy({}, TRAPS, 'all');
      assert.equal(m.passThrough(proxy), proxy, 'any value passes through, and its release reads nothing of it');
      await assert.rejects(m.echoShape(proxy), (e) => e === error);
      await assert.rejects(m.add(1, 2, proxy), (e) => e === error);
      const array = throwingProxy([], TRAPS, 'array');
      assert.throws(() => m.sum(array.proxy), (e) => e === array.error);
      await assert.rejects(m.aroundCallback('t', proxy), (e) => e.code === 'js_error' && e.message === 'trap all');
      await assertHealthy('after throwing Proxies');
    });

    test('a signal that is not a real AbortSignal is refused before the task starts', async () => {
      const bumps = m.bumps();
      const fakes = [
        { aborted: false, addEventListener() {} },
        { aborted: false, addEventListener() { throw new Error('no listeners'); }, removeEventListener() {} },
        { get aborted() { throw new Error('no state'); }, addEventListener() {}, removeEventListener() {} },
        Object.create(AbortSignal.prototype),
      ];
      for (const signal of fakes) {
        await assert.rejects(m.bump(true, { signal }), (e) => e instanceof TypeError && /^bump\(\): options\.signal must be an AbortSignal$/.test(e.message));
      }
      assert.equal(m.bumps(), bumps, 'no task started');
      // A real signal whose own methods throw: the runtime never calls them.
      const ac = new AbortController();
      ac.signal.addEventListener = () => { throw new Error('own addEventListener'); };
      ac.signal.removeEventListener = () => { throw new Error('own removeEventListener'); };
      assert.equal(await m.bump(true, { signal: ac.signal }), bumps + 1);
      const waiting = m.wait({ signal: ac.signal });
      ac.abort();
      await assert.rejects(waiting, { code: 'cancelled' });
      await assertHealthy('after fake signals');
    });

    test('a re-entrant call, from a getter or from C++ calling JS, never shares the outer call\'s buffer or id', async () => {
      let inner;
      const shape = { name: 'outer', points: [{ x: 1, get y() { inner = m.repeat('in', 3); return 2; } }], get sides() { m.sum([1, 2, 3]); return 3; } };
      assert.deepEqual(await m.echoShape(shape), { name: 'outer', points: [{ x: 1, y: 2, label: undefined }], sides: 3, tags: undefined });
      assert.equal(inner, 'in, in, in');
      let nested;
      const outer = m.aroundCallback('outer', () => {
        nested = m.aroundCallback('inner', () => {});
      });
      assert.deepEqual(await Promise.all([outer, nested]), ['outer', 'inner']);
      await assertHealthy('after re-entrant calls');
    });

    test('after hostile signals, calls with an already aborted signal still settle', async () => {
      const hostile = [
        { aborted: false, addEventListener() {} },
        { aborted: false, addEventListener() { throw new Error('no'); }, removeEventListener() {} },
      ];
      for (const signal of hostile) await outcome(() => m.bump(true, { signal }));
      const all = await Promise.all(Array.from({ length: 64 }, () => outcome(() => m.bump(true, { signal: AbortSignal.abort() }))));
      assert.ok(all.every((o) => o.error?.code === 'cancelled'), JSON.stringify(all.filter((o) => o.error?.code !== 'cancelled')));
      await assertHealthy('after aborted calls');
    });

    test('checkedDiv(-2^31, -1) and a repeat() past 64 MiB fail as errors, and timers still run', async () => {
      assert.throws(() => m.checkedDiv(-2147483648, -1), { code: 'invalid_argument', message: 'the quotient does not fit in int32' });
      assert.throws(() => m.repeat('ab', 2147483647), (e) => e.code === 'invalid_argument' && /over 64 MiB/.test(e.message));
      assert.equal(m.repeat('', 2147483647, ''), '');
      await assertHealthy('after the fixture\'s edges');
    });

    // ---- Property tests -------------------------------------------------

    test('property: values that change on every read are read once, and the answer is what that read saw', { timeout: 60000 }, async () => {
      for (let batch = 0; batch < BATCHES; batch++) {
        const seed = 0x5eed0a00 + batch;
        const r = prng(seed);
        const number = () => (r.chance(0.05) ? r.pick(['1', null, undefined, 1n]) : r.next() * 1e6 - 5e5);
        const text = (n) => (r.chance(0.04) ? r.pick([5, null, ['a']]) : randomText(r, n === 1 ? r.int(0, 40) : r.int(1000, 100000)));
        const length = (n) => (r.chance(0.05) ? r.pick([-1, 1.5, 'three', 2 ** 40]) : n === 1 ? r.int(0, 6) : r.int(1000, 100000));
        const point = () => (r.chance(0.5)
          ? { x: number(), y: number(), label: r.chance(0.5) ? undefined : randomText(r, r.int(0, 10)) }
          : shiftyRecord(['x', 'y', 'label'], (k) => (n) => (k === 'label' ? (r.chance(0.5) ? undefined : text(n)) : number())));
        const tags = () => (r.chance(0.4) ? undefined : r.chance(0.5)
          ? Array.from({ length: r.int(0, 4) }, () => (r.chance(0.05) ? 2n ** 63n : BigInt(r.int(-1e9, 1e9))))
          : shiftyArray(length, () => () => (r.chance(0.05) ? 1 : BigInt(r.int(-1e9, 1e9)))));
        const shape = () => shiftyRecord(['name', 'points', 'sides', 'tags'], (k) => (n) => {
          if (k === 'name') return text(n);
          if (k === 'points') return r.chance(0.5) ? Array.from({ length: r.int(0, 4) }, point) : shiftyArray(length, () => point);
          if (k === 'sides') return r.chance(0.05) ? -1 : r.int(0, 2 ** 32 - 1);
          return tags();
        });
        const checks = [];
        for (let i = 0; i < PER_BATCH; i++) {
          const context = `seed ${seed}, call ${i}`;
          const kind = r.int(0, 9);
          if (kind < 4) {
            const s = shape();
            const o = outcome(() => m.echoShape(s));
            checks.push(o.then((o) => {
              assert.deepEqual(rereads(s), [], `${context}: keys read twice`);
              const want = expectShape(materialize(s));
              if (want.bad) expectRejected(o, new RegExp(`^echoShape\\(\\): argument ${want.bad.replace(/[.[\]]/g, '\\$&')} must be `), context);
              else assert.deepEqual(o.value, want.value, context);
            }));
          } else if (kind < 7) {
            const values = shiftyArray(length, () => () => (r.chance(0.03) ? r.pick([-1, '2', 2 ** 32]) : r.int(0, 2 ** 32 - 1)));
            const o = outcome(() => m.sum(values));
            checks.push(o.then((o) => {
              assert.deepEqual(rereads(values), [], `${context}: keys read twice`);
              const seen = materialize(values);
              if (!Array.isArray(seen)) return expectRejected(o, /^sum\(\): argument values must be an array of at most/, context);
              const bad = seen.findIndex((v) => !isU32(v));
              if (bad >= 0) return expectRejected(o, new RegExp(`^sum\\(\\): argument values\\[${bad}\\] must be`), context);
              assert.equal(o.value, seen.reduce((t, v) => t + BigInt(v), 0n), context);
            }));
          } else if (kind < 8) {
            const real = Uint8Array.from({ length: r.int(0, 64) }, () => r.int(0, 255));
            class Liar extends Uint8Array {
              get length() { return r.int(0, 1 << 20); }
              get byteLength() { return r.int(0, 1 << 20); }
              get byteOffset() { return r.int(0, 1 << 20); }
              get buffer() { return new ArrayBuffer(r.int(0, 16)); }
            }
            const data = new Liar(real);
            const o = outcome(() => (r.chance(0.5) ? m.reverseBytes(data) : m.countBytes(data)));
            checks.push(o.then((o) => {
              assert.ok(!o.error && !o.hung, `${context}: ${o.error}`);
              if (typeof o.value === 'number') assert.equal(o.value, real.length, context);
              else assert.deepEqual(o.value, real.slice().reverse(), context);
            }));
          } else {
            const options = shiftyRecord(['delayMs', 'fail'], (k) => () => (k === 'delayMs'
              ? (r.chance(0.05) ? '1' : r.int(0, 3))
              : r.pick([undefined, true, false, false, 1])));
            const o = outcome(() => m.wait(options));
            checks.push(o.then((o) => {
              assert.deepEqual(rereads(options), [], `${context}: keys read twice`);
              const seen = materialize(options);
              if (typeof seen.delayMs !== 'number') return expectRejected(o, /^wait\(\): argument options\.delayMs must be/, context);
              if (![undefined, true, false].includes(seen.fail)) return expectRejected(o, /^wait\(\): argument options\.fail must be/, context);
              if (seen.fail) assert.equal(o.error?.code, 'timeout', context);
              else assert.equal(o.value, seen.delayMs, context);
            }));
          }
        }
        await Promise.all(checks);
        await assertReleased(m);
      }
      await assertHealthy('after the batches');
    });

    test('property: Proxies whose traps throw make the call fail with the thrown error, a TypeError or a JS error, never the module', { timeout: 60000 }, async () => {
      const placements = [
        ['passThrough', () => ({}), (p) => m.passThrough(p)],
        ['echoShape(s)', () => ({ name: 'n', points: [], sides: 1 }), (p) => m.echoShape(p)],
        ['echoShape(s.points)', () => [{ x: 1, y: 2 }], (p) => m.echoShape({ name: 'n', points: p, sides: 1 })],
        ['echoShape(s.points[1])', () => ({ x: 1, y: 2 }), (p) => m.echoShape({ name: 'n', points: [{ x: 0, y: 0 }, p], sides: 1 })],
        ['sum(values)', () => [1, 2], (p) => m.sum(p)],
        ['add(options)', () => ({}), (p) => m.add(1, 2, p)],
        ['add(options.signal)', () => new AbortController().signal, (p) => m.add(1, 2, { signal: p })],
        ['wait(options)', () => ({ delayMs: 1 }), (p) => m.wait(p)],
        ['reverseBytes(data)', () => new Uint8Array(3), (p) => m.reverseBytes(p)],
        ['aroundCallback(callback)', () => function callback() {}, (p) => m.aroundCallback('t', p)],
      ];
      for (let batch = 0; batch < BATCHES; batch++) {
        const seed = 0x5eed0b00 + batch;
        const r = prng(seed);
        const checks = [];
        for (let i = 0; i < PER_BATCH; i++) {
          const [where, target, call] = r.pick(placements);
          const context = `seed ${seed}, call ${i}, ${where}`;
          const t = target();
          const traps = TRAPS.filter(() => r.chance(0.4));
          let { proxy, error } = throwingProxy(t, traps, `${i}`);
          if (r.chance(0.1)) {
            const revocable = Proxy.revocable(t, {});
            revocable.revoke();
            proxy = revocable.proxy;
          }
          checks.push(outcome(() => call(proxy)).then((o) => {
            assert.ok(!o.hung, `${context}: never settled`);
            if (where === 'passThrough') return assert.equal(o.value, proxy, context);
            if (!o.error) return;
            const e = o.error;
            const expected = e === error || e instanceof TypeError || (e.code === 'js_error' && typeof e.message === 'string');
            assert.ok(expected, `${context} (traps ${traps}): unexpected ${e?.constructor?.name}: ${e?.message}`);
          }));
        }
        await Promise.all(checks);
        await assertReleased(m);
      }
      await assertHealthy('after the batches');
    });

    test('property: whatever is passed as a signal, every call settles, and fakes are refused before the task starts', { timeout: 60000 }, async () => {
      for (let batch = 0; batch < BATCHES; batch++) {
        const seed = 0x5eed0c00 + batch;
        const r = prng(seed);
        const checks = [];
        for (let i = 0; i < PER_BATCH; i++) {
          const ac = new AbortController();
          const kind = r.pick(['duck', 'duckComplete', 'duckThrowingAdd', 'duckThrowingAborted', 'fakePrototype', 'proxy',
            'ownMethodsThrow', 'real', 'real', 'real', 'alreadyAborted', 'timeout']);
          const when = r.pick(['never', 'before', 'inGetter', 'inFirstStep', 'microtask', 'soon']);
          let signal = ac.signal;
          if (kind === 'duck') signal = { aborted: false, addEventListener() {} };
          if (kind === 'duckComplete') signal = { aborted: false, addEventListener() {}, removeEventListener() {} };
          if (kind === 'duckThrowingAdd') signal = { aborted: false, addEventListener() { throw new Error('no'); }, removeEventListener() {} };
          if (kind === 'duckThrowingAborted') signal = { get aborted() { throw new Error('no'); }, addEventListener() {}, removeEventListener() {} };
          if (kind === 'fakePrototype') signal = Object.create(AbortSignal.prototype);
          if (kind === 'proxy') signal = throwingProxy(ac.signal, TRAPS.filter(() => r.chance(0.3)), `${i}`).proxy;
          if (kind === 'ownMethodsThrow') {
            ac.signal.addEventListener = () => { throw new Error('own'); };
            ac.signal.removeEventListener = () => { throw new Error('own'); };
          }
          if (kind === 'alreadyAborted') signal = AbortSignal.abort();
          if (kind === 'timeout') signal = AbortSignal.timeout(r.int(0, 2));
          const fake = kind.startsWith('duck') || kind === 'fakePrototype';
          if (when === 'before') ac.abort();
          const abortNow = () => when === 'inFirstStep' && ac.abort();
          const fn = r.pick(['wait', 'bump', 'add', 'aroundCallback', 'nothing']);
          const bumps = m.bumps();
          const context = `seed ${seed}, call ${i}, ${fn} with a ${kind} signal aborted ${when}`;
          const o = outcome(() => {
            if (fn === 'wait') {
              const options = { get delayMs() { if (when === 'inGetter') ac.abort(); return r.int(0, 3); }, signal };
              return m.wait(options);
            }
            if (fn === 'bump') return m.bump(true, { signal });
            if (fn === 'add') return m.add(1, 2, { signal });
            if (fn === 'nothing') return m.nothing({ signal });
            return m.aroundCallback('t', abortNow, { signal });
          });
          const bumpsAfter = m.bumps();
          if (when === 'microtask') queueMicrotask(() => ac.abort());
          if (when === 'soon') setTimeout(() => ac.abort(), r.int(0, 2));
          checks.push(o.then((o) => {
            assert.ok(!o.hung, `${context}: never settled`);
            if (fake) {
              assert.ok(o.error instanceof TypeError && /options\.signal must be an AbortSignal$/.test(o.error.message), `${context}: ${o.error}`);
              if (fn === 'bump') assert.equal(bumpsAfter, bumps, `${context}: the task started`);
              return;
            }
            const cancelled = o.error?.code === 'cancelled';
            const real = kind === 'real' || kind === 'ownMethodsThrow';
            const abortedBeforeItsAwait = kind === 'alreadyAborted' || (real && (when === 'before' || (when === 'inGetter' && fn === 'wait') ||
              (when === 'inFirstStep' && fn === 'aroundCallback')));
            if (abortedBeforeItsAwait) return assert.ok(cancelled, `${context}: ${o.error ?? o.value}`);
            if (o.error) {
              assert.ok(cancelled || (kind === 'proxy' && (o.error instanceof TypeError || /^trap /.test(o.error.message))), `${context}: ${o.error}`);
            }
          }));
        }
        await Promise.all(checks);
        const aborted = await Promise.all(Array.from({ length: 64 }, () => outcome(() => m.bump(true, { signal: AbortSignal.abort() }))));
        assert.ok(aborted.every((o) => o.error?.code === 'cancelled'), `seed ${seed}: calls with an aborted signal did not settle as cancelled`);
        await assertReleased(m);
      }
      await assertHealthy('after the batches');
    });

    test('property: getters and callbacks that call into the module leave every call its own arguments', { timeout: 60000 }, async () => {
      for (let batch = 0; batch < BATCHES; batch++) {
        const seed = 0x5eed0d00 + batch;
        const r = prng(seed);
        const checks = [];
        // Calls into the module from inside another call, checked later.
        const poke = (depth, context) => {
          if (depth > 2 || r.chance(0.3)) return;
          const k = r.int(0, 5);
          if (k === 0) {
            const xs = Array.from({ length: r.int(0, 5) }, () => r.int(0, 1000));
            assert.equal(m.sum(xs), xs.reduce((t, v) => t + BigInt(v), 0n), context);
          } else if (k === 1) {
            const t = randomText(r, r.int(0, 8));
            assert.equal(m.repeat(t, 2, '|'), `${viaUtf8(t)}|${viaUtf8(t)}`, context);
          } else if (k === 2) {
            const a = r.int(-100, 100);
            checks.push(m.add(a, 1).then((v) => assert.equal(v, a + 1, context)));
          } else if (k === 3) {
            const t = randomText(r, r.int(0, 8));
            checks.push(m.aroundCallback(t, () => poke(depth + 1, `${context} > callback`)).then((v) => assert.equal(v, viaUtf8(t), context)));
          } else {
            const s = reentrantShape(depth + 1, `${context} > echoShape`);
            checks.push(m.echoShape(s.value).then((v) => assert.deepEqual(v, s.expected, context)));
          }
        };
        // A valid shape whose getters poke the module; `expected` is what echoShape must answer.
        const reentrantShape = (depth, context) => {
          const name = randomText(r, r.int(0, 12));
          const points = Array.from({ length: r.int(0, 3) }, () => ({ x: r.int(-9, 9), y: r.next(), label: r.chance(0.5) ? 'l' : undefined }));
          const sides = r.int(0, 100);
          const value = {
            get name() { poke(depth, context); return name; },
            get points() {
              poke(depth, context);
              return points.map((p) => ({ get x() { poke(depth, context); return p.x; }, y: p.y, label: p.label }));
            },
            get sides() { poke(depth, context); return sides; },
          };
          return { value, expected: { name: viaUtf8(name), points, sides, tags: undefined } };
        };
        for (let i = 0; i < PER_BATCH; i++) {
          const context = `seed ${seed}, call ${i}`;
          const k = r.int(0, 2);
          if (k === 0) {
            const s = reentrantShape(0, context);
            checks.push(m.echoShape(s.value).then((v) => assert.deepEqual(v, s.expected, context)));
          } else if (k === 1) {
            const xs = Array.from({ length: r.int(1, 6) }, () => r.int(0, 1000));
            const values = xs.slice();
            for (let j = 0; j < xs.length; j++) Object.defineProperty(values, j, { get: () => { poke(0, context); return xs[j]; } });
            assert.equal(m.sum(values), xs.reduce((t, v) => t + BigInt(v), 0n), context);
          } else {
            const t = randomText(r, r.int(0, 30));
            checks.push(m.aroundCallback(t, () => poke(0, `${context} > callback`)).then((v) => assert.equal(v, viaUtf8(t), context)));
          }
        }
        await Promise.all(checks);
        await assertReleased(m);
      }
      await assertHealthy('after the batches');
    });

    test('property: checkedDiv and repeat answer every int32 and size, or fail as errors', { timeout: 60000 }, async () => {
      const edges = [0, 1, -1, 2, -2, 2147483647, -2147483648, 2147483646, -2147483647];
      for (let batch = 0; batch < BATCHES; batch++) {
        const seed = 0x5eed0e00 + batch;
        const r = prng(seed);
        const int32 = () => (r.chance(0.5) ? r.pick(edges) : r.int(-2147483648, 2147483647));
        for (let i = 0; i < PER_BATCH; i++) {
          const context = `seed ${seed}, call ${i}`;
          if (r.chance(0.5)) {
            const a = int32();
            const b = int32();
            const o = await outcome(() => m.checkedDiv(a, b));
            if (b === 0 || (a === -2147483648 && b === -1)) assert.equal(o.error?.code, 'invalid_argument', `${context}: ${a} / ${b}`);
            else assert.equal(o.value, (a / b) | 0, `${context}: ${a} / ${b}`);
          } else {
            const text = randomText(r, r.pick([0, 1, 2, 5]));
            const sep = r.chance(0.5) ? undefined : randomText(r, r.int(0, 2));
            const times = r.pick([-5, 0, 1, 2, r.int(0, 300), 2147483647, r.int(1 << 24, 2147483647)]);
            const o = await outcome(() => m.repeat(text, times, sep));
            const joiner = viaUtf8(sep ?? ', ');
            const bytes = times <= 0 ? 0 : times * utf8Bytes(text) + (times - 1) * utf8Bytes(joiner);
            if (bytes > 64 * 1024 * 1024) {
              assert.equal(o.error?.code, 'invalid_argument', `${context}: ${bytes} bytes`);
            } else {
              assert.ok(!o.error, `${context}: ${o.error}`);
              if (bytes < 1e5) assert.equal(o.value, bytes === 0 ? '' : Array(times).fill(viaUtf8(text)).join(joiner), context);
              else assert.equal(utf8Bytes(o.value), bytes, context);
            }
          }
        }
        assert.equal(await m.wait({ delayMs: 1 }), 1, `seed ${seed}: timers run`);
        await assertReleased(m);
      }
    });
  });
}
