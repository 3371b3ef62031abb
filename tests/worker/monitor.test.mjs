// Hosted monitoring end to end under `wrangler dev --test-scheduled` against the fixture
// internet (issue 22): real D1 (migrated by scripts/fixture-stack.sh), real local queues, crons
// fired through /__scheduled. The monitoring zone m0–m15.mon.test changes between runs through
// the fixture's POST /__mon; hooks.mon.test is the webhook receiver, its journal at /__hooks.
//   bash scripts/fixture-stack.sh -- node --test tests/worker/monitor.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, CONTROL, HTTPS_PORT, RUN_CRON, VERIFY_CRON, sleep, hook, world, journal, hooksTo, until, verifySignature } from './helpers.mjs';

let client = 0;
const ip = () => `198.51.100.${(client++ % 250) + 1}`;

const stats = async () => (await fetch(`${CONTROL}/__stats`)).json();
// The D1 rows of one domain (MONITOR_TEST_ROUTES=1: GET /api/monitor/test/stats).
const rowsOf = async (domain) => (await (await fetch(`${BASE}/api/monitor/test/stats?domain=${domain}`)).json()).rows;
async function unsubscribeWithKey(sub) {
  const r = await fetch(`${BASE}/api/monitor/${sub.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${sub.management_key}` } });
  assert.equal(r.status, 200);
}

async function subscribe(domain, webhook, extra = {}, address = ip()) {
  const r = await fetch(`${BASE}/api/monitor`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': address },
    body: JSON.stringify({ domain, webhook, ...extra }),
  });
  return { status: r.status, body: await r.json() };
}
async function show(sub) {
  const r = await fetch(`${BASE}/api/monitor/${sub.id}`, { headers: { Authorization: `Bearer ${sub.management_key}` } });
  assert.equal(r.status, 200);
  return r.json();
}
// wrangler dev's /__scheduled runs the handler with the current time as the scheduled time.
async function cron(which) {
  const r = await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent(which)}`);
  assert.equal(r.status, 200, `scheduled ${which}`);
}
// The same check message as a queue may deliver it twice (the route exists only under
// MONITOR_TEST_ROUTES=1, which scripts/fixture-stack.sh sets).
async function enqueue(msg) {
  const r = await fetch(`${BASE}/api/monitor/test/enqueue`, { method: 'POST', body: JSON.stringify(msg) });
  assert.equal(r.status, 202);
}
const runOf = async (sub, run) => (await show(sub)).runs.find((r) => r.run === run);
// Fires the run cron and waits for `sub`'s domain's new run row.
async function runCron(sub, what) {
  const before = new Set((await show(sub)).runs.map((r) => r.run));
  await cron(RUN_CRON);
  return until(what, async () => (await show(sub)).runs.find((r) => !before.has(r.run)));
}
// Long enough for the queues (1 s batch time-out each) to have delivered anything queued.
const settle = () => sleep(3500);


// Publishes the tokens of `subs` and runs the verify cron until they are active.
async function activate(domain, subs, variant = 'good') {
  await world(domain, variant, subs.map((s) => s.dns.value));
  await cron(VERIFY_CRON);
  for (const s of subs) {
    await until(`${s.id} active`, async () => (await show(s)).subscription.state === 'active');
  }
}


test('hostile webhook URLs are refused, with no request made', async () => {
  const before = (await journal()).length;
  const dnsBefore = (await stats()).queried.length;
  for (const webhook of [
    `http://hooks.mon.test:${HTTPS_PORT}/ok/x`,
    `https://127.0.0.1:${HTTPS_PORT}/ok/x`,
    `https://[::1]:${HTTPS_PORT}/ok/x`,
    `https://0x7f000001:${HTTPS_PORT}/ok/x`,
    `https://user:pw@hooks.mon.test:${HTTPS_PORT}/ok/x`,
    'https://localhost/ok/x',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://router.lan/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
  ]) {
    const r = await subscribe('m9.mon.test', webhook);
    assert.equal(r.status, 400, webhook);
    assert.equal(r.body.error.code, 'bad-request', webhook);
  }
  assert.equal((await subscribe('not a domain', hook('ok/x'))).status, 400);
  await sleep(500);
  assert.equal((await journal()).length, before, 'the receiver saw nothing');
  const queried = (await stats()).queried.slice(dnsBefore);
  assert.ok(!queried.some((q) => /m9\.mon\.test|hooks/.test(q)), `no lookups: ${queried}`);
});

