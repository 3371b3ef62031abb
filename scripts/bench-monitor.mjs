// The monitor's cost at scale, measured under wrangler dev against the fixture internet:
//   MON_DOMAINS=10000 INSPECTOR_PORT=9303 bash scripts/fixture-stack.sh -- node scripts/bench-monitor.mjs
// (MON_DOMAINS=200 is the smoke run of scripts/test.sh). The fixture world's monitoring zone is
// made MON_DOMAINS names large (m0–m{N-1}.mon.test, each a correct enforce domain; its policy
// hosts' certificates made by SNI on first use, their names in /etc/hosts for this run only,
// since workerd resolves through the system resolver: see scripts/fixture-stack.sh).
//
// 1. Subscribes every domain through the real API (POST /api/monitor), one client address per
//    subscription (the limit of 10 a day per address is per address: 10,000 subscribers),
//    publishes the tokens in the fixture's DNS, and activates each with "check now".
// 2. Fires the run cron once (/__scheduled: the real scheduled handler, the real local queues
//    with wrangler.toml's batch sizes) and waits until the check queue has drained, reading
//    wrangler's own log of queue batches (no request to the Worker while it runs).
// 3. Prints: wall time from the cron to the last batch, rows written (D1, counted after), the
//    subrequests (DoH queries and HTTPS connections counted by the fixture servers; D1 and queue
//    calls counted inside the isolate), and the CPU time of the Worker's isolate itself per
//    consumer invocation: a V8 CPU profile of the isolate (Chrome DevTools Protocol
//    Profiler.start/stop through wrangler's inspector, INSPECTOR_PORT), its samples' time
//    minus the "(idle)" ones, divided by the invocations counted in the isolate.
// RUNS=2 also fires a second run (compared with the first: every domain unchanged).
import { readFileSync } from 'node:fs';

import { ticks, ms } from './workerd-cpu.mjs';

const BASE = process.env.MTASTS_BASE;
const CONTROL = new URL(process.env.MTASTS_FIXTURE_STATS).origin;
const HTTPS_PORT = process.env.MTASTS_FIXTURE_HTTPS_PORT;
const LOG = process.env.MTASTS_WRANGLER_LOG;
const INSPECTOR = process.env.MTASTS_INSPECTOR_PORT;
const N = Number(process.env.MTASTS_MON_DOMAINS ?? 20);
const RUNS = Number(process.env.RUNS ?? 1);
const CONCURRENCY = 8;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t = () => Date.now();

async function pool(items, fn) {
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; await fn(items[i], i); } };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
async function json(url, init, what) {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(url, init);
    if (r.ok) return r.json();
    if (attempt === 3) throw new Error(`${what}: HTTP ${r.status} ${await r.text()}`);
    await sleep(500);
  }
}
const fixtureStats = () => json(`${CONTROL}/__stats`, undefined, 'fixture stats');
const workerStats = (since) => json(`${BASE}/api/monitor/test/stats?since=${since}`, undefined, 'worker stats');
// One IPv4 address per subscriber, in 198.18.0.0/15 (RFC 2544's benchmarking range).
const address = (i) => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

