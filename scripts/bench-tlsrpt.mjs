// Benchmark (prints figures; asserts nothing) of the TLS-RPT destinations (issue 24) inside
// workerd, under the fixture stack with the bench route on:
//   BENCH_ROUTE=1 bash scripts/fixture-stack.sh -- node scripts/bench-tlsrpt.mjs
// (scripts/bench-tlsrpt.sh does exactly that). Two figures, both read from the CPU time
// (utime + stime in /proc) of the workerd processes wrangler dev runs:
//   1. The Worker's own work per report, in the isolate: POST /api/bench/tlsrpt?n=N replays one
//      report body N times in one request (inflated, read by mtasts::reports, summarised,
//      alert-stepped; no I/O). (CPU of n=N − CPU of n=1) / (N − 1) is what the isolate spends
//      per report, without the runtime's cost of a request.
//   2. Reports ingested per second end to end: K distinct reports POSTed to a subscription's
//      /api/tlsrpt/<token> (C at a time), each read, stored in local D1 (one batch) and
//      alert-stepped; wall time, and workerd CPU per report — an upper bound on the Worker's
//      (it also holds workerd's HTTP handling and local D1's SQLite, which run in workerd).
import { readFileSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';

import { ticks, ms } from './workerd-cpu.mjs';

const BASE = process.env.MTASTS_BASE ?? 'http://127.0.0.1:8787';
const CONTROL = new URL(process.env.MTASTS_FIXTURE_STATS ?? 'http://127.0.0.1:8053/__stats').origin;
const HTTPS_PORT = process.env.MTASTS_FIXTURE_HTTPS_PORT ?? '8443';
const N = Number(process.env.BENCH_N ?? 2000);
const K = Number(process.env.K ?? 300);
const C = Number(process.env.C ?? 4);

const fixture = (n) => readFileSync(new URL(`../tests/fixtures/tlsrpt/${n}`, import.meta.url));

async function inIsolate(name, body) {
  const bench = (n) => fetch(`${BASE}/api/bench/tlsrpt?n=${n}`, { method: 'POST', body }).then((r) => r.json());
  await bench(10);
  const t0 = ticks(); await bench(1); const t1 = ticks();
  await bench(N); const t2 = ticks();
  const per = ms((t2 - t1) - (t1 - t0)) / (N - 1);
  console.log(`in-isolate  ${name.padEnd(24)} ${body.length.toString().padStart(5)} B: ${(per * 1000).toFixed(1)} µs CPU per report (${N} replayed in one request)`);
}

async function endToEnd() {
  const d = 'm10.mon.test';
  const r = await fetch(`${BASE}/api/monitor`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '192.0.2.99' }, body: JSON.stringify({ domain: d, webhook: `https://hooks.mon.test:${HTTPS_PORT}/ok/bench-tlsrpt` }) });
  const sub = await r.json();
  await fetch(`${CONTROL}/__mon`, { method: 'POST', body: JSON.stringify({ domain: d, variant: 'good', tokens: [sub.dns.value] }) });
  await fetch(`${BASE}/api/monitor/${sub.id}/verify`, { method: 'POST', headers: { Authorization: `Bearer ${sub.management_key}` } });
  const t = await (await fetch(`${BASE}/api/monitor/${sub.id}/tlsrpt`, { headers: { Authorization: `Bearer ${sub.management_key}` } })).json();
  const template = gunzipSync(fixture('rfc8460-example.json.gz')).toString('utf8').replaceAll('company-y.example', d);
  const bodies = Array.from({ length: K }, (_, i) => gzipSync(template.replace(/"report-id": "[^"]*"/, `"report-id": "bench-${i}"`)));
  let next = 0, failed = 0;
  const t0 = ticks(); const w0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    while (next < K) {
      const b = bodies[next++];
      const res = await fetch(t.destinations.https, { method: 'POST', headers: { 'Content-Type': 'application/tlsrpt+gzip' }, body: b });
      if (res.status !== 201) failed++;
      await res.arrayBuffer();
    }
  }));
  const wall = (performance.now() - w0) / 1000; const t1 = ticks();
  const s = await (await fetch(`${BASE}/api/monitor/${sub.id}/tlsrpt`, { headers: { Authorization: `Bearer ${sub.management_key}` } })).json();
  console.log(`end to end  ${K} gzip reports, ${C} at a time: ${(K / wall).toFixed(0)} reports/s, ${(ms(t1 - t0) / K).toFixed(2)} ms workerd CPU per report (HTTP + D1 included), ${failed} not 201, ${s.summary.totals.reports} stored`);
}

await inIsolate('rfc8460-example.json.gz', fixture('rfc8460-example.json.gz'));
await inIsolate('rfc8460-example.json', fixture('rfc8460-example.json'));
await inIsolate('mx2-mismatch.json', fixture('mx2-mismatch.json'));
await endToEnd();
