// Uses the greeter module from Node (in a browser or through Vite, the same import works).
import load from './greeter.js';

const greeter = await load();
console.log((await greeter.greet('Ada', { delayMs: 10 })).text);   // Hello, Ada!
console.log(greeter.total([1, 2, 3.5]));                            // 6.5
try {
  await greeter.greet('');
} catch (e) {
  console.log(`${e.code}: ${e.message}`);                           // invalid_argument: name is empty
}
const slow = greeter.greet('Bob', { delayMs: 60000, signal: AbortSignal.timeout(20) });
console.log(await slow.catch((e) => e.code));                       // cancelled
console.log(greeter.wasyncDebug().tasks);                           // 0
