// Node peer for the core benches: idiomatic async/await versions of spawn, ping_pong and sleepers.
// Run as `node --expose-gc bench/node/core_bench.mjs`; prints one JSON line per bench on stdout.

const IMPL = 'node';
const RUNS = 3;

function emit(bench, value, unit) {
  console.log(JSON.stringify({ bench, impl: IMPL, value: Number(value.toFixed(1)), unit }));
}

// Best of RUNS after one smaller warm-up, so the figure reflects JIT-compiled code, not tiering.
async function bestOf(fn, n, warmupN) {
  await fn(warmupN);
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) best = Math.min(best, await fn(n));
  return best;
}

// --- spawn: calling an async function starts it; the promise is the task handle. ---

async function trivial(i) {
  return i;
}

// `batch` tasks at a time (every one alive at once when batch is n), as bench/core_bench.cpp.
async function spawnRun(n, batch = n) {
  const start = process.hrtime.bigint();
  const tasks = new Array(batch);
  let sum = 0;
  for (let first = 0; first < n; first += batch) {
    for (let i = 0; i < batch; i++) tasks[i] = trivial(first + i);
    for (let i = 0; i < batch; i++) sum += await tasks[i];
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  // The checked sum keeps the work observable, so nothing can be optimised away.
  if (sum !== (n * (n - 1)) / 2) throw new Error(`spawn: bad sum ${sum}`);
  return elapsed / n;
}

// --- ping_pong: two tasks exchanging messages through bounded promise queues. ---

// A bounded FIFO queue as a JS developer would write it: waiting getters and putters park
// their resolvers in arrays. A put with a getter waiting hands the item over directly, so
// the peer is not handicapped by a needless round trip through `items`.
// Invariants: getters non-empty => items empty; putters non-empty => items full.
class AsyncQueue {
  constructor(maxsize) {
    this.maxsize = maxsize;
    this.items = [];
    this.getters = []; // resolve(item)
    this.putters = []; // { item, resolve }
  }

  put(item) {
    if (this.getters.length > 0) {
      this.getters.shift()(item);
      return Promise.resolve();
    }
    if (this.items.length < this.maxsize) {
      this.items.push(item);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.putters.push({ item, resolve }));
  }

  get() {
    if (this.items.length > 0) {
      const item = this.items.shift();
      // A slot just freed up: admit the oldest blocked putter.
      if (this.putters.length > 0) {
        const putter = this.putters.shift();
        this.items.push(putter.item);
        putter.resolve();
      }
      return Promise.resolve(item);
    }
    return new Promise((resolve) => this.getters.push(resolve));
  }
}

async function pingPongRun(roundTrips) {
  const q1 = new AsyncQueue(1);
  const q2 = new AsyncQueue(1);
  const start = process.hrtime.bigint();
  const a = (async () => {
    for (let i = 0; i < roundTrips; i++) {
      await q1.put(i);
      if ((await q2.get()) !== i) throw new Error('ping_pong: message out of order');
    }
  })();
  const b = (async () => {
    for (let i = 0; i < roundTrips; i++) await q2.put(await q1.get());
  })();
  await Promise.all([a, b]);
  const elapsed = Number(process.hrtime.bigint() - start);
  return elapsed / (2 * roundTrips); // a round trip is two hops
}

// --- sleepers: heap cost of a suspended task waiting on a timer. ---

async function sleepersBytesPerTask(n) {
  if (typeof globalThis.gc !== 'function') {
    console.error('node core_bench: gc() unavailable (run with --expose-gc); sleepers figure is noisy');
  }
  const collect = () => globalThis.gc?.();
  // Allocated before the baseline: the handle list is harness bookkeeping, not task cost.
  const timers = new Array(n).fill(null);
  const sleep = (ms, slot) => new Promise((resolve) => { timers[slot] = setTimeout(resolve, ms); });
  async function sleeper(i) {
    await sleep(60_000 + i, i);
  }

  collect();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) sleeper(i);
  collect();
  const after = process.memoryUsage().heapUsed;
  // Clearing the timers lets the process exit instead of waiting a minute.
  for (const t of timers) clearTimeout(t);
  return (after - before) / n;
}

emit('spawn', await bestOf(spawnRun, 1_000_000, 100_000), 'ns/task');
emit('spawn_fanout_1000', await bestOf((n) => spawnRun(n, 1000), 1_000_000, 100_000), 'ns/task');
emit('ping_pong', await bestOf(pingPongRun, 1_000_000, 100_000), 'ns/hop');
emit('sleepers_bytes_per_task', await sleepersBytesPerTask(100_000), 'bytes/task');
