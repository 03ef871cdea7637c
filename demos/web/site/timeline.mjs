// Timeline page: runs demos::timeline_workload and turns the task events it
// records (spawned / resumed / waiting on X / finished) into lanes.
import { runPage, showError, clearError, describe } from './page.mjs';

/// What a wait is on, from the awaiter's `what`.
export function waitCategory(what) {
  if (what === 'sleep') return 'timer';
  if (what.startsWith('fetch')) return 'fetch';
  if (what.startsWith('websocket')) return 'socket';
  if (what === 'task' || what === 'shielded task') return 'task';
  return 'other';
}

runPage((api) => {
  const $ = (id) => document.getElementById(id);
  let events = [];
  let lanes = new Map();  // task id -> { name, segments: [{state, from, to}], outcome }

  function apply(e) {
    let lane = lanes.get(e.task);
    if (!lane) lanes.set(e.task, (lane = { name: e.name, segments: [], outcome: null, what: '' }));
    const last = lane.segments.at(-1);
    if (last) last.to = e.atMs;
    if (e.kind === 'finished') {
      const code = e.detail.split(':')[0];
      lane.outcome = code === 'ok' ? 'ok' : code === 'cancelled' ? 'cancelled' : 'failed';
      lane.outcomeText = code === 'ok' ? 'done' : code === 'cancelled' || code === 'timeout' ? code : 'failed';
      lane.outcomeDetail = e.detail;
      return;
    }
    const state = e.kind === 'spawned' ? 'ready' : e.kind === 'resumed' ? 'running' : `waiting:${waitCategory(e.detail)}`;
    lane.segments.push({ state, from: e.atMs, to: null, what: e.detail });
  }

  function draw(now) {
    const end = Math.max(now, ...events.map((e) => e.atMs), 1);
    const box = $('lanes');
    box.replaceChildren();
    for (const [id, lane] of lanes) {
      const row = document.createElement('div');
      row.className = 'lane';
      row.dataset.task = id;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = lane.name;
      const track = document.createElement('div');
      track.className = 'track';
      for (const s of lane.segments) {
        const seg = document.createElement('div');
        seg.className = 'seg';
        seg.dataset.state = s.state;
        const to = s.to ?? now;
        seg.style.left = `${(100 * s.from) / end}%`;
        seg.style.width = `max(1px, ${(100 * (to - s.from)) / end}%)`;
        seg.title = `${s.state}${s.what ? ` (${s.what})` : ''}: ${s.from.toFixed(1)}-${to.toFixed(1)} ms`;
        track.append(seg);
      }
      const outcome = document.createElement('span');
      outcome.className = 'outcome';
      outcome.dataset.outcome = lane.outcome ?? 'live';
      outcome.textContent = lane.outcomeText ?? '…';
      outcome.title = lane.outcomeDetail ?? 'still running';
      row.append(name, track, outcome);
      box.append(row);
    }
    $('axis').textContent = `0 ms ${'—'.repeat(20)} ${Math.round(end)} ms`;
  }

  $('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearError();
    $('run').disabled = true;
    events = [];
    lanes = new Map();
    const t0 = performance.now();
    const pull = () => {
      for (const e of api.timelineEvents(events.length)) {
        events.push(e);
        apply(e);
      }
    };
    let frame = requestAnimationFrame(function tick() {
      pull();
      draw(performance.now() - t0);
      $('status').textContent = `Running: ${events.length} events so far…`;
      frame = requestAnimationFrame(tick);
    });
    const api_base = location.origin;
    const ws = `${location.origin.replace(/^http/, 'ws')}/ws`;
    try {
      const summary = await api.timelineWorkload(api_base, ws);
      pull();
      $('status').textContent = `Finished: ${summary}.`;
    } catch (e) {
      pull();
      $('status').textContent = 'Failed.';
      showError(`The workload failed: ${describe(e)}`);
    } finally {
      cancelAnimationFrame(frame);
      draw(Math.max(...events.map((e) => e.atMs), 0));
      $('run').disabled = false;
    }
  });
});
