// What the echo and HTTP benches do alike with the servers they measure:
// start one on a free 127.0.0.1 port until it answers, stop it, and read its
// CPU time from /proc.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts `command(port)` ([cmd, args]) on a port from `freePort()` (a new port if the first
 * was taken, three tries); resolves { child, port } once `answers(port)`, or null.
 * stderr goes to a file, not a pipe: the load client runs through spawnSync, which stops this
 * process from draining a pipe, and a server logging reset clients then blocks on a full pipe.
 */
export async function startServer({ name, command, freePort, answers, cwd, logName }) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const [cmd, args] = command(String(port));
    const log = join(tmpdir(), `${logName}-${process.pid}-${port}.log`);
    const fd = openSync(log, 'w');
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', fd] });
    closeSync(fd);
    let exited = false;
    child.once('exit', () => (exited = true));
    const until = Date.now() + 15_000;
    while (!exited && Date.now() < until) {
      if (await answers(port)) return { child, port };
      await sleep(50);
    }
    child.kill('SIGKILL');
    console.error(`${name} did not start on port ${port}: ${readFileSync(log, 'utf8').trim() || 'no answer'}`);
  }
  return null;
}

export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

/** µs per clock tick of /proc's CPU times. */
export const TICK_US = 1e6 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout || 100);

/** User + system clock ticks of process `pid` so far. */
export function cpuTicks(pid) {
  // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
