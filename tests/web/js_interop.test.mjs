// JS interop in Node: js_value conversions, C++ awaiting JS Promises, C++ tasks
// as Promises (the scenarios also run in Chromium: browser.test.mjs).
import { jsInteropScenarios } from './scenarios/js_interop.mjs';
import { runInNode } from './support/node_runner.mjs';

runInNode('web_io_probe', jsInteropScenarios);
