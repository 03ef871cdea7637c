// JS interop: js_value conversions, C++ awaiting JS Promises, C++ tasks as Promises.
import { test, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { loadProbe, skipUnlessBuilt, assertReleased, raw } from './support/probe.mjs';

const skip = skipUnlessBuilt('web_io_probe');
const timeout = 20_000;  // per test: a hang fails the test instead of stalling the suite
let mod;
before(async () => {
  if (!skip) mod = await loadProbe('web_io_probe');
});
afterEach(async () => {
  if (mod) await assertReleased(mod);
});

test('values convert both ways: strings (UTF-8), numbers, booleans, bytes', { skip, timeout }, () => {
  assert.deepEqual(mod.call('inspect', 'héllo ☃'), { type: 4, string: 'héllo ☃!' });
  assert.deepEqual(mod.call('inspect', 21.5), { type: 3, number: 43 });
  assert.deepEqual(mod.call('inspect', true), { type: 2, boolean: false });
  assert.deepEqual(mod.call('inspect', new Uint8Array([1, 2, 255])), { type: 5, bytes: new Uint8Array([2, 3, 0]) });
  assert.deepEqual(mod.call('inspect', new Uint16Array([0x0201]).buffer), { type: 5, bytes: new Uint8Array([2, 3]) });
  assert.deepEqual(mod.call('inspect', null), { type: 1 });
  assert.deepEqual(mod.call('inspect', undefined), { type: 0 });
  assert.deepEqual(mod.call('inspect', { a: 1 }), { type: 7 });
  assert.equal(mod.call('global', 'Math'), Math);
});

test('calling a JS method from C++ passes arguments and returns the result; a throw becomes js_error', { skip, timeout }, () => {
  const target = { add(n, s) { return n + 1 + s; }, boom() { throw new RangeError('kaboom'); } };
  assert.equal(mod.call('call', target, 'add'), '21x');
  assert.equal(mod.call('call', target, 'boom'), 'error js_error: kaboom');
  assert.equal(mod.call('call', target, 'missing'), 'error js_error: missing is not a function');
});

test('C++ awaits a resolved, a later-resolved and a non-promise value', { skip, timeout }, async () => {
  assert.equal(await mod.call('await_text', Promise.resolve('now')), 'string now');
  assert.equal(await mod.call('await_text', new Promise((r) => setTimeout(() => r(7), 20))), 'number 7');
  assert.equal(await mod.call('await_text', new Uint8Array(5)), 'bytes 5');
});

test('a JS rejection awaited from C++ is errc::js_error with the JS message', { skip, timeout }, async () => {
  assert.equal(await mod.call('await_text', Promise.reject(new TypeError('bad thing'))), 'error js_error: bad thing');
  assert.equal(await mod.call('await_text', Promise.reject('plain string')), 'error js_error: plain string');
  // Without as_result the rejection unwinds the C++ task, and its promise rejects.
  await assert.rejects(mod.call('await_propagating', Promise.reject(new Error('deep'))), { code: 'js_error', message: 'deep' });
  assert.equal(await mod.call('await_propagating', Promise.resolve('fine')), 'fine');
});

test('a C++ task turned into a Promise resolves with its value or rejects with code and message', { skip, timeout }, async () => {
  assert.equal(await mod.call('promised', raw(0), undefined), 'hello');
  assert.equal(await mod.call('promised', raw(1), undefined), 42);
  assert.deepEqual(await mod.call('promised', raw(2), undefined), new Uint8Array([1, 2, 3]));
  await assert.rejects(mod.call('promised', raw(3), undefined), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'timeout');
    assert.equal(e.message, 'too slow');
    return true;
  });
});

test('aborting the AbortSignal cancels the C++ task behind a Promise', { skip, timeout }, async () => {
  const ac = new AbortController();
  const p = mod.call('promised', raw(4), ac.signal);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(mod._probe_live_tasks(), 2, 'the promised task and its bridge are running');
  ac.abort();
  await assert.rejects(p, { code: 'cancelled', message: 'aborted by its AbortSignal' });
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(mod.call('promised', raw(4), pre.signal), { code: 'cancelled' });
});

test('many awaits in flight settle in one drain crossing per batch', { skip, timeout }, async () => {
  const promises = Array.from({ length: 1000 }, (_, i) => Promise.resolve(i));
  const before = mod.wasyncDrainCount();
  const results = await Promise.all(promises.map((p) => mod.call('await_text', p)));
  const crossings = mod.wasyncDrainCount() - before;
  assert.equal(results[999], 'number 999');
  assert.ok(crossings <= 4, `${crossings} drain crossings for 1000 awaits`);
});
