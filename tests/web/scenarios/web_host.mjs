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
      // A blocked loop would show one gap of 300 ms. The bounds leave room for
      // a loaded 2-core machine preempting this process; the 90th percentile
      // says JS got its turns regularly (a browser also renders between tasks).
      assert.ok(longestGap < 100, `longest gap without a JS turn: ${longestGap} ms`);
      assert.ok(p90 < (host === 'chromium' ? 50 : 30), `90th percentile gap between JS turns: ${p90} ms`);
      if (host === 'chromium') {
        // 60 Hz frames: a 300 ms job spans about 18; a blocked loop paints none.
        assert.ok(frames.count >= 10, `only ${frames.count} frames painted during a 300 ms job`);
        assert.ok(frames.longestGap < 100, `longest gap between frames: ${frames.longestGap} ms`);
      }
    },
  },
];
