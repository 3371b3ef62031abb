// Benchmark (prints figures; asserts nothing): the linter in Chromium, whose engine is a second
// module (web/src/lint_wire.rs) fetched once the page is on screen. Cold loads (a new browser
// context each: nothing cached): navigation → page on screen (the loader's `mtasts-on-screen`
// mark) → engine ready (`mtasts-lint-ready`). Then one lint through the engine (the module's
// `lint` called from JS, draft in, report out as JS values) for the broken example and a 64 KiB
// policy, and from an input event to the findings on screen (the page's 120 ms debounce
// included). Run under the fixture stack: scripts/fixture-stack.sh -- node scripts/bench-lint-web.mjs
import { chromium } from "@playwright/test";
import { readFileSync } from "node:fs";

const base = process.env.MTASTS_BASE || "http://127.0.0.1:8787";
const n = Number(process.env.N || 10);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const onScreen = [], ready = [];
for (let i = 0; i < n; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(base + "/lint");
  await page.waitForFunction(() => performance.getEntriesByName("mtasts-lint-ready").length > 0);
  const [s, r] = await page.evaluate(() => ["mtasts-on-screen", "mtasts-lint-ready"].map((m) => performance.getEntriesByName(m)[0].startTime));
  onScreen.push(s);
  ready.push(r);
  await ctx.close();
}
const page = await browser.newPage();
await page.goto(base + "/lint");
await page.waitForFunction(() => typeof window.mtastsLint === "function");
const broken = readFileSync("examples/broken-policy.txt", "utf8");
const good = "version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 604800\n";
const big = "version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\n" + "mx: mail.example.com\r\n".repeat(2900);
const call = (policy) => page.evaluate((policy) => {
  const d = { domain: "", policy, sts_txt: ["v=STSv1; id=2026-11-22"], mx_hosts: ["mail.example.com"], tlsrpt: [], content_type: null, policy_size: policy.length };
  const times = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    window.mtastsLint(d);
    times.push(performance.now() - t);
  }
  return times.sort((x, y) => x - y)[25];
}, policy);
const brokenMs = await call(broken);
const bigMs = await call(big);
// Input event → the status line says what was found (debounce, the engine, decode, render).
const typed = [];
for (let i = 0; i < n; i++) {
  typed.push(await page.evaluate((policy) => new Promise((done) => {
    const status = document.querySelector(".lint-status");
    const before = status.textContent;
    const ta = document.getElementById("policy");
    const t = performance.now();
    new MutationObserver((_, o) => { if (status.textContent !== before) { o.disconnect(); done(performance.now() - t); } })
      .observe(status, { childList: true, subtree: true, characterData: true });
    ta.value = policy;
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  }), i % 2 ? broken : good));
}
await browser.close();
console.log(`cold /lint (loopback, ${n} loads): on screen median ${med(onScreen).toFixed(0)} ms, engine ready median ${med(ready).toFixed(0)} ms (the wait for the second module: ${(med(ready) - med(onScreen)).toFixed(0)} ms)`);
console.log(`one lint through the engine (median of 50): the broken example ${brokenMs.toFixed(2)} ms, a 64 KiB policy (2,900 mx lines) ${bigMs.toFixed(2)} ms`);
console.log(`input event → findings on screen (120 ms debounce included): median ${med(typed).toFixed(0)} ms`);
