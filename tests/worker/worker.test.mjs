// Worker tests under `wrangler dev` (workerd) against the fixture internet.
// Run through scripts/fixture-stack.sh, which sets MTASTS_BASE, MTASTS_FIXTURE_STATS and
// MTASTS_FIXTURES_BIN:  bash scripts/fixture-stack.sh -- node --test tests/worker/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const BASE = process.env.MTASTS_BASE ?? 'http://127.0.0.1:8787';
const STATS = process.env.MTASTS_FIXTURE_STATS ?? 'http://127.0.0.1:8053/__stats';
// Each scenario's verdict and codes as the Worker sees them (`edge`: the platform may fail or
// answer in the policy host's place, which is "could not check" there).
const SCENARIOS = JSON.parse(execFileSync(process.env.MTASTS_FIXTURES_BIN ?? 'target/debug/mtasts-fixtures', ['--print-scenarios']).toString())
  .map((s) => ({ domain: s.domain, ...s.edge }));

// Each request is its own client for the per-client rate limit (wrangler dev trusts the
// CF-Connecting-IP header that Cloudflare would set), unless a test names one.
let client = 0;
const get = (path, headers = {}) =>
  fetch(BASE + path, { headers: { 'CF-Connecting-IP': `203.0.113.${(client++ % 250) + 1}`, ...headers } });
const stats = async () => (await fetch(STATS)).json();

test('health', async () => {
  const r = await get('/api/health');
  assert.equal(r.status, 200);
  assert.equal((await r.json()).status, 'ok');
});

test('the 64 KiB cap holds', async () => {
  const { policy_fetch: f } = await (await get('/api/evidence?domain=big.test')).json();
  assert.equal(f.status, 200);
  assert.equal(f.truncated, true);
  assert.equal(f.body.text.length, 64 * 1024);
});

test('the fetch time-out holds', async () => {
  const t0 = Date.now();
  const r = await get('/api/evidence?domain=slow.test');
  assert.equal(r.headers.get('x-evidence-cache'), 'miss');
  const { policy_fetch: f } = await r.json();
  const took = Date.now() - t0;
  assert.equal(f.error.kind, 'timeout');
  assert.ok(took < 8000, `took ${took} ms with a 3 s time-out`);
});

test('redirects are recorded, never followed', async () => {
  const { policy_fetch: f } = await (await get('/api/evidence?domain=redirect.test')).json();
  assert.equal(f.status, 301);
  assert.equal(f.location, 'https://www.redirect.test/.well-known/mta-sts.txt');
});

test("the platform's own failures are could not check, never the domain's", async () => {
  // workerd says only "internal error" for a certificate it refuses: not a verdict.
  for (const d of ['wrongname.test', 'expired.test']) {
    const { evidence, report } = await (await get(`/api/report?domain=${d}`)).json();
    assert.equal(evidence.policy_fetch.error.kind, 'checker-side', d);
    assert.equal(report.verdict, 'inconclusive', d);
    assert.ok(!report.findings.some((f) => f.code === 'policy-tls'), d);
    assert.match(report.summary, /could not check/i, d);
  }
  // A 52x is the edge's answer in the host's place: recorded, and could not check.
  const { evidence, report } = await (await get('/api/report?domain=edge522.test')).json();
  assert.equal(evidence.policy_fetch.status, 522);
  assert.equal(evidence.policy_fetch.error.kind, 'checker-side');
  assert.match(evidence.policy_fetch.error.message, /edge platform answered HTTP 522 itself/);
  assert.equal(report.verdict, 'inconclusive');
  assert.ok(!report.findings.some((f) => f.code === 'policy-http-status'));
});

// After the tests above: they need fresh observations, and these fill the edge's Evidence cache.
for (const s of SCENARIOS) {
  test(`scenario ${s.domain}: ${s.verdict}${s.code ? ' with ' + s.code : ''}`, async () => {
    const r = await get(`/api/report?domain=${s.domain}`);
    assert.equal(r.status, 200);
    const { evidence, report } = await r.json();
    const codes = report.findings.map((f) => f.code);
    assert.equal(report.verdict, s.verdict, `${s.domain}: ${codes.join(', ')}`);
    for (const c of s.codes) assert.ok(codes.includes(c), `${s.domain}: ${c} not in ${codes.join(', ')}`);
    assert.equal(evidence.domain, s.domain);
    assert.equal(evidence.schema_version, 2);
  });
}

