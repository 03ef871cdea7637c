// For tests of generated modules: waits until a module holds nothing (no live
// C++ task, call awaiting C++, JS value held by C++ or pending JS operation).
import assert from 'node:assert/strict';

export async function assertReleased(m) {
  const deadline = Date.now() + 2000;
  for (;;) {
    const stats = m.wasyncDebug();
    if (stats.tasks === 0 && stats.calls === 0 && stats.values === 0 && stats.ops === 0) return;
    if (Date.now() > deadline) assert.deepEqual(stats, { tasks: 0, calls: 0, values: 0, ops: 0 }, 'resources left');
    await new Promise((r) => setTimeout(r, 5));
  }
}