test('subscribe: a management key, a derived token, and nothing checked before the token is seen', async () => {
  const r = await subscribe('m1.mon.test', hook('ok/m1-pending'));
  assert.equal(r.status, 201);
  const sub = r.body;
  assert.equal(sub.state, 'pending');
  assert.match(sub.management_key, /^mk_[A-Za-z0-9_-]{43}$/);
  assert.match(sub.webhook_secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  assert.equal(sub.dns.name, '_mtasts-monitor.m1.mon.test');
  assert.match(sub.dns.value, /^v=MTASTSMON1; token=[0-9a-f]{40}$/);
  // Another subscription of the same domain gets another token.
  const other = (await subscribe('m1.mon.test', hook('ok/m1-other'))).body;
  assert.notEqual(other.dns.value, sub.dns.value);
  // The key opens only its own subscription; a wrong key looks like no subscription.
  const wrong = await fetch(`${BASE}/api/monitor/${sub.id}`, { headers: { Authorization: `Bearer ${other.management_key}` } });
  assert.equal(wrong.status, 404);
  const dnsBefore = (await stats()).queried.length;
  await cron(RUN_CRON);
  await cron(VERIFY_CRON);
  await settle();
  const queried = (await stats()).queried.slice(dnsBefore);
  assert.ok(queried.some((q) => q.endsWith(' _mtasts-monitor.m1.mon.test')), `the token was looked for: ${queried}`);
  assert.ok(!queried.some((q) => q.endsWith(' _mta-sts.m1.mon.test') || q.endsWith(' m1.mon.test')), `nothing checked: ${queried}`);
  const s = await show(sub);
  assert.equal(s.subscription.state, 'pending');
  assert.deepEqual(s.runs, []);
  assert.equal((await hooksTo('ok/m1-pending')).length, 0);
  // The signed unsubscribe link: a page on GET (link previews change nothing), the act on POST.
  const url = new URL(sub.unsubscribe_url);
  assert.equal((await fetch(url)).status, 200);
  assert.equal((await show(other)).subscription.state, 'pending');
  const forged = new URL(url);
  forged.searchParams.set('sig', 'x' + url.searchParams.get('sig').slice(1));
  assert.equal((await fetch(forged, { method: 'POST' })).status, 403);
  assert.equal((await fetch(url, { method: 'POST' })).status, 200);
  assert.equal((await show(sub)).subscription.state, 'unsubscribed');
  const del = await fetch(`${BASE}/api/monitor/${other.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${other.management_key}` } });
  assert.equal(del.status, 200);
});