const REFUSED = [
  '127.0.0.1', '2130706433', '0x7f000001', '0177.0.0.1', '[::1]', '::1', 'http://[::1]/',
  'localhost', 'com', 'printer.local', 'db.internal', 'x.localhost', '1.0.0.127.in-addr.arpa', 'x.invalid',
  'example.com:8443', 'https://user@good.test/', 'https://good.test@evil.test/', 'a'.repeat(64) + '.com',
  'exa_mple.com', '%00.com', '',
];

test('refusals give 400 and no upstream request', async () => {
  const before = await stats();
  for (const input of REFUSED) {
    const r = await get(`/api/evidence?domain=${encodeURIComponent(input)}`);
    assert.equal(r.status, 400, input);
    const body = await r.json();
    assert.ok(body.error && body.error.code && body.error.message, input);
  }
  const r = await get('/api/evidence');
  assert.equal(r.status, 400);
  assert.deepEqual(await stats(), before);
});

test('/api/mx: the MX lookup alone; refusals and failures as for evidence', async () => {
  const r = await get('/api/mx?domain=good.test');
  assert.equal(r.status, 200);
  const mx = await r.json();
  assert.equal(mx.qtype, 'MX');
  assert.deepEqual(mx.answers.map((a) => [a.preference, a.exchange]), [[10, 'mx1.good.test'], [20, 'mx2.good.test']]);
  const before = await stats();
  assert.equal((await get('/api/mx?domain=127.0.0.1')).status, 400);
  assert.deepEqual(await stats(), before);
  // SERVFAIL is an answer: it is reported, not turned into a 5xx.
  const sf = await (await get('/api/mx?domain=servfail.test')).json();
  assert.equal(sf.rcode, 'SERVFAIL');
});

test('pasted forms are accepted', async () => {
  for (const input of ['https://GOOD.test/x?y=1', 'mailto:postmaster@good.test', ' good.test. ', 'user@good.test']) {
    const r = await get(`/api/evidence?domain=${encodeURIComponent(input)}`);
    assert.equal(r.status, 200, input);
    assert.equal((await r.json()).domain, 'good.test');
  }
});

test('CORS and security headers', async () => {
  const r = await get('/api/health');
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.equal(r.headers.get('access-control-allow-credentials'), null);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
  const pre = await fetch(BASE + '/api/report', { method: 'OPTIONS' });
  assert.equal(pre.status, 204);
  assert.match(pre.headers.get('access-control-allow-methods'), /GET/);
});

test('one origin: the app, its fallback, and API 404s', async () => {
  const home = await get('/');
  assert.equal(home.status, 200);
  assert.match(home.headers.get('content-type'), /text\/html/);
  const deep = await get('/lint');
  assert.equal(deep.status, 200);
  assert.match(await deep.text(), /<html/i);
  const api = await get('/api/nope');
  assert.equal(api.status, 404);
  assert.equal((await api.json()).error.code, 'not-found');
  // The benchmark's replay route exists only when the operator sets BENCH_ROUTE=1.
  const bench = await fetch(BASE + '/api/bench/report?n=10', { method: 'POST', body: '{}' });
  assert.equal(bench.status, 404);
  assert.equal((await bench.json()).error.code, 'not-found');
});

test('hostile MX names never reach a TLSA query or a cache key', async () => {
  const { evidence, report } = await (await get('/api/report?domain=hostile.test')).json();
  // Six exchanges, five of them no host name: in the whole run, only mx1's TLSA was asked for.
  const tlsa = (await stats()).queried.filter((q) => q.startsWith('52 ') && q.includes('hostile'));
  assert.ok(tlsa.length >= 1);
  assert.deepEqual([...new Set(tlsa)], ['52 _25._tcp.mx1.hostile.test']);
  assert.deepEqual(evidence.tlsa.map((l) => l.name), ['_25._tcp.mx1.hostile.test']);
  // Each name is judged as itself: none is folded into mx1 by a URL parser or a trim.
  const hosts = report.mx_hosts.map((h) => [h.host, h.covered_by ?? null]);
  assert.deepEqual(hosts, [
    ['mx1.hostile.test', 'mx1.hostile.test'], ['mx1.hostile.test#', null], ['mx1.hostile.test?', null],
    ['mx1.hostile.test/x', null], ['mx1%2ehostile.test', null], ['mx1.hostile.test\t', null],
  ]);
  // A second look is served by the edge's caches; what mx1 got is still only mx1's.
  const again = await (await get('/api/mx?domain=hostile.test')).json();
  assert.equal(again.answers.length, 6);
});

test('DNS answers are cached by TTL', async () => {
  await get('/api/mx?domain=lf.test');
  const before = await stats();
  await get('/api/mx?domain=lf.test');
  const after = await stats();
  assert.equal(after.dns, before.dns, 'a repeated lookup made DNS queries');
});

