// Responsiveness page: a requestAnimationFrame animation measures frame gaps
// while demos::count_primes runs cooperatively (a task) or blocking (one call).
import { runPage, showError, clearError, describe } from './page.mjs';

runPage((api) => {
  const $ = (id) => document.getElementById(id);
  let last = performance.now();
  let job = null;  // { longest, frames } while a job runs

  requestAnimationFrame(function frame(t) {
    const gap = t - last;
    last = t;
    $('gap-now').textContent = gap.toFixed(1);
    if (job) {
      job.longest = Math.max(job.longest, gap);
      job.frames++;
      $('gap-max').textContent = job.longest.toFixed(1);
      $('progress').value = api.jobProgress();
    }
    const x = ((t / 4) % 600) / 600;  // one crossing every 2.4 s
    $('ball').style.transform = `translateX(${x * ($('ball').parentElement.clientWidth - 40)}px)`;
    requestAnimationFrame(frame);
  });
  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r()));

  async function measure(how, run) {
    clearError();
    $('cooperative').disabled = $('blocking').disabled = true;
    $('status').textContent = `Running ${how}…`;
    $('progress').value = 0;
    await nextFrame();  // paint the status first
    await nextFrame();
    job = { longest: 0, frames: 0 };
    const t0 = performance.now();
    try {
      const primes = await run(Number($('limit').value));
      const ms = performance.now() - t0;
      await nextFrame();  // the frame after the job ends shows the gap it caused
      const row = document.createElement('tr');
      row.dataset.how = how;
      row.innerHTML = `<td>${how}</td><td class="primes">${primes}</td><td class="ms">${ms.toFixed(0)} ms</td>` +
        `<td class="gap">${job.longest.toFixed(1)} ms</td><td class="frames">${job.frames}</td>`;
      $('results').prepend(row);
      $('status').textContent = `Done: ${how}, ${primes} primes in ${ms.toFixed(0)} ms; longest frame gap ${job.longest.toFixed(1)} ms.`;
    } catch (e) {
      $('status').textContent = 'Failed.';
      showError(`The job failed: ${describe(e)}`);
    } finally {
      job = null;
      $('cooperative').disabled = $('blocking').disabled = false;
    }
  }

  $('form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    measure('wasync task', (limit) => api.countPrimesCooperative(limit));
  });
  $('blocking').addEventListener('click', () => measure('blocking', async (limit) => api.countPrimesBlocking(limit)));
});
