// WebSocket from C++ in Node against a ws server this test starts on 127.0.0.1
// (the scenarios also run in Chromium: browser.test.mjs).
import { before, after } from 'node:test';
import { websocketScenarios } from './scenarios/websocket.mjs';
import { runInNode } from './support/node_runner.mjs';
import { startWsServer } from './support/servers.mjs';

const env = {};
let wss;
before(async () => {
  wss = await startWsServer();
  env.wsBase = wss.url;
  env.server = wss.observed;
});
after(() => wss?.close());
runInNode('web_io_probe', websocketScenarios, env);