test('baseline, one signed alert per subscriber on a change, nothing when unchanged or on a failed check, one alert on a redelivered message', async () => {
  const d = 'm2.mon.test';
  const a = (await subscribe(d, hook('ok/m2-a'))).body;
  const b = (await subscribe(d, hook('ok/m2-b'), { threshold: 'error' })).body;
  await activate(d, [a, b]);
  assert.ok((await show(a)).subscription.verified_at > 0);

  // Run 1: a baseline, nothing sent.
  const r1 = await runCron(a, 'run 1');
  assert.equal(r1.outcome, 'baseline');
  assert.equal(r1.verdict, 'pass');
  await settle();
  assert.equal((await hooksTo('ok/m2-a')).length + (await hooksTo('ok/m2-b')).length, 0);

  // Run 2: the policy edited without an id bump: one alert for each subscriber.
  await world(d, 'edited', [a.dns.value, b.dns.value]);
  const r2 = await runCron(a, 'run 2');
  const t2 = r2.run;
  assert.equal(r2.outcome, 'changed');
  assert.ok(r2.findings.some((f) => f.code === 'change-policy-id-unchanged'), JSON.stringify(r2.findings));
  for (const [sub, path] of [[a, 'ok/m2-a'], [b, 'ok/m2-b']]) {
    const [h] = await until(`alert to ${path}`, async () => { const l = await hooksTo(path); return l.length ? l : null; });
    verifySignature(h, sub.webhook_secret);
    assert.equal(h.headers['webhook-id'], `${sub.id}-${t2}`);
    const body = JSON.parse(h.body);
    assert.equal(body.type, 'mtasts.monitor.alert');
    assert.equal(body.data.domain, d);
    assert.ok(body.data.findings.some((f) => f.code === 'change-policy-id-unchanged' && f.message));
    assert.match(body.data.unsubscribe_url, new RegExp(`/api/monitor/${sub.id}/unsubscribe\\?sig=`));
  }
  await settle();
  assert.equal((await hooksTo('ok/m2-a')).length, 1, 'exactly one alert');
  assert.equal((await hooksTo('ok/m2-b')).length, 1, 'exactly one alert');
  const delivered = (await show(a)).deliveries.find((x) => x.run === t2);
  assert.equal(delivered.state, 'delivered');
  assert.equal(delivered.last_status, 200);

  // Run 3: unchanged, nothing sent.
  assert.equal((await runCron(a, 'run 3')).outcome, 'unchanged');
  await settle();
  assert.equal((await hooksTo('ok/m2-a')).length, 1);

  // Run 4, its message delivered twice at once and once more later: a new MX the enforce
  // policy does not cover → one row, one alert per subscriber.
  await world(d, 'new-mx', [a.dns.value, b.dns.value]);
  const t4 = Date.now();
  await Promise.all([enqueue({ kind: 'run', domain: d, run: t4 }), enqueue({ kind: 'run', domain: d, run: t4 })]);
  const r4 = await until('run 4', () => runOf(a, t4));
  assert.equal(r4.outcome, 'changed');
  assert.ok(r4.findings.some((f) => f.code === 'change-mx-added'), JSON.stringify(r4.findings));
  await until('alerts of run 4', async () => (await hooksTo('ok/m2-a')).length === 2 && (await hooksTo('ok/m2-b')).length === 2);
  await enqueue({ kind: 'run', domain: d, run: t4 });
  await settle();
  assert.equal((await show(a)).runs.filter((r) => r.run === t4).length, 1, 'one row');
  for (const path of ['ok/m2-a', 'ok/m2-b']) {
    const ids = (await hooksTo(path)).map((h) => h.headers['webhook-id']);
    assert.equal(ids.filter((i) => i.endsWith(`-${t4}`)).length, 1, `one alert for run 4 to ${path}: ${ids}`);
  }

  // Run 5: the check fails (the resolver fails): stored as could not check, nothing sent...
  await world(d, 'broken', [a.dns.value, b.dns.value]);
  assert.equal((await runCron(a, 'run 5')).outcome, 'could-not-check');
  // ... and run 6, back as in run 4, compares with run 4's baseline: unchanged.
  await world(d, 'new-mx', [a.dns.value, b.dns.value]);
  assert.equal((await runCron(a, 'run 6')).outcome, 'unchanged');
  await settle();
  assert.equal((await hooksTo('ok/m2-a')).length, 2, 'nothing for runs 5 and 6');

  // The Atom feed of the changes, with history (runs 2 and 4), by a read-only signed link.
  const feed = await fetch(a.feed_url);
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /application\/atom\+xml/);
  const xml = await feed.text();
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  assert.deepEqual([...xml.matchAll(/<id>urn:mtasts:monitor:m2\.mon\.test:(\d+)<\/id>/g)].map((m) => Number(m[1])), [t4, t2]);
  assert.match(xml, /change-policy-id-unchanged/);
  assert.match(xml, /change-mx-added/);
  const forgedFeed = new URL(a.feed_url);
  forgedFeed.searchParams.set('sig', new URL(a.unsubscribe_url).searchParams.get('sig'));
  assert.equal((await fetch(forgedFeed)).status, 403, 'the unsubscribe signature does not open the feed');

  // The token removed: paused, nothing checked.
  await world(d, 'good', []);
  const runs = (await show(a)).runs.length;
  await cron(RUN_CRON);
  await until('paused', async () => (await show(a)).subscription.state === 'paused');
  await settle();
  assert.equal((await show(a)).runs.length, runs, 'no run while paused');
});

test('a receiver answering 500 then 200 gets the alert once, after a retry; 410 unsubscribes', async () => {
  const d = 'm3.mon.test';
  const flaky = (await subscribe(d, hook('flaky/m3'))).body;
  const gone = (await subscribe(d, hook('gone/m3'))).body;
  await activate(d, [flaky, gone]);
  assert.equal((await runCron(flaky, 'baseline')).outcome, 'baseline');
  await world(d, 'new-mx', [flaky.dns.value, gone.dns.value]);
  const t2 = (await runCron(flaky, 'run 2')).run;
  const done = await until('delivered after a retry', async () => {
    const x = (await show(flaky)).deliveries.find((x) => x.run === t2);
    return x?.state === 'delivered' ? x : null;
  }, 30000);
  assert.equal(done.attempts, 2);
  const seen = await hooksTo('flaky/m3');
  assert.deepEqual(seen.map((h) => h.status), [500, 200]);
  assert.equal(seen[0].headers['webhook-id'], seen[1].headers['webhook-id'], 'the same message id on retry');
  verifySignature(seen[1], flaky.webhook_secret);
  await until('410 ends the subscription', async () => (await show(gone)).subscription.state === 'unsubscribed');
  assert.equal((await hooksTo('gone/m3')).length, 1);
  assert.equal((await show(gone)).deliveries[0].state, 'gone');
  // A later change reaches the live subscriber only.
  await world(d, 'edited', [flaky.dns.value, gone.dns.value]);
  await runCron(flaky, 'run 3');
  await until('alert of run 3', async () => (await hooksTo('flaky/m3')).length === 3);
  await settle();
  assert.equal((await hooksTo('gone/m3')).length, 1, 'nothing more to the unsubscribed receiver');
});

