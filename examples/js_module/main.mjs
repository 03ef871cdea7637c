// Uses the greeter module: `node main.mjs` in Node, or index.html in a browser
// (the same import works through Vite and other bundlers).
import load from './greeter.js';

// Lines go to the console in Node and into the page's <pre id="out"> in a browser.
const out = globalThis.document?.getElementById('out');
const print = out ? (line) => out.append(`${line}\n`) : console.log;

const greeter = await load();
print((await greeter.greet('Ada', { delayMs: 10 })).text);   // Hello, Ada!
print(greeter.total([1, 2, 3.5]));                            // 6.5
try {
  await greeter.greet('');
} catch (e) {
  print(`${e.code}: ${e.message}`);                           // invalid_argument: name is empty (e: a WasyncError)
}
const slow = greeter.greet('Bob', { delayMs: 60000, signal: AbortSignal.timeout(20) });
print(await slow.catch((e) => e.code));                       // cancelled (e: the signal's TimeoutError)
print(greeter.wasyncDebug().tasks);                           // 0
out?.setAttribute('data-done', '');
