// TLS-RPT destinations of monitor subscriptions end to end (issue 24), under `wrangler dev`
// against the fixture internet: the project's real fixture reports (tests/fixtures/tlsrpt/)
// POSTed as application/tlsrpt+json and +gzip to /api/tlsrpt/<token>, mailed through the local
// Email Worker endpoint (/cdn-cgi/handler/email), and the refusals: a gzip bomb, a body over
// the cap, garbage, a duplicate, an unknown token, a pending and a paused subscription, a report
// for another domain. The summary's figures are checked against sums computed here from the
// reports' JSON; the alerts against the webhook receiver's journal (hooks.mon.test).
//   bash scripts/fixture-stack.sh -- node --test tests/worker/tlsrpt.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';

import { BASE, VERIFY_CRON, sleep, hook, world, hooksTo, until, verifySignature } from './helpers.mjs';

const MAIL_DOMAIN = 'tlsrpt.mtasts.example';
const fixture = (name) => readFileSync(new URL(`../fixtures/tlsrpt/${name}`, import.meta.url));
let client = 0;
const ip = () => `203.0.113.${(client++ % 250) + 1}`;

async function subscribe(domain, webhook) {
  const r = await fetch(`${BASE}/api/monitor`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip() },
    body: JSON.stringify({ domain, webhook }),
  });
  assert.equal(r.status, 201);
  return r.json();
}
const auth = (sub) => ({ Authorization: `Bearer ${sub.management_key}` });
async function state(sub) {
  const r = await fetch(`${BASE}/api/monitor/${sub.id}`, { headers: auth(sub) });
  return (await r.json()).subscription.state;
}
async function tlsrpt(sub) {
  const r = await fetch(`${BASE}/api/monitor/${sub.id}/tlsrpt`, { headers: auth(sub) });
  assert.equal(r.status, 200);
  return r.json();
}
async function activate(domain, subs) {
  await world(domain, 'good', subs.map((s) => s.dns.value));
  await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent(VERIFY_CRON)}`);
  for (const s of subs) await until(`${s.id} active`, async () => (await state(s)) === 'active');
}
// The report JSON of a fixture, for `domain` (its example names replaced), with `edit` applied.
function report(name, domain, edit = (j) => j) {
  const text = (name.endsWith('.gz') ? gunzipSync(fixture(name)) : fixture(name)).toString('utf8');
  return edit(JSON.parse(text.replaceAll('company-y.example', domain).replaceAll('example.net', domain)));
}
async function post(url, body, type) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': type }, body });
  return { status: r.status, body: await r.json().catch(() => null) };
}
const postJson = (url, j) => post(url, JSON.stringify(j), 'application/tlsrpt+json');
const postGzip = (url, j) => post(url, gzipSync(JSON.stringify(j)), 'application/tlsrpt+gzip');

// What the summary must say, computed from the reports' JSON (counts that are not integers
// are unreadable: taken as 0, as the reader does).
function expected(reports) {
  // The reader takes a count written as a string of digits ("77"), and nothing else.
  const num = (v) => (Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : 0);
  const e = { successful: 0, failed: 0, byType: {}, byMx: {}, senders: new Set(), days: new Set() };
  const add = (o, k, v) => { o[k] = (o[k] ?? 0) + v; };
  for (const r of reports) {
    e.senders.add(r['organization-name']);
    e.days.add(r['date-range']['start-datetime'].slice(0, 10));
    for (const p of r.policies) {
      e.successful += num(p.summary['total-successful-session-count']);
      const failed = num(p.summary['total-failure-session-count']);
      e.failed += failed;
      let detailed = 0;
      for (const d of p['failure-details'] ?? []) {
        const k = num(d['failed-session-count']);
        detailed += k;
        add(e.byType, d['result-type'], k);
        add(e.byMx, (d['receiving-mx-hostname'] ?? d['receiving-ip'] ?? '').toLowerCase(), k);
      }
      if (failed > detailed) {
        add(e.byType, 'unspecified', failed - detailed);
        const mx = p.policy['mx-host'];
        add(e.byMx, (Array.isArray(mx) ? mx[0] : mx ?? '').toLowerCase(), failed - detailed);
      }
    }
  }
  return e;
}
const table = (rows, key) => Object.fromEntries(rows.map((r) => [r[key], r.sessions]));

test('destinations: the record to publish, and nothing taken for an unknown token or a pending subscription', async () => {
  const d = 'm12.mon.test';
  const sub = await subscribe(d, hook('ok/tlsrpt-m12'));
  const t = await tlsrpt(sub);
  assert.equal(t.state, 'pending');
  assert.equal(t.accepting, false);
  const token = t.destinations.https.split('/').at(-1);
  assert.match(token, /^[0-9a-f]{24}-[0-9a-f]{32}$/);
  assert.ok(sub.id.endsWith(token.split('-')[0]));
  assert.equal(t.destinations.https, `${BASE}/api/tlsrpt/${token}`);
  assert.equal(t.destinations.mailto, `mailto:${token}@${MAIL_DOMAIN}`);
  assert.deepEqual(t.record, { name: `_smtp._tls.${d}`, type: 'TXT', value: `v=TLSRPTv1; rua=${BASE}/api/tlsrpt/${token},mailto:${token}@${MAIL_DOMAIN}` });
  assert.equal(t.summary.totals.reports, 0);
  assert.match(t.summary.headline, /^no reports yet/);
  // Another subscription of the same domain has another token; a wrong key opens nothing.
  const other = await subscribe(d, hook('ok/tlsrpt-m12-other'));
  assert.notEqual((await tlsrpt(other)).destinations.https, t.destinations.https);
  assert.equal((await fetch(`${BASE}/api/monitor/${sub.id}/tlsrpt`, { headers: auth(other) })).status, 404);
  // Pending: refused, nothing stored.
  const j = report('clean.json', d);
  const pending = await postJson(t.destinations.https, j);
  assert.equal(pending.status, 404);
  assert.equal(pending.body.error.code, 'not-active');
  // Unknown tokens: a forged MAC, another shape, garbage.
  const forged = token.slice(0, 25) + (token[25] === '0' ? '1' : '0') + token.slice(26);
  for (const bad of [forged, randomBytes(12).toString('hex') + '-' + randomBytes(16).toString('hex'), 'x', '..%2F..%2Fetc']) {
    const r = await postJson(`${BASE}/api/tlsrpt/${bad}`, j);
    assert.equal(r.status, 404, bad);
  }
  await activate(d, [sub, other]);
  const ok = await postJson(t.destinations.https, j);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.deepEqual(ok.body.stored, ['a-2026-11-02']);
  assert.equal((await tlsrpt(other)).summary.totals.reports, 0, 'the other subscription has none');
  assert.equal((await tlsrpt(sub)).summary.totals.reports, 1);
});

test('the fixture reports POSTed as JSON and gzip: stored once each, the figures as in the reports', async () => {
  const d = 'm13.mon.test';
  const sub = await subscribe(d, hook('ok/tlsrpt-m13'));
  await activate(d, [sub]);
  const url = (await tlsrpt(sub)).destinations.https;
  const names = ['clean.json', 'mx2-mismatch.json', 'no-sending-ip.json', 'extra-fields.json', 'mx-host-string.json', 'string-counts.json', 'rfc8460-example.json.gz'];
  // The RFC's example is dated 2016: summary rows older than 400 days are pruned, so it is
  // given a recent period (its counts are what is checked).
  const recent = (j) => ({ ...j, 'date-range': { 'start-datetime': '2026-11-06T00:00:00Z', 'end-datetime': '2026-11-06T23:59:59Z' } });
  const reports = names.map((n) => report(n, d, n.startsWith('rfc8460') ? recent : undefined));
  for (const [i, j] of reports.entries()) {
    const r = i % 2 ? await postGzip(url, j) : await postJson(url, j);
    assert.equal(r.status, 201, `${names[i]}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(r.body.stored, [j['report-id']]);
  }
  // The same reports again, in the other encoding: duplicates, 200, nothing counted twice.
  for (const [i, j] of reports.entries()) {
    const r = i % 2 ? await postJson(url, j) : await postGzip(url, j);
    assert.equal(r.status, 200, names[i]);
    assert.deepEqual(r.body, { stored: [], duplicates: [j['report-id']] });
  }
  const s = (await tlsrpt(sub)).summary;
  const e = expected(reports);
  assert.equal(s.totals.reports, reports.length);
  assert.equal(s.totals.duplicates, reports.length);
  assert.equal(s.totals.successful, e.successful);
  assert.equal(s.totals.failed, e.failed);
  assert.equal(s.totals.senders, e.senders.size);
  assert.equal(s.totals.days, e.days.size);
  assert.deepEqual(table(s.failures_by_type, 'result_type'), e.byType);
  assert.deepEqual(table(s.failures_by_mx, 'mx'), e.byMx);
  assert.deepEqual(s.senders.map((x) => x.sender).sort(), [...e.senders].sort());
  assert.equal(s.days.reduce((k, x) => k + x.reports, 0), reports.length);
  assert.equal(s.days.reduce((k, x) => k + x.failed, 0), e.failed);
  // The reader's notes are kept with the report: string counts are read, 'n/a' is unreadable.
  const g = s.reports.find((r) => r.report_id === 'g-2026-11-05');
  assert.equal(g.unreadable, 1);
  assert.ok(g.notes.length > 0);
  assert.ok(s.reports.every((r) => r.raw_kept && r.via === 'https'));
  assert.match(s.headline, new RegExp(`^${e.days.size} days of reports from ${e.senders.size} senders; ${e.failed} failed sessions`));
  // A report for another domain is not taken.
  const foreign = await postJson(url, report('clean.json', 'elsewhere.test', (j) => ({ ...j, 'report-id': 'foreign-1' })));
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error.code, 'not-subscribed');
  assert.equal((await tlsrpt(sub)).summary.totals.reports, reports.length);
});