// ---- The V8 inspector of the Worker's isolate (wrangler dev --inspector-port).
async function inspector() {
  if (!INSPECTOR) return null;
  const WS = globalThis.WebSocket ?? (await import('ws')).WebSocket;
  const ws = new WS(`ws://127.0.0.1:${INSPECTOR}/ws`, { headers: { Origin: 'http://localhost' } });
  // An inspector that accepts the connection and never answers (seen with this workerd) is
  // given up after 5 s: the run goes on with the process CPU below only.
  const opened = await Promise.race([
    new Promise((ok, fail) => { ws.onopen = () => ok(true); ws.onerror = (e) => fail(new Error(`inspector: ${e.message ?? e}`)); }),
    sleep(5000).then(() => false),
  ]);
  if (!opened) { ws.terminate?.(); console.error('bench-monitor: the inspector did not answer in 5 s; no V8 profile'); return null; }
  let id = 0;
  const waiting = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(typeof m.data === 'string' ? m.data : m.data.toString());
    if (msg.id && waiting.has(msg.id)) { waiting.get(msg.id)(msg); waiting.delete(msg.id); }
  };
  const call = (method, params = {}) => new Promise((ok) => { const i = ++id; waiting.set(i, ok); ws.send(JSON.stringify({ id: i, method, params })); });
  await call('Profiler.enable');
  // 250 µs between samples; a profile is collected every 20 s so no message grows large.
  await call('Profiler.setSamplingInterval', { interval: 250 });
  return { call, close: () => ws.close() };
}
// The busy time of one profile by kind: a sample's time is the delta to its predecessor.
function busyOf(profile, into) {
  const name = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName || '(anonymous)']));
  profile.samples.forEach((node, i) => {
    const fn = name.get(node);
    const kind = fn === '(idle)' ? 'idle' : fn === '(garbage collector)' ? 'gc' : fn === '(program)' ? 'program' : 'code';
    into[kind] = (into[kind] ?? 0) + (profile.timeDeltas[i] ?? 0);
    const top = (into.top ??= {});
    top[fn] = (top[fn] ?? 0) + (profile.timeDeltas[i] ?? 0);
  });
}
async function profiled(insp, during) {
  if (!insp) return [await during(), null];
  const totals = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      await insp.call('Profiler.start');
      for (let w = 0; w < 40 && running; w++) await sleep(500);
      const r = await insp.call('Profiler.stop');
      busyOf(r.result.profile, totals);
    }
  })();
  const out = await during();
  running = false;
  await loop;
  return [out, totals];
}

// ---- wrangler's log of queue batches: `QUEUE mtasts-checks 2/2 (123ms)`.
const ansi = /\x1b\[[0-9;]*m/g;
function batches(from) {
  const text = readFileSync(LOG, 'utf8').replace(ansi, '');
  const out = [];
  for (const m of text.slice(from).matchAll(/QUEUE mtasts-checks (\d+)\/(\d+) \((\d+)ms\)/g)) {
    out.push({ acked: Number(m[1]), size: Number(m[2]), ms: Number(m[3]) });
  }
  return out;
}
const logSize = () => readFileSync(LOG, 'utf8').replace(ansi, '').length;
// Waits until `expected` check messages were handled and nothing more came for 3 s.
async function drained(from, expected) {
  let last = -1, quiet = t();
  for (;;) {
    const b = batches(from);
    const handled = b.reduce((a, x) => a + x.size, 0);
    if (handled !== last) { last = handled; quiet = t(); }
    if (handled >= expected && t() - quiet > 3000) return { b, end: quiet };
    if (t() - quiet > 120000) throw new Error(`the check queue stalled at ${handled} of ${expected} messages`);
    await sleep(1000);
  }
}
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]; };

// ---- 1. Subscribe, publish, activate.
let t0 = t();
const subs = new Array(N);
await pool([...Array(N).keys()], async (i) => {
  subs[i] = await json(`${BASE}/api/monitor`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': address(i) },
    body: JSON.stringify({ domain: `m${i}.mon.test`, webhook: `https://hooks.mon.test:${HTTPS_PORT}/ok/bench-${i}` }),
  }, `subscribe m${i}`);
});
const subscribeMs = t() - t0;
for (let i = 0; i < N; i += 1000) {
  const chunk = subs.slice(i, i + 1000).map((s) => ({ domain: s.domain, variant: 'good', tokens: [s.dns.value] }));
  await json(`${CONTROL}/__mon`, { method: 'POST', body: JSON.stringify(chunk) }, 'publish tokens');
}
t0 = t();
await pool(subs, async (s, i) => {
  const r = await json(`${BASE}/api/monitor/${s.id}/verify`, { method: 'POST', headers: { Authorization: `Bearer ${s.management_key}`, 'CF-Connecting-IP': address(i) } }, `verify ${s.domain}`);
  if (r.state !== 'active') throw new Error(`${s.domain} is ${r.state}`);
});
const activateMs = t() - t0;
console.log(JSON.stringify({ domains: N, subscribe_ms: subscribeMs, activate_ms: activateMs, via: 'POST /api/monitor and POST /api/monitor/:id/verify, 8 at a time' }));

