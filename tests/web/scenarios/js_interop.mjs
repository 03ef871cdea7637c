// JS interop (web_io_probe): js_value conversions, C++ awaiting JS Promises,
// C++ tasks as Promises. Each scenario runs in Node and in Chromium: it sees
// only `env` (the browser runner evaluates its source in the page).
//   env: { mod, call, raw, assert, host, sleep, log }
export const jsInteropScenarios = [
  {
    name: 'values convert both ways: strings (UTF-8), numbers, booleans, bytes',
    async run({ call, assert }) {
      assert.deepEqual(call('inspect', 'héllo ☃'), { type: 4, string: 'héllo ☃!' });
      assert.deepEqual(call('inspect', 21.5), { type: 3, number: 43 });
      assert.deepEqual(call('inspect', true), { type: 2, boolean: false });
      assert.deepEqual(call('inspect', new Uint8Array([1, 2, 255])), { type: 5, bytes: new Uint8Array([2, 3, 0]) });
      assert.deepEqual(call('inspect', new Uint16Array([0x0201]).buffer), { type: 5, bytes: new Uint8Array([2, 3]) });
      assert.deepEqual(call('inspect', null), { type: 1 });
      assert.deepEqual(call('inspect', undefined), { type: 0 });
      assert.deepEqual(call('inspect', { a: 1 }), { type: 7 });
      assert.ok(call('global', 'Math') === Math, 'js_value::global("Math") is Math');
    },
  },
  {
    name: 'undefined, null, true and false have fixed table ids: crossing either way takes no table entry',
    async run({ mod, call, assert }) {
      const slot = mod.wasyncConst.slot;
      const fixed = [slot.undefinedId, slot.nullId, slot.trueId, slot.falseId];
      const before = mod.wasyncJsStats().values;
      for (let i = 0; i < 3; i++) assert.deepEqual([undefined, null, true, false].map((v) => mod.wasyncJsPut(v)), fixed);
      assert.equal(mod.wasyncJsStats().values, before, 'no table entry was taken');
      assert.deepEqual(fixed.map((id) => mod.wasyncJsTake(id)), [undefined, null, true, false]);
      assert.deepEqual(fixed.map((id) => mod.wasyncJsTake(id)), [undefined, null, true, false], 'taking frees nothing');
      const cpp = call('fixed_ids');
      assert.equal(cpp.ids, `${slot.nullId} ${slot.trueId} ${slot.falseId}`, 'js_value::null() and boolean() use the fixed ids');
      assert.equal(cpp.copies, cpp.ids, 'a copy keeps the fixed id');
      assert.equal(cpp.types, `${mod.wasyncConst.type.null} ${mod.wasyncConst.type.boolean}`);
      assert.equal(cpp.values, 'true false');
    },
  },
  {
    name: 'calling a JS method from C++ passes arguments and returns the result; a throw becomes js_error',
    async run({ call, assert }) {
      const target = { add(n, s) { return n + 1 + s; }, boom() { throw new RangeError('kaboom'); } };
      assert.equal(call('call', target, 'add'), '21x');
      assert.equal(call('call', target, 'boom'), 'error js_error: kaboom');
      assert.equal(call('call', target, 'missing'), 'error js_error: missing is not a function');
    },
  },
  {
    name: 'C++ awaits a resolved, a later-resolved and a non-promise value',
    async run({ call, assert }) {
      assert.equal(await call('await_text', Promise.resolve('now')), 'string now');
      assert.equal(await call('await_text', new Promise((r) => setTimeout(() => r(7), 20))), 'number 7');
      assert.equal(await call('await_text', new Uint8Array(5)), 'bytes 5');
    },
  },
  {
    name: 'a JS rejection awaited from C++ is errc::js_error with the JS message',
    async run({ call, assert }) {
      assert.equal(await call('await_text', Promise.reject(new TypeError('bad thing'))), 'error js_error: bad thing');
      assert.equal(await call('await_text', Promise.reject('plain string')), 'error js_error: plain string');
      // Without as_result the rejection unwinds the C++ task, and its promise rejects.
      await assert.rejects(call('await_propagating', Promise.reject(new Error('deep'))), { code: 'js_error', message: 'deep' });
      assert.equal(await call('await_propagating', Promise.resolve('fine')), 'fine');
    },
  },
  {
    name: 'a C++ task turned into a Promise resolves with its value or rejects with code and message',
    async run({ call, raw, assert }) {
      assert.equal(await call('promised', raw(0), undefined), 'hello');
      assert.equal(await call('promised', raw(1), undefined), 42);
      assert.deepEqual(await call('promised', raw(2), undefined), new Uint8Array([1, 2, 3]));
      const failed = await call('promised', raw(3), undefined).catch((e) => e);
      assert.ok(failed instanceof Error, 'the rejection is an Error');
      assert.equal(failed.code, 'timeout');
      assert.equal(failed.message, 'too slow');
    },
  },
  {
    name: 'aborting the AbortSignal cancels the C++ task behind a Promise, which rejects with the signal\'s reason',
    async run({ mod, call, raw, sleep, assert }) {
      const ac = new AbortController();
      const p = call('promised', raw(4), ac.signal);
      await sleep(10);
      assert.equal(mod._probe_live_tasks(), 1, 'the promised task is running (its Promise waits by op id, not in a task)');
      ac.abort();
      await assert.rejects(p, (e) => e === ac.signal.reason && e.name === 'AbortError' && e.code === 'cancelled');
      const pre = new AbortController();
      const reason = new Error('mine');
      pre.abort(reason);
      await assert.rejects(call('promised', raw(4), pre.signal), (e) => e === reason && e.code === 'cancelled');
    },
  },
  {
    name: 'only a real AbortSignal cancels a Promise\'s C++ task: a look-alike is never read nor called',
    async run({ call, raw, assert }) {
      let touched = 0;
      const lookAlikes = [
        { get aborted() { touched++; return true; }, addEventListener() { touched++; } },
        { aborted: false, addEventListener(type, f) { touched++; f(); } },
        Object.create(AbortSignal.prototype),
        null,
        42,
      ];
      for (const signal of lookAlikes) assert.equal(await call('promised', raw(0), signal), 'hello');
      assert.equal(touched, 0);
    },
  },
  {
    name: 'thousands of awaits in flight, settled in shuffled order, each reach their own task (twice: the second round reuses the first\'s then() callbacks)',
    async run({ mod, call, assert }) {
      const n = 3000;
      let seed = 12345;
      for (let round = 0; round < 2; round++) {
        const resolvers = [];
        const pending = Array.from({ length: n }, (_, i) => call('await_text', new Promise((r) => (resolvers[i] = r))));
        // A fixed shuffle (LCG), so a failure reproduces.
        const order = resolvers.map((_, i) => i);
        for (let i = n - 1; i > 0; i--) {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          const j = seed % (i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        for (const i of order) resolvers[i](`v${round}.${i}`);
        const results = await Promise.all(pending);
        assert.deepEqual(results.filter((r, i) => r !== `string v${round}.${i}`), []);
        assert.equal(mod._probe_live_tasks(), 0);
        assert.equal(mod.wasyncJsStats().ops, 0, 'no JS operation left registered');
      }
    },
  },
  {
    name: 'the values of thousands of awaits settled together all go back to the table',
    async run({ mod, call, assert }) {
      const before = mod.wasyncJsStats().values;
      const results = await Promise.all(Array.from({ length: 3000 }, (_, i) => call('await_text', Promise.resolve({ i }))));
      assert.equal(results[2999], 'other');
      assert.equal(mod.wasyncJsStats().values, before, 'every value C++ dropped was released');
    },
  },
  {
    name: 'a task awaiting settled promises one after the other costs one microtask per await, as a JS async function',
    async run({ call, raw, assert }) {
      // A JS loop of `await null` beside it: both take their turns in the
      // microtask queue, so the loop counts the microtasks each C++ await
      // took (two when the outcome waits for a drain of its own).
      const n = 200;
      for (const [make, rejections] of [[() => Promise.resolve(1), 0], [() => Promise.reject(new Error('no')), n]]) {
        let done = false;
        let ticks = 0;
        const awaits = call('await_repeatedly', make(), raw(n)).finally(() => {
          done = true;
        });
        while (!done) {
          ticks++;
          await null;
        }
        assert.equal(await awaits, rejections);
        assert.ok(ticks <= 1.25 * n, `${ticks} JS microtasks went by during ${n} C++ awaits`);
      }
    },
  },
  {
    name: 'many awaits in flight settle in one drain crossing per batch',
    async run({ mod, call, assert }) {
      const promises = Array.from({ length: 1000 }, (_, i) => Promise.resolve(i));
      const before = mod.wasyncDrainCount();
      const t0 = performance.now();
      const results = await Promise.all(promises.map((p) => call('await_text', p)));
      const took = performance.now() - t0;
      const crossings = mod.wasyncDrainCount() - before;
      assert.equal(results[999], 'number 999');
      // A drain yields only after its 4 ms budget: on a loaded machine each
      // crossing past the first few must have cost that much.
      assert.ok(crossings <= 4 || took >= 4 * (crossings - 4), `${crossings} drain crossings for 1000 awaits in ${took} ms`);
    },
  },
];