test('refused without harm: a gzip bomb, a body over the cap, garbage, broken JSON', async () => {
  const d = 'm14.mon.test';
  const sub = await subscribe(d, hook('ok/tlsrpt-m14'));
  await activate(d, [sub]);
  const url = (await tlsrpt(sub)).destinations.https;
  const bomb = await post(url, fixture('bomb.json.gz'), 'application/tlsrpt+gzip');
  assert.equal(bomb.status, 413);
  assert.equal(bomb.body.error.code, 'too-large');
  assert.match(bomb.body.error.message, /gzip bomb/);
  const big = JSON.stringify(report('clean.json', d)) + ' '.repeat(1 << 20);
  const over = await post(url, big, 'application/tlsrpt+json');
  assert.equal(over.status, 413);
  assert.equal((await post(url, 'hello', 'application/tlsrpt+json')).status, 400);
  assert.equal((await post(url, Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), 'application/tlsrpt+gzip')).status, 400);
  assert.equal((await post(url, '{"policies": [', 'application/tlsrpt+json')).status, 422);
  assert.equal((await post(url, fixture('notes.txt'), 'text/plain')).status, 400);
  const s = (await tlsrpt(sub)).summary;
  assert.equal(s.totals.reports, 0, 'nothing stored');
  assert.equal(s.totals.refused, 6, 'each refusal counted');
  assert.equal((await fetch(`${BASE}/api/health`)).status, 200, 'the Worker lives');
  // And it still takes a good report.
  assert.equal((await postGzip(url, report('rfc8460-example.json.gz', d))).status, 201);
  // Paused (the DNS token removed, "check now"): refused, nothing stored.
  await world(d, 'good', []);
  const v = await fetch(`${BASE}/api/monitor/${sub.id}/verify`, { method: 'POST', headers: { ...auth(sub), 'CF-Connecting-IP': ip() } });
  assert.equal((await v.json()).state, 'paused');
  const paused = await postJson(url, report('clean.json', d));
  assert.equal(paused.status, 404);
  assert.equal(paused.body.error.code, 'not-active');
  assert.equal((await tlsrpt(sub)).summary.totals.reports, 1);
});

