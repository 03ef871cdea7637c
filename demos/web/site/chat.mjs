// Chat page: runs demos::chat_run until Disconnect aborts it, shows its log
// and state as they change, and sends lines through demos::chat_send.
import { runPage, showError, clearError, describe } from './page.mjs';

runPage((api) => {
  const $ = (id) => document.getElementById(id);
  $('url').value = `${location.origin.replace(/^http/, 'ws')}/ws`;
  let controller = null;
  let lastSeq = 0;

  function poll() {
    for (const line of api.chatLines(lastSeq)) {
      const li = document.createElement('li');
      li.dataset.kind = line.kind;
      li.textContent = line.text;
      $('log').append(li);
      li.scrollIntoView({ block: 'nearest' });
      lastSeq = line.seq;
    }
    const state = api.chatState();
    $('state').textContent = state;
    $('state').dataset.state = state;
  }
  setInterval(poll, 50);

  $('connect-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearError();
    controller = new AbortController();
    $('connect').disabled = true;
    $('disconnect').disabled = false;
    try {
      await api.chatRun($('url').value.trim(), 4, { signal: controller.signal });
    } catch (e) {
      if (e.code !== 'cancelled') showError(`The chat stopped: ${describe(e)}`);
    } finally {
      poll();
      $('connect').disabled = false;
      $('disconnect').disabled = true;
    }
  });
  $('disconnect').addEventListener('click', () => controller?.abort());

  $('send-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    try {
      api.chatSend($('message').value);
      $('message').value = '';
    } catch (e) {
      showError(`Not sent: ${describe(e)}`);
    }
  });

  $('drop').addEventListener('click', async () => {
    try {
      const res = await fetch('/api/drop-sockets', { method: 'POST' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (e) {
      showError(`The server could not drop connections: ${describe(e)}`);
    }
  });
});
