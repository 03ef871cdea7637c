// wasync's operations library (conventions: loop.js). Everything in flight
// between C++ and JS has one op id, chosen by C++ (the web host's js_ops), in
// one id space both ways: an operation JS runs for C++ (`ops`: a fetch, a
// socket read; C++ may cancel it) and a C++ call JS awaits (`calls`, made by
// promises.js). JS never sees a C++ pointer.
//
// Settlements queue up as records (js_settlement: op id, status, value id,
// aux) and reach wasm together, written into a buffer before the next drain:
// one JS->wasm call per batch. C++ cancels an operation by id
// (wasync_web_cancel): JS stops it (abort(), close(), clearTimeout) and drops
// whatever it would have settled.
mergeInto(LibraryManager.library, {
  $wasyncOps: {
    ops: null,    // op id -> function that stops the operation (a Map)
    calls: null,  // op id -> C++ call a JS Promise awaits (a Map; promises.js)
    // Settlement records waiting for the next drain (an Int32Array grown by
    // doubling), laid out as js_settlement (`at`: its fields' int32 indices).
    pending: null,
    pendingCount: 0,  // records
    awaiting: 0,  // JS promises C++ awaits whose outcome has not come (promises.js)
    at: null,
    buffer: 0,       // wasm address of the settlement buffer
    bufferSize: 0,   // in records
    // An operation begins: `stop` runs if C++ cancels it first.
    begin: function(op, stop) {
      wasyncOps.ops.set(op, stop);
    },
    // Settles `op` with a JS value (put in the table for C++). False, and
    // nothing queued, when the op was cancelled or already settled.
    settle: function(op, status, value, aux) {
      if (!wasyncOps.ops.delete(op)) return false;
      wasyncOps.post(op, status, value, aux);
      return true;
    },
    // Queues a settlement record for an op never begun here (C++ drops one
    // for an op it withdrew, and releases its value).
    post: function(op, status, value, aux) {
      wasyncOps.record(op, status, value, aux);
      wasyncLoop.queueDrain();
    },
    // The outcome of a promise C++ awaited. The last one outstanding drains
    // at once, in its own reaction, instead of a microtask later: no other
    // awaited outcome can join its batch (with others outstanding, or a drain
    // already queued, it joins the batch as any settlement does). A C++ task
    // awaiting JS promises one after the other so costs one microtask per
    // await, as an async function does.
    awaited: function(op, status, value) {
      wasyncOps.record(op, status, value, 0);
      if (--wasyncOps.awaiting === 0 && !wasyncLoop.drainQueued) wasyncLoop.drain(false);
      else wasyncLoop.queueDrain();
    },
    // The pair of then() callbacks that hand an awaited promise's outcome
    // to `op`. Pairs are reused once one of them ran (a promise settles once):
    // an await allocates no closures, which in V8 cost as much as the then()
    // itself. A pair whose promise never settles stays with it.
    reactions: [],
    reaction: function(op) {
      let r = wasyncOps.reactions.pop();
      if (r === undefined) {
        const st = wasyncConst.status;
        const pair = { op: 0, fulfilled: null, rejected: null };
        pair.fulfilled = (v) => {
          const settled = pair.op;
          wasyncOps.reactions.push(pair);
          wasyncOps.awaited(settled, st.ok, v);
        };
        pair.rejected = (e) => {
          const settled = pair.op;
          wasyncOps.reactions.push(pair);
          wasyncOps.awaited(settled, st.jsError, wasyncJs.message(e));
        };
        r = pair;
      }
      r.op = op;
      return r;
    },
    // The record alone: the caller sees to the drain.
    record: function(op, status, value, aux) {
      const f = wasyncOps.at;
      const at = f.size * wasyncOps.pendingCount++;
      let q = wasyncOps.pending;
      if (at === q.length) {
        const grown = new Int32Array(2 * q.length);
        grown.set(q);
        q = wasyncOps.pending = grown;
      }
      q[at + f.op] = op;
      q[at + f.status] = status;
      q[at + f.value] = wasyncJs.put(value);
      q[at + f.aux] = aux | 0;
    },
    // Copies the queued records into wasm's settlement buffer for a drain;
    // their count.
    flush: function() {
      const n = wasyncOps.pendingCount;
      if (n === 0) return 0;
      if (n > wasyncOps.bufferSize) {
        wasyncOps.bufferSize = Math.max(n, 2 * wasyncOps.bufferSize, 64);
        wasyncOps.buffer = _wasync_web_settlement_buffer(wasyncOps.bufferSize);
      }
      // A loop, not HEAP32.set(subarray): most batches are small, and a
      // subarray is a new typed array object per drain.
      const q = wasyncOps.pending;
      const to = wasyncOps.buffer >> 2;
      const ints = n * wasyncOps.at.size;
      for (let i = 0; i < ints; i++) HEAP32[to + i] = q[i];
      wasyncOps.pendingCount = 0;
      return n;
    },
  },
  $wasyncOps__deps: ['$wasyncConst', '$wasyncJs', '$wasyncLoop', 'wasync_web_settlement_buffer'],
  $wasyncOps__postset: 'wasyncOps.ops = new Map();' +
    'wasyncOps.calls = new Map();' +
    'wasyncOps.at = ((s) => ({ op: s.op >> 2, status: s.status >> 2, value: s.value >> 2, aux: s.aux >> 2,' +
    '  size: s.sizeof >> 2 }))(wasyncConst.settlement);' +
    'wasyncOps.pending = new Int32Array(64 * wasyncOps.at.size);' +
    'Module["wasyncJsStats"] = () =>' +
    '  ({ values: wasyncJs.live, ops: wasyncOps.ops.size, calls: wasyncOps.calls.size });',

  wasync_web_cancel__deps: ['$wasyncOps'],
  wasync_web_cancel: function(op) {
    const stop = wasyncOps.ops.get(op);
    if (stop === undefined) return;  // settled already: C++ drops the record
    wasyncOps.ops.delete(op);
    if (stop) stop();
  },
});