// wrangler dev's email endpoint wants a Message-ID (the fixture has none).
const withId = (eml, eol = '\n') => `Message-ID: <${randomBytes(8).toString('hex')}@sender.example>${eol}${eml}`;
// The fixture message (CRLF lines), with LF lines for editing.
const emlText = () => fixture('report.eml').toString('utf8').replace(/\r\n/g, '\n');
// A multipart/report message as report.eml is, carrying `gz` as its attachment.
function message(domain, to, gz) {
  const eml = emlText();
  const b64 = gz.toString('base64').replace(/.{1,76}/g, '$&\n');
  return withId(eml).replace(/^To: .*$/m, `To: ${to}`).replaceAll('example.net', domain)
    .replace(/(Content-Disposition: attachment;\n filename="[^"]*"\n\n)[\s\S]*?(\n--=_b1--)/, `$1${b64}$2`)
    .replace(/\n/g, '\r\n');
}
// The local endpoint answers 400 with the reason when the Worker called setReject — but it hands
// the Worker an RPC stub, so a setReject made just before the handler returns can land after the
// endpoint has answered 200 (seen with wrangler 4.86). The reason is checked when it arrives;
// what the Worker did (nothing stored, the refusal counted) is checked below in every case.
function rejection(r, reason) {
  if (r.status === 400) assert.match(r.text, reason, r.text);
  else assert.equal(r.text, 'Worker successfully processed email');
}
async function mail(from, to, raw) {
  const r = await fetch(`${BASE}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { method: 'POST', body: raw });
  return { status: r.status, text: await r.text() };
}

test('the mailto: destination: the fixture message through the local Email Worker', async () => {
  const d = 'm15.mon.test';
  const sub = await subscribe(d, hook('ok/tlsrpt-m15'));
  await activate(d, [sub]);
  const to = (await tlsrpt(sub)).destinations.mailto.replace(/^mailto:/, '');
  // The fixture's own attachment, read back here, for this domain.
  const eml = emlText();
  const att = eml.split('filename="MailSenderH!example.net!1793664000!1793750399!h-2026-11-05.json.gz"\n\n')[1].split('\n--=_b1--')[0];
  const j = JSON.parse(gunzipSync(Buffer.from(att, 'base64')).toString('utf8').replaceAll('example.net', d));
  const r = await mail('noreply-smtp-tls-reporting@sender.example', to, message(d, to, gzipSync(JSON.stringify(j))));
  assert.equal(r.status, 200, r.text);
  const s = await until('the mailed report', async () => { const x = (await tlsrpt(sub)).summary; return x.totals.reports ? x : null; });
  const e = expected([j]);
  assert.equal(s.totals.successful, e.successful);
  assert.equal(s.totals.failed, e.failed);
  assert.equal(s.reports[0].via, 'mail');
  assert.equal(s.reports[0].report_id, j['report-id']);
  // The same message again: one report. The unmodified fixture (for example.net) and an
  // unknown recipient are rejected; nothing more is stored.
  await mail('a@sender.example', to, message(d, to, gzipSync(JSON.stringify(j))));
  const raw = fixture('report.eml').toString('utf8');
  const rejected = await mail('a@sender.example', to, withId(raw, '\r\n'));
  rejection(rejected, /receives reports for m15\.mon\.test, not for example\.net \(not-subscribed\)/);
  const unknown = await mail('a@sender.example', `nobody@${MAIL_DOMAIN}`, withId(raw, '\r\n'));
  rejection(unknown, /no such TLS-RPT destination/);
  const noReport = await mail('a@sender.example', to, withId('From: a@sender.example\nTo: x\nSubject: hi\n\nhello\n'));
  rejection(noReport, /not a TLS report|no TLS report/);
  await sleep(500);
  const after = (await tlsrpt(sub)).summary;
  assert.equal(after.totals.reports, 1);
  assert.equal(after.totals.duplicates, 1);
  assert.equal(after.totals.refused, 2, 'the foreign report and the message without one');
});


test('alerts: one signed alert for a new failure, none for the next failing report, one resolved', async () => {
  const d = 'm11.mon.test';
  const path = 'ok/tlsrpt-m11';
  const sub = await subscribe(d, hook(path));
  await activate(d, [sub]);
  const url = (await tlsrpt(sub)).destinations.https;
  const day = (j, n) => ({ ...j, 'report-id': `${j['report-id']}-day${n}`, 'date-range': { 'start-datetime': `2026-11-1${n}T00:00:00Z`, 'end-datetime': `2026-11-1${n}T23:59:59Z` } });
  const clean = report('clean.json', d);
  const failing = report('mx2-mismatch.json', d, (j) => ({ ...j, 'organization-name': clean['organization-name'] }));
  const settle = () => sleep(3500);
  assert.equal((await postJson(url, day(clean, 1))).status, 201);
  await settle();
  assert.equal((await hooksTo(path)).length, 0, 'a clean report sends nothing');
  assert.equal((await postGzip(url, day(failing, 2))).status, 201);
  const [h] = await until('the alert', async () => { const l = await hooksTo(path); return l.length ? l : null; });
  verifySignature(h, sub.webhook_secret);
  const alert = JSON.parse(h.body);
  assert.equal(alert.type, 'mtasts.tlsrpt.failing');
  assert.equal(alert.data.domain, d);
  assert.equal(alert.data.report.failed, 12);
  assert.deepEqual(alert.data.new_failing, [`mx:mx2.${d}`, 'sender:Mail Sender A', 'type:certificate-host-mismatch']);
  assert.match(alert.data.findings[0].message, /certificate-host-mismatch at mx2\.m11\.mon\.test/);
  assert.match(alert.data.unsubscribe_url, new RegExp(`/api/monitor/${sub.id}/unsubscribe\\?sig=`));
  // The failure goes on: no second alert (and a duplicate of it changes nothing either).
  assert.equal((await postJson(url, day(failing, 3))).status, 201);
  assert.equal((await postJson(url, day(failing, 3))).status, 200);
  await settle();
  assert.equal((await hooksTo(path)).length, 1, 'one alert for the whole failure');
  const open = (await tlsrpt(sub)).summary.alerting.open;
  assert.equal(open.first_day, '2026-11-12');
  // Clean again: one resolved message.
  assert.equal((await postJson(url, day(clean, 4))).status, 201);
  const resolved = await until('resolved', async () => { const l = await hooksTo(path); return l.length === 2 ? l[1] : null; });
  verifySignature(resolved, sub.webhook_secret);
  const body = JSON.parse(resolved.body);
  assert.equal(body.type, 'mtasts.tlsrpt.resolved');
  assert.match(body.data.summary, /since 2026-11-12/);
  assert.notEqual(resolved.headers['webhook-id'], h.headers['webhook-id']);
  assert.equal((await postJson(url, day(clean, 5))).status, 201);
  await settle();
  assert.equal((await hooksTo(path)).length, 2, 'nothing more');
  const s = (await tlsrpt(sub)).summary;
  assert.equal(s.alerting.open, null);
  assert.equal(s.alerting.incidents, 1);
  assert.equal(s.totals.failed, 24);
  // The monitor lists the deliveries with the others.
  const deliveries = (await (await fetch(`${BASE}/api/monitor/${sub.id}`, { headers: auth(sub) })).json()).deliveries;
  assert.deepEqual(deliveries.map((x) => x.id).sort(), [`tlsrpt-${sub.id}-1-open`, `tlsrpt-${sub.id}-1-resolved`]);
  assert.ok(deliveries.every((x) => x.state === 'delivered'));
});
