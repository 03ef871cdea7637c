// The web host on the JS event loop (web_host_probe): microtask drains, one
// timer, the drain budget. Each scenario runs in Node and in Chromium: it sees
// only `env` (the browser runner evaluates its source in the page).
//   env: { mod, assert, host ('node' | 'chromium'), sleep, nextTask, log }
//   nextTask(): resolves after the next macrotask turn.
export const webHostScenarios = [
  {
    name: 'timers fire in deadline order close to their deadlines',
    async run({ mod, assert }) {
      // Plain JS timers set at the same moment show how late this (possibly
      // loaded) machine runs timers at all; ours may be a little later still.
      const t0 = performance.now();
      const jsLate = [10, 20, 30].map((ms) => new Promise((r) => setTimeout(() => r(performance.now() - t0 - ms), ms)));
      mod._probe_timers();
      await mod.nextLine('done timers');
      const baseline = Math.max(0, ...(await Promise.all(jsLate)));
      const fired = mod.takeLines('timer ');
      assert.deepEqual(fired.map((l) => l.split(' ')[1]), ['10', '20', '30']);
      for (const l of fired) {
        const late = Number(l.split(' ')[3]);
        assert.ok(late >= -1 && late < 15 + baseline, `timer woke ${late} ms after its deadline (plain JS timers: ${baseline} ms)`);
      }
    },
  },
  {
    name: 'a sleep longer than setTimeout allows (2^31-1 ms) keeps the loop idle and the task asleep',
    async run({ mod, sleep, log, assert }) {
      // Node warns (TimeoutOverflowWarning) and fires an overflowing
      // setTimeout after 1 ms, browsers at once: re-armed with the same delay
      // on every wake, the host's one timer would spin.
      const warnings = [];
      const onWarning = (w) => warnings.push(w.name);
      globalThis.process?.on?.('warning', onWarning);
      try {
        const before = mod.wasyncDrainCount();
        mod._probe_long_sleep(3e9);  // about 35 days
        await sleep(1000);
        const wakes = mod.wasyncDrainCount() - before;
        log(`host wake-ups in the second after a 3e9 ms sleep began: ${wakes}`);
        assert.ok(wakes <= 5, `${wakes} host wake-ups in a second with nothing due`);
        assert.deepEqual(mod.takeLines('long sleep'), [], 'the task still sleeps');
      } finally {
        mod._probe_cancel_long_sleep();
        await mod.nextLine('long sleep cancelled');
        await sleep(0);  // a warning is emitted on the next tick
        globalThis.process?.off?.('warning', onWarning);
      }
      assert.deepEqual(warnings, []);
    },
  },
  {
    name: 'a deadline past 2^31-1 ms is approached in clamped steps, re-armed at each early wake',
    async run({ mod, sleep, assert }) {
      // Simulates the passing of 24.8 days: a clamped timer fires after 5 ms.
      const realSetTimeout = globalThis.setTimeout;
      const armed = [];
      globalThis.setTimeout = (fn, ms, ...args) => {
        if (ms < 2 ** 31 - 1e6) return realSetTimeout(fn, ms, ...args);
        armed.push(ms);
        return realSetTimeout(fn, 5, ...args);
      };
      try {
        mod._probe_long_sleep(2 ** 31 + 60_000);
        await sleep(200);
      } finally {
        globalThis.setTimeout = realSetTimeout;
        mod._probe_cancel_long_sleep();
        await mod.nextLine('long sleep cancelled');
      }
      assert.deepEqual(mod.takeLines('long sleep woke'), [], 'the deadline is still far');
      assert.ok(armed.length >= 3, `the timer was armed ${armed.length} times`);
      assert.deepEqual(armed.filter((ms) => ms > 2 ** 31 - 1), [], 'every delay fits setTimeout');
    },
  },
  {
    name: 'a 100-step chain of zero-delay sleeps takes under 5 ms (no setTimeout clamping)',
    async run({ mod, host, log, assert }) {
      mod._probe_chain(100);
      const ms = Number((await mod.nextLine('done chain')).split(' ')[2]);
      // The same chain of plain setTimeout(0) in the same page: browsers clamp
      // nested timeouts to 4 ms after five levels, so 95 x 4 ms at least.
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) await new Promise((r) => setTimeout(r, 0));
      const naive = performance.now() - t0;
      log(`100 zero-delay sleeps: wasync ${ms.toFixed(2)} ms, setTimeout(0) chain ${naive.toFixed(1)} ms`);
      assert.ok(ms < 5, `100 zero-delay sleeps took ${ms} ms`);
      if (host === 'chromium') assert.ok(naive >= 380, `a naive setTimeout chain took only ${naive} ms`);
    },
  },
  {
    name: 'C++ continuations run in the same microtask checkpoint as JS promise continuations',
    async run({ mod, assert }) {
      const order = [];
      const seen = mod.nextLine('cpp 1').then(() => order.push('cpp'));
      Promise.resolve().then(() => order.push('js before'));
      mod._probe_note(1);
      await Promise.resolve();
      await seen;
      order.push('after');
      assert.deepEqual(order, ['js before', 'cpp', 'after']);
    },
  },
  {
    name: 'work readied in one synchronous JS call costs one drain crossing',
    async run({ mod, nextTask, assert }) {
      const before = mod.wasyncDrainCount();
      const t0 = performance.now();
      mod._probe_spawn_many(1000);
      await nextTask();
      // On a loaded machine the batch may outlast the 4 ms drain budget and
      // rightly continue in a macrotask; only then may it take more crossings.
      while (mod._probe_live_tasks() > 0) await nextTask();
      const took = performance.now() - t0;
      const crossings = mod.wasyncDrainCount() - before;
      if (crossings > 1) assert.ok(took >= 4, `${crossings} drain crossings for a batch that took only ${took} ms`);
    },
  },
  {
    name: 'a long C++ job split by the drain budget keeps JS timers and frames running',
    async run({ mod, host, log, assert }) {
      // 300 slices of 1 ms of busy work: 300 ms in all. Without a budget the JS
      // loop would be blocked the whole time; with it, JS gets a turn every few
      // ms, and a browser still paints its frames.
      let last = performance.now();
      const gaps = [];
      const tick = setInterval(() => {
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }, 0);
      const frames = { count: 0, last: 0, longestGap: 0, running: typeof requestAnimationFrame === 'function' };
      const onFrame = (now) => {
        if (frames.last) frames.longestGap = Math.max(frames.longestGap, now - frames.last);
        frames.last = now;
        frames.count++;
        if (frames.running) requestAnimationFrame(onFrame);
      };
      if (frames.running) requestAnimationFrame(onFrame);
      const t0 = performance.now();
      mod._probe_cpu(300, 1.0);
      await mod.nextLine('done cpu');
      clearInterval(tick);
      frames.running = false;
      const total = performance.now() - t0;
      const sorted = [...gaps].sort((a, b) => a - b);
      const longestGap = sorted[sorted.length - 1];
      const p90 = sorted[Math.floor(sorted.length * 0.9)];
      log(`cpu job ${total.toFixed(0)} ms: JS interval ran ${gaps.length} times, gaps p90 ${p90.toFixed(1)} ms, ` +
        `longest ${longestGap.toFixed(1)} ms` +
        (host === 'chromium' ? `; ${frames.count} frames, longest frame gap ${frames.longestGap.toFixed(1)} ms` : ''));
      assert.ok(total >= 300, 'the job really took 300 ms');
      assert.ok(gaps.length >= 20, `JS timers ran only ${gaps.length} times during a 300 ms job`);
      // A blocked loop would show one gap as long as the whole job. The bounds
      // leave room for a loaded 2-core machine preempting this process (the
      // job then takes longer too); the 90th percentile says JS got its turns
      // regularly (a browser also renders between tasks).
      const longestBound = Math.max(100, total / 3);
      assert.ok(longestGap < longestBound, `longest gap without a JS turn: ${longestGap} ms`);
      assert.ok(p90 < Math.max(host === 'chromium' ? 75 : 30, total / 10), `90th percentile gap between JS turns: ${p90} ms`);
      if (host === 'chromium') {
        // 60 Hz frames: a 300 ms job spans about 18; a blocked loop paints none.
        assert.ok(frames.count >= 10, `only ${frames.count} frames painted during a 300 ms job`);
        assert.ok(frames.longestGap < longestBound, `longest gap between frames: ${frames.longestGap} ms`);
      }
    },
  },
];
