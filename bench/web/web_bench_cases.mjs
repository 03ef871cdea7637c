// The web benchmarks as one function that runs wherever the modules load: in
// Node (web_bench.mjs) and in a Chromium page (the same file, served). Each
// pits wasync (build/bench-wasm/bench/*.mjs) against the same work in plain
// JavaScript, or against the same C++ program on Emscripten's ASYNCIFY.
const AWAITS = 1_000_000;
const FETCHES = 1000;
const ECHOES = 25_000;  // per round: 100,000 in all
const ROUNDS = 3;  // best of, after one warm-up round (connections, JIT)
// The timers + fetch program: suspensions, 1 ms timers, sequential fetches,
// and the call depth of its deep suspensions.
const PROGRAM_ARGS = ['100000', '20', '100', '32'];
const PROGRAM_RUNS = 3;

async function best(f) {
  await f();
  let b = Infinity;
  for (let i = 0; i < ROUNDS; i++) b = Math.min(b, await f());
  return b;
}

// The best of each of two measurements taken in turns (after a warm-up of
// each): whichever ran first would pay for what the other then reuses
// (connections, a settled heap).
async function bestInTurns(f, g) {
  await f();
  await g();
  const b = [Infinity, Infinity];
  for (let i = 0; i < ROUNDS; i++) {
    b[0] = Math.min(b[0], await f());
    b[1] = Math.min(b[1], await g());
  }
  return b;
}

/// Runs a timers_fetch_* program to its "done" line; its "key value" lines as numbers.
async function runProgram(moduleUrl, args) {
  const factory = (await import(moduleUrl)).default;
  const out = {};
  await new Promise((resolve, reject) => {
    factory({
      arguments: args,
      // The program's exit must not end the process that runs the benches:
      // unwind with Emscripten's ExitStatus instead (it catches its own).
      noExitRuntime: true,
      quit: (status, toThrow) => {
        throw toThrow;
      },
      print: (line) => {
        const [key, value] = line.split(' ');
        if (key === 'done') resolve();
        else out[key] = Number(value);
      },
      printErr: (line) => reject(new Error(line)),
    }).catch(reject);
  });
  return out;
}

/**
 * Runs every web bench. `modules(name)` is the URL of build/bench-wasm/bench/<name>.mjs;
 * `url` answers any GET with 1 KiB; `wsUrl` echoes; `WebSocket` is the class to
 * use from JS; `impl` names the rows' implementations { wasync, js, asyncify };
 * `row(bench, impl, value, unit)` reports one result.
 */
export async function runWebBenches({ modules, url, wsUrl, WebSocket, impl, row }) {
  const mod = await (await import(modules('web_bench'))).default({ print: console.log, printErr: console.error });
  const cpp = (fn, ...args) => mod.wasyncJsTake(mod[`_bench_${fn}`](...args));

  // (1) awaiting an already-resolved Promise, from C++ and from a JS async function.
  {
    const resolved = Promise.resolve(1);
    const before = mod.wasyncDrainCount();
    const ms = await best(() => cpp('await_resolved', mod.wasyncJsPut(resolved), AWAITS));
    const crossings = (mod.wasyncDrainCount() - before) / ((ROUNDS + 1) * AWAITS);
    row('await_resolved_promise', impl.wasync, (ms * 1e6) / AWAITS, 'ns/await');
    row('await_resolved_promise_drains', impl.wasync, crossings, 'drains/await');
    const js = await best(async () => {
      const t0 = performance.now();
      for (let i = 0; i < AWAITS; i++) await resolved;
      return performance.now() - t0;
    });
    row('await_resolved_promise', impl.js, (js * 1e6) / AWAITS, 'ns/await');
  }

  // (2) 1,000 concurrent fetches of 1 KiB.
  {
    const [ms, js] = await bestInTurns(() => cpp('fetch_fanout', mod.wasyncJsPut(url), FETCHES), async () => {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: FETCHES }, () => fetch(url).then((r) => r.text())));
      return performance.now() - t0;
    });
    row('fetch_fanout_1000', impl.wasync, ms, 'ms');
    row('fetch_fanout_1000', impl.js, js, 'ms');
  }

  // (3) WebSocket echo round trips of 64 B.
  {
    const ms = await best(() => cpp('ws_echo', mod.wasyncJsPut(wsUrl), ECHOES, 64));
    row('websocket_echo_64b', impl.wasync, ECHOES / (ms / 1000), 'msg/s');
    const js = await best(async () => {
      const ws = new WebSocket(wsUrl);
      ws.binaryType = 'arraybuffer';
      await new Promise((r) => (ws.onopen = r));
      const t0 = performance.now();
      for (let i = 0; i < ECHOES; i++) {
        const got = new Promise((r) => (ws.onmessage = r));
        ws.send(new Uint8Array(64));
        await got;
      }
      const took = performance.now() - t0;
      ws.close();
      return took;
    });
    row('websocket_echo_64b', impl.js, ECHOES / (js / 1000), 'msg/s');
  }

  // (4) the same timers + fetch program on ASYNCIFY and on wasync: time per
  // suspension (an await of a settled Promise) and for the timers and fetches.
  for (const [name, who] of [['timers_fetch_asyncify', impl.asyncify], ['timers_fetch_wasync', impl.wasync]]) {
    const b = { suspension_ns: Infinity, deep_suspension_ns: Infinity, program_ms: Infinity };
    for (let i = 0; i < PROGRAM_RUNS; i++) {
      const r = await runProgram(modules(name), [url, ...PROGRAM_ARGS]);
      for (const k of Object.keys(b)) b[k] = Math.min(b[k], r[k]);
    }
    row('timers_fetch_suspension', who, b.suspension_ns, 'ns/suspension');
    row(`timers_fetch_suspension_depth_${PROGRAM_ARGS[3]}`, who, b.deep_suspension_ns, 'ns/suspension');
    row('timers_fetch_program', who, b.program_ms, 'ms');
  }
}
