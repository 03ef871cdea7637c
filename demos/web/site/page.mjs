// What every demo page shares: its C++ source shown beside the live result,
// and errors shown in the page (never only in the console).

const keywords = new Set(
  ('co_await co_return co_yield auto bool break case const constexpr continue default double else enum for if ' +
    'int namespace return static std struct switch template using void volatile while true false nullptr ' +
    'task result error errc').split(' '),
);

/// C++ source as HTML with comments, strings, keywords and numbers marked.
export function highlight(source) {
  const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const token = /(\/\/[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(#\w+)|\b(\d[\d']*(?:\.\d+)?(?:ms|s)?)\b|\b([A-Za-z_]\w*)\b/g;
  let html = '';
  let at = 0;
  for (const m of source.matchAll(token)) {
    html += escape(source.slice(at, m.index));
    const [text, comment, string, directive, number, word] = m;
    const cls = comment ? 'comment' : string ? 'string' : directive ? 'directive' : number ? 'number'
      : keywords.has(word) ? 'keyword' : null;
    html += cls ? `<span class="${cls}">${escape(text)}</span>` : escape(text);
    at = m.index + text.length;
  }
  return html + escape(source.slice(at));
}

/// Fills <pre class="source" data-src="src/x.cpp"> elements with their file.
export async function showSources() {
  for (const pre of document.querySelectorAll('pre.source[data-src]')) {
    const name = pre.dataset.src;
    try {
      const res = await fetch(name);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      pre.innerHTML = highlight(await res.text());
    } catch (e) {
      pre.textContent = `Could not load ${name}: ${e.message}`;
    }
  }
}

const errorBox = () => document.getElementById('error');

/// Shows `message` in the page's error box (role=alert).
export function showError(message) {
  const box = errorBox();
  box.textContent = message;
  box.hidden = false;
}

export function clearError() {
  errorBox().hidden = true;
  errorBox().textContent = '';
}

/// "code: message" for a C++ error (Error with code) or any other failure.
export const describe = (e) => (e && e.code ? `${e.code}: ${e.message}` : String(e?.message ?? e));

/// Loads the demo module and runs `main(api)`; whatever fails ends up in the page.
export async function runPage(main) {
  window.addEventListener('unhandledrejection', (ev) => showError(`Unexpected error: ${describe(ev.reason)}`));
  window.addEventListener('error', (ev) => showError(`Unexpected error: ${ev.message}`));
  showSources();
  let api;
  try {
    api = (await import('./demo_api.mjs')).default;
  } catch (e) {
    showError(`Could not load the demo module (wasync_demos): ${describe(e)}`);
    return;
  }
  await main(api);
  document.body.dataset.ready = 'true';
}
