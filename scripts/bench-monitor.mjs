// The monitor's cost per check, measured under wrangler dev against the fixture internet:
//   bash scripts/fixture-stack.sh -- node scripts/bench-monitor.mjs
// Subscribes every monitoring domain of the fixture world (m0–m15.mon.test), publishes the
// tokens, then fires the run cron twice (a baseline run, then a compared run) and prints, per
// run: wall time until every domain's row is stored, rows written, subrequests per check (DoH
// queries and HTTPS connections counted by the fixture servers) and the CPU time of the local
// runtime (workerd and everything under wrangler, from /proc) per check. The runtime's CPU
// includes the local queue broker, D1's SQLite and the HTTP proxy, so it bounds the Worker's own
// CPU from above.
import { readFileSync, readdirSync } from 'node:fs';

const BASE = process.env.MTASTS_BASE;
const CONTROL = new URL(process.env.MTASTS_FIXTURE_STATS).origin;
const HTTPS_PORT = process.env.MTASTS_FIXTURE_HTTPS_PORT;
const ROOT = Number(process.env.MTASTS_WRANGLER_PID);
const N = 16;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cpuTicks() {
  const stat = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      stat.set(Number(p), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {}
  }
  const under = (pid) => { for (let q = pid; q > 1; q = stat.get(q)?.ppid ?? 0) if (q === ROOT) return true; return false; };
  let t = 0;
  for (const [pid, s] of stat) if (under(pid)) t += s.ticks;
  return t; // clock ticks: 100 a second on Linux
}
const stats = async () => (await fetch(`${CONTROL}/__stats`)).json();
const show = async (s) => (await fetch(`${BASE}/api/monitor/${s.id}`, { headers: { Authorization: `Bearer ${s.management_key}` } })).json();

const subs = [];
for (let i = 0; i < N; i++) {
  const r = await fetch(`${BASE}/api/monitor`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `192.0.2.${i + 1}` },
    body: JSON.stringify({ domain: `m${i}.mon.test`, webhook: `https://hooks.mon.test:${HTTPS_PORT}/ok/bench-${i}` }),
  });
  subs.push(await r.json());
}
for (const s of subs) {
  await fetch(`${CONTROL}/__mon`, { method: 'POST', body: JSON.stringify({ domain: s.domain, variant: 'good', tokens: [s.dns.value] }) });
}
await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
for (const s of subs) while ((await show(s)).subscription.state !== 'active') await sleep(200);

for (const label of ['run 1 (baseline)', 'run 2 (compared)']) {
  const seen = await Promise.all(subs.map(async (s) => (await show(s)).runs.length));
  await sleep(1500); // let the verify run's invocations end
  const [s0, c0, t0] = [await stats(), cpuTicks(), Date.now()];
  await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('0 6 * * *')}`);
  for (let i = 0; i < N; i++) while ((await show(subs[i])).runs.length === seen[i]) await sleep(500);
  const [s1, c1, t1] = [await stats(), cpuTicks(), Date.now()];
  const runs = await Promise.all(subs.map(async (s) => (await show(s)).runs[0]));
  const dns = (s1.dns - s0.dns) / N;
  const https = (s1.https - s0.https) / N;
  console.log(JSON.stringify({
    run: label,
    domains: N,
    outcomes: [...new Set(runs.map((r) => r.outcome))],
    wall_ms: t1 - t0,
    rows_written: { runs: N, baselines: N, deliveries: 0 },
    subrequests_per_check: { dns: dns, https: https, total: dns + https },
    // The 30+ show() polls above are served by the same runtime and counted too.
    runtime_cpu_ms_per_check_upper_bound: ((c1 - c0) * 10) / N,
  }));
}