test('a receiver that always fails: retried with backoff, then dead-lettered and the endpoint marked failing', async () => {
  const d = 'm4.mon.test';
  const sub = (await subscribe(d, hook('fail/m4'))).body;
  await activate(d, [sub]);
  assert.equal((await runCron(sub, 'baseline')).outcome, 'baseline');
  await world(d, 'edited', [sub.dns.value]);
  const t2 = (await runCron(sub, 'run 2')).run;
  const failed = await until('dead-lettered', async () => {
    const s = await show(sub);
    const x = s.deliveries.find((x) => x.run === t2);
    return x?.state === 'failed' && s.subscription.failing === 1 ? x : null;
  }, 120000);
  assert.equal(failed.last_status, 500);
  // The first attempt and the 5 retries of wrangler.toml's max_retries, each signed alike.
  const seen = await hooksTo('fail/m4');
  assert.equal(seen.length, 6);
  assert.equal(new Set(seen.map((h) => h.headers['webhook-id'])).size, 1);
  const gaps = seen.slice(1).map((h, i) => Number(h.headers['webhook-timestamp']) - Number(seen[i].headers['webhook-timestamp']));
  assert.ok(gaps.at(-1) >= gaps[0], `backoff grows: ${gaps}`);
});

test('Slack- and Discord-format bodies reach the receiver, with the same signature headers', async () => {
  // Chosen by the URL when not asked for (no request is made: these stay pending).
  assert.equal((await subscribe('m6.mon.test', 'https://hooks.slack.com/services/T000/B000/XXXX')).body.format, 'slack');
  assert.equal((await subscribe('m6.mon.test', 'https://discord.com/api/webhooks/1/abc')).body.format, 'discord');
  assert.equal((await subscribe('m6.mon.test', hook('ok/x'), { format: 'teams' })).status, 400);
  const d = 'm6.mon.test';
  const slack = (await subscribe(d, hook('ok/m6-slack'), { format: 'slack' })).body;
  const discord = (await subscribe(d, hook('ok/m6-discord'), { format: 'discord' })).body;
  assert.equal(slack.format, 'slack');
  assert.equal(discord.format, 'discord');
  await activate(d, [slack, discord]);
  assert.equal((await runCron(slack, 'baseline')).outcome, 'baseline');
  await world(d, 'new-mx', [slack.dns.value, discord.dns.value]);
  const t2 = (await runCron(slack, 'run 2')).run;
  for (const [sub, path, field] of [[slack, 'ok/m6-slack', 'text'], [discord, 'ok/m6-discord', 'content']]) {
    const [h] = await until(`alert to ${path}`, async () => { const l = await hooksTo(path); return l.length ? l : null; });
    assert.equal(h.method, 'POST');
    assert.equal(h.headers['content-type'], 'application/json');
    assert.equal(h.headers['webhook-id'], `${sub.id}-${t2}`);
    verifySignature(h, sub.webhook_secret);
    const body = JSON.parse(h.body);
    assert.deepEqual(Object.keys(body), [field], `${sub.format}: one field, the chat app's`);
    const text = body[field];
    assert.match(text, /^MTA-STS of m6\.mon\.test: changed \(\w+\)/);
    assert.match(text, /\n• \[change-mx-added\] /);
    assert.match(text, /\nReport: http:\/\/127\.0\.0\.1:\d+\/\?domain=m6\.mon\.test\n/);
    assert.match(text, new RegExp(`\\nUnsubscribe: http://127\\.0\\.0\\.1:\\d+/api/monitor/${sub.id}/unsubscribe\\?sig=[A-Za-z0-9_-]+$`));
    assert.ok(text.length <= 2000, 'within Discord\'s 2000 characters');
  }
  await settle();
  assert.equal((await hooksTo('ok/m6-slack')).length, 1);
  assert.equal((await hooksTo('ok/m6-discord')).length, 1);
});

