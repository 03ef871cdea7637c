// Each line marked "expect error" must fail to type-check against fixture.d.ts
// (generator.test.mjs checks that tsc reports exactly these lines).
import load, { WasyncError } from '../fixture/fixture.js';

export async function misuse(): Promise<void> {
  const m = await load();
  await m.add(1, '2'); // expect error
  await m.add(1); // expect error
  const s: string = await m.add(1, 2); // expect error
  m.negate64(5); // expect error
  m.sum(['1']); // expect error
  await m.echoShape({ name: 'n', points: [{ x: 1 }], sides: 1 }); // expect error
  await m.echoShape({ name: 'n', points: [], sides: 1, tags: [1] }); // expect error
  await m.reverseBytes([1, 2]); // expect error
  await m.wait({ delayMs: '5' }); // expect error
  await m.add(1, 2, { signal: 'no' }); // expect error
  const n: number = m.maybe(true); // expect error
  m.notExported(); // expect error
  new WasyncError('m', 'no_such_code'); // expect error
  const e = new WasyncError('m', 'timeout');
  if (e.code === 'timed_out') void e; // expect error
  void s;
  void n;
}
