// Type-checks against fixture.d.ts: every call here is correct use.
import load, { WasyncError, type FixtureModule, type Point, type Shape, type WasyncErrorCode } from '../fixture/fixture.js';

export async function use(): Promise<void> {
  const m: FixtureModule = await load({ wasm: new Uint8Array(0) });
  const sum: number = await m.add(1, 2);
  const big: bigint = m.sum([1, 2, 3]) + m.negate64(5n);
  const text: string = m.repeat('a', 2) + m.repeat('b', 2, '-');
  const maybe: string | undefined = m.maybe(true);
  const p: Point = { x: 1, y: 2 };
  const s: Shape = await m.echoShape({ name: 'n', points: [p, { x: 0, y: 0, label: 'o' }], sides: 2, tags: [1n] });
  const bytes: Uint8Array = await m.reverseBytes(new Uint8Array(4));
  const delay: number = await m.wait({ delayMs: 5, signal: new AbortController().signal });
  await m.wait();
  const done: void = await m.nothing({ signal: AbortSignal.timeout(10) });
  const anything: unknown = m.passThrough({ any: 'thing' });
  const n: number = m.checkedDiv(4, 2) + (await m.countBytes(bytes)) + (await m.utf8Length(text));
  const { tasks, calls, values, ops } = m.wasyncDebug();
  try {
    await m.add(1, 2);
  } catch (e) {
    if (e instanceof WasyncError) {
      const code: WasyncErrorCode = e.code;
      if (e.code === 'timeout' || e.code === 'invalid_argument') void code;
      const errc: number | undefined = e.errc;
      void errc;
    }
  }
  const made: WasyncError = new WasyncError('in JS', 'not_found');
  void [sum, big, maybe, s, delay, done, anything, n, tasks, calls, values, ops, made];
}