test('limits: 20 live subscriptions per domain, 10 new a day per client address (an IPv6 /64 is one), each a 429 that says so', async () => {
  const d = 'm7.mon.test';
  const made = [];
  for (let i = 0; i < 20; i++) {
    const r = await subscribe(d, hook(`ok/m7-${i}`));
    assert.equal(r.status, 201, `subscription ${i + 1}`);
    made.push(r.body);
  }
  const over = await subscribe(d, hook('ok/m7-over'));
  assert.equal(over.status, 429);
  assert.equal(over.body.error.code, 'limit');
  assert.equal(over.body.error.message, 'm7.mon.test has 20 subscriptions already');
  // An ended subscription frees its place.
  await unsubscribeWithKey(made[0]);
  assert.equal((await subscribe(d, hook('ok/m7-again'))).status, 201);
  assert.equal((await subscribe(d, hook('ok/m7-over'))).status, 429);

  for (const [dom, addresses, other] of [
    ['m8.mon.test', Array.from({ length: 11 }, () => '203.0.113.77'), '203.0.113.78'],
    ['m13.mon.test', Array.from({ length: 11 }, (_, i) => `2001:db8:7:7::${i + 1}`), '2001:db8:7:8::1'],
  ]) {
    for (let i = 0; i < 10; i++) {
      const r = await subscribe(dom, hook(`ok/m8-${i}`), {}, addresses[i]);
      assert.equal(r.status, 201, `${addresses[i]}: subscription ${i + 1}`);
      // Unsubscribing does not give the day's allowance back.
      if (i === 0) await unsubscribeWithKey(r.body);
    }
    const r = await subscribe(dom, hook('ok/m8-over'), {}, addresses[10]);
    assert.equal(r.status, 429, addresses[10]);
    assert.equal(r.body.error.code, 'limit');
    assert.equal(r.body.error.message, 'at most 10 subscriptions a day from one address');
    assert.equal((await subscribe(dom, hook('ok/m8-other'), {}, other)).status, 201, `${other} is another client`);
  }
});

test('the pending-token cron activates a subscription once its token appears; a run pauses it when the token goes and resumes it when it is back', async () => {
  const d = 'm10.mon.test';
  const sub = (await subscribe(d, hook('ok/m10'))).body;
  const other = (await subscribe('m10.mon.test', hook('ok/m10-other'))).body;
  // Another subscription's token (and another record) do not activate this one.
  await world(d, 'good', [other.dns.value, 'v=spf1 -all']);
  await cron(VERIFY_CRON);
  await until('the other one active', async () => (await show(other)).subscription.state === 'active');
  let s = await show(sub);
  assert.equal(s.subscription.state, 'pending');
  assert.equal(s.subscription.verified_at, null);
  await unsubscribeWithKey(other);

  // The token appears: the next verify cron activates it, and checks nothing.
  const dnsBefore = (await stats()).queried.length;
  await world(d, 'good', [sub.dns.value]);
  await cron(VERIFY_CRON);
  await until('active', async () => (await show(sub)).subscription.state === 'active');
  await settle();
  s = await show(sub);
  const verified = s.subscription.verified_at;
  assert.ok(verified > 0);
  assert.deepEqual(s.runs, [], 'the verify cron runs no check');
  const queried = (await stats()).queried.slice(dnsBefore).filter((q) => q.includes('m10.mon.test'));
  assert.ok(queried.length > 0 && queried.every((q) => q.endsWith(' _mtasts-monitor.m10.mon.test')), `only the token was read: ${queried}`);

  // The token disappears: the next run pauses it and checks nothing; the verify cron leaves it.
  await world(d, 'good', []);
  await cron(RUN_CRON);
  await until('paused', async () => (await show(sub)).subscription.state === 'paused');
  await cron(VERIFY_CRON);
  await settle();
  s = await show(sub);
  assert.equal(s.subscription.state, 'paused');
  assert.deepEqual(s.runs, []);

  // It is back: the next run resumes the subscription and checks (a first observation).
  await world(d, 'good', [sub.dns.value]);
  const r = await runCron(sub, 'the resumed run');
  assert.equal(r.outcome, 'baseline');
  s = await show(sub);
  assert.equal(s.subscription.state, 'active');
  assert.equal(s.subscription.verified_at, verified, 'the first verification is kept');
  assert.equal((await hooksTo('ok/m10')).length, 0);
});

