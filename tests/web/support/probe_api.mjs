// What the web tests need of a loaded probe module, in Node and in a browser
// page alike (no Node imports here): calls with JS values, the lines it
// prints, and a check that it released everything.

class Raw {
  constructor(n) {
    this.n = n;
  }
}
/// A probe argument passed as a plain int instead of a table id.
export const raw = (n) => new Raw(n);

/// The Emscripten factory options that route the probe's printed lines to attach().
export function lineOptions() {
  const lines = [];
  const waiters = [];
  return {
    lines,
    waiters,
    print(line) {
      lines.push(line);
      for (const w of waiters.splice(0)) if (!w(line)) waiters.push(w);
    },
  };
}

/**
 * Adds to a loaded probe module:
 *   mod.call(name, ...args): calls `_probe_<name>`; JS values go in as table
 *     ids, raw(n) as a plain int; the returned id comes back as its value (a
 *     Promise for async probes).
 *   mod.nextLine(prefix): the next printed line starting with `prefix` (a Promise).
 *   mod.takeLines(prefix): removes and returns the printed lines starting with `prefix`.
 */
export function attach(mod, printed) {
  mod.call = (fn, ...args) =>
    mod.wasyncJsTake(mod[`_probe_${fn}`](...args.map((a) => (a instanceof Raw ? a.n : mod.wasyncJsPut(a)))));
  const { lines, waiters } = printed;
  mod.nextLine = (prefix) => {
    const at = lines.findIndex((l) => l.startsWith(prefix));
    if (at >= 0) return Promise.resolve(lines.splice(at, 1)[0]);
    return new Promise((resolve) =>
      waiters.push((l) => {
        if (!l.startsWith(prefix)) return false;
        lines.splice(lines.indexOf(l), 1);
        resolve(l);
        return true;
      }),
    );
  };
  mod.takeLines = (prefix) => {
    const taken = lines.filter((l) => l.startsWith(prefix));
    for (const l of taken) lines.splice(lines.indexOf(l), 1);
    return taken;
  };
  return mod;
}

/// Waits (up to 2 s) until the module holds no live task, JS value, pending
/// op or call JS awaits; returns what it still holds then (all zero when released).
export async function waitReleased(mod) {
  const deadline = Date.now() + 2000;
  for (;;) {
    const stats = { tasks: mod._probe_live_tasks(), ...mod.wasyncJsStats() };
    const idle = stats.tasks === 0 && stats.values === 0 && stats.ops === 0 && stats.calls === 0;
    if (idle || Date.now() > deadline) return stats;
    await new Promise((r) => setTimeout(r, 5));
  }
}
