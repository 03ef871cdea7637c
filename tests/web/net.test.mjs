// Sockets on the web host: every call is a clear not_supported error (never an
// abort); numeric addresses still resolve without a lookup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProbe, skipUnlessBuilt, assertReleased } from './support/probe.mjs';

const skip = skipUnlessBuilt('web_io_probe');

test('TCP, UDP and name lookup fail with not_supported on the web', { skip, timeout: 20_000 }, async () => {
  const mod = await loadProbe('web_io_probe');
  const lines = (await mod.call('net_unsupported')).trim().split('\n');
  assert.equal(lines.length, 6);
  for (const line of lines.slice(0, 5)) assert.match(line, /^not_supported: .* is not supported on this host \(web\)/);
  assert.equal(lines[5], 'resolved 127.0.0.1');
  await assertReleased(mod);
});
