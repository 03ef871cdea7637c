// wasync's Emscripten JS library: maps the loop onto the JS event loop.
// Ready C++ tasks drain in a microtask (one queueMicrotask per batch, as
// wasm-bindgen-futures does); a drain past its budget continues in a
// macrotask (MessageChannel in browsers, setImmediate in Node; setTimeout(0)
// is clamped); every timer shares one setTimeout armed for the earliest deadline.
mergeInto(LibraryManager.library, {
  $wasyncWeb: {
    drainQueued: false,
    timer: null,
    channel: null,
    crossings: 0,  // JS -> wasm drain calls, read by tests and benches
    drain: function(fromTimer) {
      wasyncWeb.crossings++;
      callUserCallback(() => _wasync_web_drain(fromTimer ? 1 : 0));
    },
  },
  $wasyncWeb__deps: ['$callUserCallback', 'wasync_web_drain'],
  $wasyncWeb__postset: 'Module["wasyncDrainCount"] = () => wasyncWeb.crossings;',

  wasync_web_notify__deps: ['$wasyncWeb'],
  wasync_web_notify: function() {
    if (wasyncWeb.drainQueued) return;
    wasyncWeb.drainQueued = true;
    queueMicrotask(() => {
      wasyncWeb.drainQueued = false;
      wasyncWeb.drain(false);
    });
  },

  wasync_web_yield__deps: ['$wasyncWeb'],
  wasync_web_yield: function() {
    // Node: setImmediate runs after timers and I/O had their turn; a
    // MessagePort there drains every message it is sent before anything else.
    if (typeof setImmediate === 'function') {
      setImmediate(() => wasyncWeb.drain(false));
      return;
    }
    let ch = wasyncWeb.channel;
    if (!ch) {
      ch = wasyncWeb.channel = new MessageChannel();
      ch.port1.onmessage = () => wasyncWeb.drain(false);
    }
    ch.port2.postMessage(0);
  },

  wasync_web_arm_timer__deps: ['$wasyncWeb'],
  wasync_web_arm_timer: function(delayMs) {
    if (wasyncWeb.timer !== null) clearTimeout(wasyncWeb.timer);
    wasyncWeb.timer = null;
    if (delayMs < 0) return;
    wasyncWeb.timer = setTimeout(() => {
      wasyncWeb.timer = null;
      wasyncWeb.drain(true);
    }, delayMs);
  },

  wasync_web_keepalive__deps: ['$runtimeKeepalivePush', '$runtimeKeepalivePop'],
  wasync_web_keepalive: function(hold) {
    if (hold) runtimeKeepalivePush();
    else runtimeKeepalivePop();
  },
});
