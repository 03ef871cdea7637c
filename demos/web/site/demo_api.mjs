// The demos' C++ functions as JS functions: async ones return Promises (an
// AbortSignal in the options cancels the C++ task), sync ones return values
// or throw an Error carrying the C++ error's `code`.
import createModule from './wasync_demos.mjs';

const mod = await createModule({ printErr: (line) => console.warn(line) });
const put = (v) => mod.wasyncJsPut(v);
const take = (id) => mod.wasyncJsTake(id);

function checked(value) {
  if (value && typeof value === 'object' && 'code' in value && 'message' in value) {
    throw Object.assign(new Error(value.message), { code: value.code });
  }
  return value;
}

export const fanOut = (itemsUrl, count, concurrency, timeoutMs, { signal } = {}) =>
  take(mod._demo_fan_out(put(itemsUrl), count, concurrency, timeoutMs, put(signal)));
export const fanOutRows = () => take(mod._demo_fan_out_rows());

export const chatRun = (url, maxAttempts, { signal } = {}) => take(mod._demo_chat_run(put(url), maxAttempts, put(signal)));
export const chatSend = (text) => {
  const id = mod._demo_chat_send(put(text));
  if (id) checked(take(id));
};
export const chatLines = (after) => take(mod._demo_chat_lines(after));
export const chatState = () => take(mod._demo_chat_state());

export const timelineWorkload = (apiBase, wsUrl) => take(mod._demo_timeline_workload(put(apiBase), put(wsUrl)));
export const timelineEvents = (after) => take(mod._demo_timeline_events(after));

export const countPrimesCooperative = (limit) => take(mod._demo_count_primes_cooperative(limit));
export const countPrimesBlocking = (limit) => checked(take(mod._demo_count_primes_blocking(limit)));
export const jobProgress = () => mod._demo_job_progress();
export const liveTasks = () => mod._demo_live_tasks();