// ---- 2. and 3. The runs.
const insp = await inspector();
for (let run = 1; run <= RUNS; run++) {
  await sleep(2000);
  const [f0, w0, from] = [await fixtureStats(), await workerStats(0), logSize()];
  const cpu0 = ticks();
  const start = t();
  const [{ b, end }, cpu] = await profiled(insp, async () => {
    const r = await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('0 6 * * *')}`);
    if (r.status !== 200) throw new Error(`scheduled: ${r.status}`);
    // N run messages, the pages (one per 100 domains, one more when N is a multiple of 100)
    // and the prune message.
    return drained(from, N + Math.floor(N / 100) + 1 + 1);
  });
  const wall = end - start; // to the last new batch seen (the log is read every second)
  // workerd's CPU from the cron to the end of the queue (the 3 s of quiet after it included).
  const cpuMs = ms(ticks() - cpu0);
  const [f1, w1] = [await fixtureStats(), await workerStats(start)];
  const inv = w1.isolate.check_invocations - w0.isolate.check_invocations;
  const msgs = w1.isolate.check_messages - w0.isolate.check_messages;
  const stored = Object.values(w1.runs_since).reduce((a, x) => a + x, 0);
  const top = cpu ? Object.entries(cpu.top).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([f, v]) => `${f} ${Math.round(v / 1000)} ms`) : [];
  if (cpu) delete cpu.top;
  const busy = cpu ? (cpu.code ?? 0) + (cpu.gc ?? 0) + (cpu.program ?? 0) : null;
  const us = (x) => Math.round(x);
  console.log(JSON.stringify({
    run: run === 1 ? 'run 1 (baseline)' : `run ${run} (compared)`,
    domains: N,
    outcomes: w1.runs_since,
    wall_s: +(wall / 1000).toFixed(1),
    checks_per_s: +((stored / wall) * 1000).toFixed(1),
    rows_written: {
      runs: stored,
      baselines_after: w1.rows.baselines,
      deliveries_new: w1.rows.deliveries - w0.rows.deliveries,
    },
    invocations: { count: inv, messages: msgs, batches_logged: b.length, batch_wall_ms: { median: pct(b.map((x) => x.ms), 50), p95: pct(b.map((x) => x.ms), 95), max: Math.max(...b.map((x) => x.ms)) } },
    subrequests: {
      doh_queries_per_check: +((f1.dns - f0.dns) / stored).toFixed(2),
      https_connections_per_check: +((f1.https - f0.https) / stored).toFixed(2),
      d1_calls_per_invocation: +((w1.isolate.d1_calls - w0.isolate.d1_calls) / inv).toFixed(2),
      queue_calls_per_invocation: +((w1.isolate.queue_calls - w0.isolate.queue_calls) / inv).toFixed(2),
      max_binding_calls_in_one_invocation: w1.isolate.max_binding_calls_per_check_invocation,
    },
    workerd_cpu: {
      method: 'user + system CPU of the stack\'s workerd processes (/proc), the isolate and the local D1, queues and HTTP together',
      total_ms: us(cpuMs),
      per_invocation_ms: +(cpuMs / inv).toFixed(2),
      per_check_ms: +(cpuMs / stored).toFixed(2),
    },
    isolate_cpu: cpu && {
      method: 'V8 CPU profile of the Worker isolate (inspector), 250 µs sampling, non-idle samples',
      total_ms: us(busy / 1000),
      per_invocation_us: us(busy / inv),
      per_check_us: us(busy / stored),
      top_self_time: top,
      by_kind_ms: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, us(v / 1000)])),
    },
  }));
  // A smoke run that can fail: every domain stored once, run 1 all baselines, later runs all
  // unchanged, nothing sent.
  const want = run === 1 ? 'baseline' : 'unchanged';
  if (stored !== N || w1.runs_since[want] !== N || w1.rows.deliveries !== w0.rows.deliveries) {
    console.error(`bench-monitor: expected ${N} ${want} runs and no delivery, got ${JSON.stringify(w1.runs_since)} and ${w1.rows.deliveries - w0.rows.deliveries} deliveries`);
    process.exitCode = 1;
  }
  // The subrequest budget (README, "Monitoring"): one invocation's fetches (11 a check, counted
  // by the fixture servers, 2 checks a batch) and its own binding calls (counted exactly in the
  // isolate) inside the free plan's 50, even if every binding call counted.
  const fetches = Math.ceil((f1.dns - f0.dns + f1.https - f0.https) / stored) * 2;
  const most = w1.isolate.max_binding_calls_per_check_invocation;
  if (fetches + most > 50) {
    console.error(`bench-monitor: an invocation made ${most} binding calls beside ${fetches} fetches: above 50 subrequests`);
    process.exitCode = 1;
  }
}
insp?.close();
