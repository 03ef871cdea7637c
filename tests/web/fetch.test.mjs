// fetch from C++ in Node against an HTTP server this test starts on 127.0.0.1
// (the scenarios also run in Chromium: browser.test.mjs).
import { before, after } from 'node:test';
import { startServer } from '../support/browser.mjs';
import { fetchScenarios } from './scenarios/fetch.mjs';
import { runInNode } from './support/node_runner.mjs';
import { closedPort, httpRoutes } from './support/servers.mjs';

const { routes, observed } = httpRoutes();
const env = { server: observed };
let server;
before(async () => {
  server = await startServer({ routes });
  env.base = server.url;
  env.closedPort = await closedPort();
});
after(() => server?.close());
runInNode('web_io_probe', fetchScenarios, env);
