// The Worker without a rate limiter fails closed: every check is refused (503 `unavailable`)
// unless the development variable ALLOW_NO_RATE_LIMIT says otherwise. Starts its own
// `wrangler dev` from tests/worker/no-limiter.toml (the main stack's build, no binding; no
// monitoring either: its API answers 503 too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function withWorker(port, vars, fn) {
  const state = mkdtempSync(join(tmpdir(), 'mtasts-nolimit-'));
  const args = ['dev', '-c', 'tests/worker/no-limiter.toml', '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-port', String(port + 1000), '--persist-to', state, ...vars.flatMap((v) => ['--var', v])];
  const child = spawn('wrangler', args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  try {
    const base = `http://127.0.0.1:${port}`;
    let up = false;
    for (let i = 0; i < 90 && !up; i++) {
      up = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(up, `wrangler dev did not start:\n${log.slice(-2000)}`);
    await fn(base);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(state, { recursive: true, force: true });
  }
}

test('without a rate limiter every check is refused with 503', { timeout: 180_000 }, async () => {
  await withWorker(8797, [], async (base) => {
    for (const path of ['/api/evidence?domain=good.test', '/api/report?domain=good.test', '/api/mx?domain=good.test']) {
      const r = await fetch(base + path);
      assert.equal(r.status, 503, path);
      assert.equal((await r.json()).error.code, 'unavailable');
    }
    // Nor is monitoring configured there (no MONITOR_SECRET, no D1): the /monitor page says so
    // with this message (tests/e2e/monitor-unavailable.spec.mjs).
    const r = await fetch(`${base}/api/monitor`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ domain: 'good.test', webhook: 'https://hooks.example/x' }) });
    assert.equal(r.status, 503);
    assert.deepEqual((await r.json()).error, { code: 'unavailable', message: 'monitoring is not configured here (no MONITOR_SECRET)' });
  });
});

test('ALLOW_NO_RATE_LIMIT=1 (development) lets checks through', { timeout: 180_000 }, async () => {
  await withWorker(8798, ['ALLOW_NO_RATE_LIMIT:1'], async (base) => {
    const r = await fetch(`${base}/api/evidence?domain=good.test`);
    assert.notEqual(r.status, 503);
    assert.equal(r.status, 502, 'past the limiter, the unreachable resolver answers nothing');
  });
});
