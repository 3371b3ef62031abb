// CPU time the kernel counts for the workerd processes of one `wrangler dev` (scripts/
// fixture-stack.sh exports its pid as MTASTS_WRANGLER_PID; other stacks may run on the same
// machine, so only its descendants count): user + system clock ticks from /proc/<pid>/stat.
// Unlike a sampling profile, descheduled time is not counted, so a loaded machine inflates it
// little. It is all of workerd's work: the Worker's isolate, and the local D1 and queue
// simulators, HTTP and TLS — an upper bound on what the isolate itself spends.
import { readdirSync, readFileSync } from 'node:fs';

export const TICK = 100; // USER_HZ
const WRANGLER = Number(process.env.MTASTS_WRANGLER_PID ?? 0);

export function ticks() {
  const procs = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat;
    try { stat = readFileSync(`/proc/${p}/stat`, 'utf8'); } catch { continue; }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(p), { workerd: stat.split(' (', 2)[1]?.startsWith('workerd)'), ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) });
  }
  const ours = (pid) => { for (let p = pid, i = 0; p > 1 && i < 50; p = procs.get(p)?.ppid ?? 0, i++) if (p === WRANGLER) return true; return !WRANGLER; };
  let t = 0;
  for (const [pid, x] of procs) if (x.workerd && ours(pid)) t += x.cpu;
  return t;
}

/** Clock ticks as milliseconds. */
export const ms = (t) => (t * 1000) / TICK;
