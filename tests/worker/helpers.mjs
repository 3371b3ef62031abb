// What the Worker's monitoring tests share (monitor.test.mjs, tlsrpt.test.mjs): the addresses
// scripts/fixture-stack.sh gives them, the fixture world's controls (the monitoring zone's
// scenario, the webhook receiver's journal), waiting, and a receiver's check of a signed alert.
// Not a test file itself (`node --test` runs the *.test.mjs files only).
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';

export const BASE = process.env.MTASTS_BASE ?? 'http://127.0.0.1:8787';
export const CONTROL = new URL(process.env.MTASTS_FIXTURE_STATS ?? 'http://127.0.0.1:8053/__stats').origin;
export const HTTPS_PORT = process.env.MTASTS_FIXTURE_HTTPS_PORT ?? '8443';
export const RUN_CRON = '0 6 * * *';
export const VERIFY_CRON = '*/15 * * * *';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A path of the fixture's webhook receiver (hooks.mon.test), which journals every request.
export const hook = (path) => `https://hooks.mon.test:${HTTPS_PORT}/${path}`;

// Sets `domain` of the monitoring zone to `variant`, publishing `tokens` (POST /__mon).
export async function world(domain, variant, tokens = []) {
  const r = await fetch(`${CONTROL}/__mon`, { method: 'POST', body: JSON.stringify({ domain, variant, tokens }) });
  assert.equal(r.status, 200, `world ${domain} ${variant}`);
}
export const journal = async () => (await fetch(`${CONTROL}/__hooks`)).json();
export const hooksTo = async (path) => (await journal()).filter((h) => h.path === `/${path}`);

// Polls `fn` until it gives something, for at most `ms`.
export async function until(what, fn, ms = 15000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

// Standard Webhooks 1.0, as a receiver checks it.
export function verifySignature(h, secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${h.headers['webhook-id']}.${h.headers['webhook-timestamp']}.${h.body}`;
  const expected = createHmac('sha256', key).update(signed).digest();
  const got = h.headers['webhook-signature'].split(' ').map((s) => s.split(',')).find(([v]) => v === 'v1');
  assert.ok(got, 'a v1 signature');
  const sig = Buffer.from(got[1], 'base64');
  assert.ok(sig.length === expected.length && timingSafeEqual(sig, expected), 'the signature verifies');
  assert.ok(Math.abs(Date.now() / 1000 - Number(h.headers['webhook-timestamp'])) < 300, 'a fresh timestamp');
}