test("a domain's Evidence is served from the edge for a minute: its hosts are not hammered", async () => {
  const first = await get('/api/report?domain=ctype.test');
  const before = await stats();
  const views = await Promise.all(Array.from({ length: 5 }, () => get('/api/evidence?domain=ctype.test')));
  for (const v of views) assert.equal(v.headers.get('x-evidence-cache'), 'hit');
  assert.deepEqual(await stats(), before, 'repeated views made DNS or HTTPS requests');
  const { evidence } = await first.json();
  assert.equal((await views[0].json()).observed_at, evidence.observed_at);
});

test('/api/feed: a valid Atom feed whose one entry id is the judged state', async () => {
  const feed = async (d) => {
    const r = await get(`/api/feed?domain=${d}`);
    assert.equal(r.status, 200, d);
    assert.equal(r.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    assert.match(r.headers.get('cache-control'), /^public, max-age=300$/);
    return { text: await r.text(), cache: r.headers.get('x-render-cache') };
  };
  const first = await feed('stale.test');
  const xml = first.text;
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  assert.equal(xml.match(/<entry>/g).length, 1);
  for (const el of ['id', 'title', 'updated', 'author', 'link']) assert.match(xml, new RegExp(`<${el}[ >]`), el);
  assert.match(xml, /<title>stale.test: Broken<\/title>/);
  assert.ok(xml.includes(`<link rel="alternate" type="text/html" href="${BASE}/?domain=stale.test"/>`), xml);
  assert.match(xml, /\[mx-not-covered\]/);
  const id = (x) => x.match(/<id>(urn:mtasts:state:[^<]+)<\/id>/)[1];
  // The same state: the same entry id (served from the edge for a few minutes).
  const again = await feed('stale.test');
  assert.equal(id(again.text), id(xml));
  assert.equal(again.cache, 'hit');
  // Another state: another id.
  assert.notEqual(id((await feed('good.test')).text), id(xml));
  // Bad input is refused like the API, before any lookup.
  assert.equal((await get('/api/feed?domain=not..valid')).status, 400);
});

test('/badge: an SVG with the verdict in words and an accessible title', async () => {
  const badge = async (d) => {
    const r = await get(`/badge?domain=${d}`);
    assert.equal(r.status, 200, d);
    assert.equal(r.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
    return r.text();
  };
  const pass = await badge('good.test');
  assert.match(pass, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* role="img" aria-labelledby="t">/);
  assert.match(pass, /<title id="t">MTA-STS for good.test: pass<\/title>/);
  assert.match(pass, /prefers-color-scheme:dark/);
  assert.match(await badge('stale.test'), />broken<\/text>/);
  assert.match(await badge('testing-no-tlsrpt.test'), />needs attention<\/text>/);
});

test('rate limiting: 429 with Retry-After, per client', async () => {
  const client = { 'CF-Connecting-IP': '198.51.100.77' };
  let limited = null;
  // Fixed windows: 200 requests cannot all fall short of the limit in two windows.
  for (let i = 0; i < 200 && !limited; i++) {
    const r = await get('/api/evidence?domain=refused.invalid', client);
    if (r.status === 429) limited = r;
  }
  assert.ok(limited, 'never rate limited');
  assert.equal(limited.headers.get('retry-after'), '60');
  assert.equal((await limited.json()).error.code, 'rate-limited');
  const other = await get('/api/health', { 'CF-Connecting-IP': '198.51.100.78' });
  assert.equal(other.status, 200);
});

test('IPv6 clients are limited per /64, not per address', async () => {
  // The limiter counts in fixed windows: requests can straddle a window's end, so send until
  // limited (at most 200, more than two windows' worth) and retry once if a window ends between
  // the two checks that follow.
  let ok = false;
  for (let attempt = 0; attempt < 3 && !ok; attempt++) {
    const net = `2001:db8:77:${attempt + 1}`;
    let limited = false;
    for (let i = 0; i < 200 && !limited; i++) {
      // A new address of the same /64 each time: one subscriber's /64 is one client.
      const r = await get('/api/evidence?domain=refused.invalid', { 'CF-Connecting-IP': `${net}::${(i + 1).toString(16)}` });
      limited = r.status === 429;
    }
    assert.ok(limited, 'never rate limited across one /64');
    const same = await get('/api/evidence?domain=refused.invalid', { 'CF-Connecting-IP': `${net}:ffff::1` });
    const next = await get('/api/evidence?domain=refused.invalid', { 'CF-Connecting-IP': `2001:db8:78:${attempt + 1}::1` });
    assert.equal(next.status, 400, 'another /64 is another client');
    ok = same.status === 429;
  }
  assert.ok(ok, 'another address of the same /64 was not limited');
});