test('a check that fails on every attempt is dead-lettered and stored as could not check, once; the baseline is kept', async () => {
  const d = 'm11.mon.test';
  const sub = (await subscribe(d, hook('ok/m11'))).body;
  await activate(d, [sub]);
  const r1 = await runCron(sub, 'baseline');
  assert.equal(r1.outcome, 'baseline');
  await world(d, 'edited', [sub.dns.value]);
  // A check message whose every attempt fails (tests only: MONITOR_TEST_ROUTES=1): retried
  // max_retries times by the local queue, then moved to mtasts-checks-dlq.
  const tf = Date.now();
  await enqueue({ kind: 'test-fail', domain: d, run: tf });
  const dead = await until('the dead-lettered run', () => runOf(sub, tf), 30000);
  assert.equal(dead.outcome, 'could-not-check');
  assert.equal(dead.verdict, 'inconclusive');
  assert.equal(dead.digest, '');
  assert.match(dead.findings[0].message, /dead-lettered/);
  // The same message dead-lettered again, and a dead letter for a run already stored: nothing
  // changes.
  await enqueue({ kind: 'test-fail', domain: d, run: tf });
  await enqueue({ kind: 'test-fail', domain: d, run: r1.run });
  await sleep(9000);
  const runs = (await show(sub)).runs;
  assert.equal(runs.filter((r) => r.run === tf).length, 1, 'one row');
  assert.deepEqual(runs.find((r) => r.run === r1.run), r1, 'the stored run is left as it is');
  assert.equal((await hooksTo('ok/m11')).length, 0, 'nothing sent');
  // The baseline is run 1's: the next run finds the edit.
  const r3 = await runCron(sub, 'the run after the dead letter');
  assert.equal(r3.outcome, 'changed');
  assert.ok(r3.findings.some((f) => f.code === 'change-policy-id-unchanged'), JSON.stringify(r3.findings));
  await until('one alert', async () => (await hooksTo('ok/m11')).length === 1);
});

test('pruning: the run cron deletes runs and finished deliveries older than the retention, a bounded batch per message; newer rows stay', async () => {
  const d = 'm12.mon.test';
  const sub = (await subscribe(d, hook('ok/m12'))).body;
  await activate(d, [sub]);
  const day = 86400000;
  const old = Date.now() - 100 * day; // MONITOR_RETENTION_DAYS is 90
  // Five runs of 100 days ago (the queue message names the run's time): a baseline, a change
  // whose alert is delivered, and three unchanged.
  await enqueue({ kind: 'run', domain: d, run: old });
  await until('old run 1', async () => (await rowsOf(d)).runs === 1);
  await world(d, 'edited', [sub.dns.value]);
  for (let k = 1; k < 5; k++) {
    await enqueue({ kind: 'run', domain: d, run: old + k * 1000 });
    await until(`old run ${k + 1}`, async () => (await rowsOf(d)).runs === k + 1);
  }
  await until('the old alert delivered', async () => (await show(sub)).deliveries.some((x) => x.state === 'delivered'));
  await enqueue({ kind: 'run', domain: d, run: Date.now() - 10 * day });
  await until('a run of 10 days ago', async () => (await rowsOf(d)).runs === 6);
  assert.equal((await rowsOf(d)).deliveries, 1);

  const log = process.env.MTASTS_WRANGLER_LOG;
  const from = log ? readFileSync(log, 'utf8').length : 0;
  await cron(RUN_CRON);
  // Today's run stored, the five old runs and the old delivery deleted.
  await until('pruned', async () => { const r = await rowsOf(d); return r.runs === 2 && r.deliveries === 0; }, 30000);
  const left = await rowsOf(d);
  assert.equal(left.baselines, 1, 'the watched domain keeps its baseline');
  assert.equal(left.subscriptions, 1);
  if (log) {
    // MONITOR_PRUNE_BATCH=2 (scripts/fixture-stack.sh): at most 2 rows of a table per message.
    const pruned = [...readFileSync(log, 'utf8').slice(from).matchAll(/monitor: pruned \[(\d+), (\d+), (\d+), (\d+)\]/g)].map((m) => m.slice(1).map(Number));
    assert.ok(pruned.length >= 3, `three prune messages at least: ${JSON.stringify(pruned)}`);
    assert.ok(pruned.every((c) => c.every((x) => x <= 2)), JSON.stringify(pruned));
    assert.ok(pruned.reduce((a, c) => a + c[0], 0) >= 5, JSON.stringify(pruned));
  }
});
