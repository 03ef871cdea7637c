// The web host on Node's event loop: microtask drains, one timer, the drain
// budget (the scenarios also run in Chromium: browser.test.mjs).
import { webHostScenarios } from './scenarios/web_host.mjs';
import { runInNode } from './support/node_runner.mjs';

runInNode('web_host_probe', webHostScenarios);
