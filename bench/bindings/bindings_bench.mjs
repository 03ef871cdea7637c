// JS -> C++ async calls through generated bindings against plain JS async
// functions (bindings_bench_cases.mjs), in Node and in headless Chromium.
// Prints {bench, impl, value, unit} JSON lines for scripts/bench.mjs.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { browserSkip, launchBrowser, startServer } from '../../tests/support/browser.mjs';
import { runBindingsBenches } from './bindings_bench_cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const row = (bench, impl, value, unit) => console.log(JSON.stringify({ bench, impl, value, unit }));
const module = 'build/bench-wasm/bench/bind_bench.js';

console.error('bindings bench: Node');
const m = await (await import(pathToFileURL(path.join(root, module)).href)).default();
await runBindingsBenches({ m, row, impl: { wasync: 'wasync-wasm', js: 'node' } });

if (browserSkip) {
  console.error(`bindings bench: Chromium skipped: ${browserSkip}`);
} else {
  console.error('bindings bench: Chromium');
  const server = await startServer({ root });
  const browser = await launchBrowser();
  try {
    const page = await browser.openPage(`${server.url}/`);
    await page.exposeFunction('benchRow', row);
    await page.evaluate(async (module) => {
      const { runBindingsBenches } = await import('/bench/bindings/bindings_bench_cases.mjs');
      const m = await (await import(`/${module}`)).default();
      await runBindingsBenches({ m, row: globalThis.benchRow, impl: { wasync: 'wasync-chromium', js: 'chromium' } });
    }, module);
    if (page.errors.length) throw new Error(`errors in the bench page:\n${page.errors.join('\n')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}
