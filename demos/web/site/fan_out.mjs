// Fetch fan-out page: starts demos::fan_out, draws every request's state each
// frame while it runs, and cancels it through an AbortSignal.
import { runPage, showError, clearError, describe } from './page.mjs';

runPage((api) => {
  const $ = (id) => document.getElementById(id);
  $('url').value = `${location.origin}/api/items`;
  let controller = null;

  function render() {
    const rows = api.fanOutRows();
    const grid = $('requests');
    while (grid.children.length > rows.length) grid.lastChild.remove();
    while (grid.children.length < rows.length) grid.append(document.createElement('div'));
    rows.forEach((r, i) => {
      const cell = grid.children[i];
      cell.className = 'request';
      cell.dataset.state = r.state;
      const label = r.state === 'ok' || r.state === 'http_error' ? `${r.status}` : r.state.replace('_', ' ');
      const time = r.state === 'queued' || r.state === 'fetching' ? '' : ` · ${Math.round(r.ms)} ms`;
      cell.innerHTML = `<b>#${r.id}</b>${label}${time}`;
      cell.title = r.detail || r.state;
    });
    return rows;
  }

  function counts(rows) {
    const by = {};
    for (const r of rows) by[r.state] = (by[r.state] ?? 0) + 1;
    return by;
  }

  $('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearError();
    controller = new AbortController();
    $('start').disabled = true;
    $('cancel').disabled = false;
    const started = performance.now();
    let frame = requestAnimationFrame(function tick() {
      const by = counts(render());
      $('status').textContent = `Running: ${by.fetching ?? 0} in flight, ${by.queued ?? 0} queued, ` +
        `${(by.ok ?? 0) + (by.http_error ?? 0) + (by.timeout ?? 0) + (by.network_error ?? 0)} finished`;
      frame = requestAnimationFrame(tick);
    });
    try {
      const s = await api.fanOut($('url').value.trim(), Number($('count').value), Number($('concurrency').value),
        Number($('timeout').value), { signal: controller.signal });
      const rows = render();
      $('status').textContent = `Done in ${(s.ms / 1000).toFixed(2)} s: ${s.ok} ok, ${s.failed} failed, ${s.timedOut} timed out.`;
      const unreachable = rows.filter((r) => r.state === 'network_error');
      if (unreachable.length === rows.length) {
        showError(`No request reached the server at ${$('url').value}: ${unreachable[0].detail || 'network error'}`);
      }
    } catch (e) {
      const by = counts(render());
      if (e.code === 'cancelled') {
        $('status').textContent = `Cancelled after ${((performance.now() - started) / 1000).toFixed(2)} s: ` +
          `${by.ok ?? 0} ok, ${by.cancelled ?? 0} cancelled.`;
      } else {
        $('status').textContent = 'Failed.';
        showError(`The fan-out failed: ${describe(e)}`);
      }
    } finally {
      cancelAnimationFrame(frame);
      $('start').disabled = false;
      $('cancel').disabled = true;
    }
  });
  $('cancel').addEventListener('click', () => controller?.abort());
});
