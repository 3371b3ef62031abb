// Benchmark (prints figures; asserts nothing): in Chromium, the page load to a ready checker (its
// first-load shell), and the time from pressing Enter in the checker to the finished report (the
// checker's own build loaded by then), against the one /api/report round trip it makes. Run under
// the fixture stack with injected delays: scripts/bench-web.sh.
import { chromium } from "@playwright/test";

const base = process.env.MTASTS_BASE || "http://127.0.0.1:8787";
const n = Number(process.env.N || 15);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
let t = Date.now();
await page.goto(base + "/");
await page.locator("#domain").waitFor();
const cold = Date.now() - t;
const total = [], api = [], requests = [], loads = [], inPage = [], render = [];
page.on("request", (r) => { if (r.url().includes("/api/")) requests.push(r.url()); });
for (let i = 0; i < n; i++) {
  const domain = i % 2 ? "good.test" : "stale.test";
  t = Date.now();
  await page.goto(base + "/");
  await page.locator("#domain").waitFor();
  loads.push(Date.now() - t);
  await page.locator("#domain").fill(domain);
  await page.evaluate(() => performance.clearResourceTimings());
  // The key press, on the page's own clock (`/` is the checker's first-load shell: Enter loads
  // the checker's build, a new document, so the press is kept in session storage).
  await page.evaluate(() => document.querySelector("#domain").addEventListener("keydown", () => {
    sessionStorage.setItem("bench.pressed", String(performance.timeOrigin + performance.now()));
  }, { once: true, capture: true }));
  const t0 = Date.now();
  await page.locator("#domain").press("Enter");
  await page.locator(".report [data-verdict]").waitFor();
  await page.locator("#sec-dane").waitFor();
  total.push(Date.now() - t0);
  await page.waitForFunction(() => performance.getEntriesByName("mtasts-check").length > 0);
  // Key press → report on screen: the measure ends when the report is on its way to the screen;
  // it starts at the press when the press was in this document, else at this document's start.
  inPage.push(await page.evaluate(() => {
    const m = performance.getEntriesByName("mtasts-check").at(-1);
    const pressed = Number(sessionStorage.getItem("bench.pressed"));
    const start = performance.getEntriesByName("mtasts-check-start").length ? m.startTime : pressed - performance.timeOrigin;
    return m.startTime + m.duration - start;
  }));
  render.push(await page.evaluate(() => performance.getEntriesByName("mtasts-check-render").at(-1)?.duration ?? NaN));
  api.push(await page.evaluate(() => {
    const e = performance.getEntriesByType("resource").find((r) => r.name.includes("/api/report"));
    return e ? e.responseEnd - e.startTime : NaN;
  }));
}
await browser.close();
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`page load → checker ready (loopback): first ${cold} ms, then median ${med(loads)} ms (HTTP cache warm)`);
console.log(`Enter → full report over ${n} checks: median ${med(total)} ms (min ${Math.min(...total)}, max ${Math.max(...total)})`);
console.log(`the /api/report round trip: median ${med(api).toFixed(0)} ms; requests to /api per check: ${requests.length / n}`);
console.log(`measured inside the page (performance marks): key press → report on screen median ${med(inPage).toFixed(0)} ms; response → report on screen (decode + render) median ${med(render).toFixed(1)} ms`);
console.log(`as the test driver sees it beyond the round trip (polling included): median ${(med(total) - med(api)).toFixed(0)} ms`);
