// What a real Chromium receives before each page is on screen, loaded cold (a new browser context:
// empty cache): every response of the page's document, summed as the edge serves it (gzip -9 of
// each body; `wrangler dev` sends them uncompressed), against issue 21's targets. The live
// example on /widget is the widget's own document (an iframe of /embed): counted apart, against
// the widget's target. scripts/payload.mjs bounds the same builds at build time.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { test, expect, ready } from "./helpers.mjs";

const KB = 1024;
// The targets and the ceilings held (web/payload.json, shared with scripts/payload.mjs); each page
// names its build's entry.
const LIMITS = JSON.parse(readFileSync("web/payload.json", "utf8")).entries;
// The linter's second module (its engine: scripts/web-bundles.mjs), which the loader
// fetches once the linter is on screen: counted apart, and only when it did start after the page
// was on screen (the loader's `mtasts-on-screen` mark), against its own ceiling.
const AFTER = JSON.parse(readFileSync("web/payload.json", "utf8")).after;
const B = JSON.parse(readFileSync("dist/index.html", "utf8").match(/const B=(\{[^}]*\});/)[1]);
const LATER = new Set(B.engine);
const PAGES = [
  { url: "/", entry: "checker" },
  { url: "/?domain=stale.test", entry: "checker report", wait: ".report [data-verdict]" },
  // With nothing handed over, `/?open` is the checker; the judge comes when a file is opened.
  { url: "/?open", entry: "checker report" },
  { url: "/embed?domain=stale.test", entry: "widget", wait: "[data-verdict]", bare: true },
  { url: "/lint", entry: "lint" },
  { url: "/generate", entry: "generate" },
  { url: "/reports", entry: "reports" },
  { url: "/bulk", entry: "bulk" },
  { url: "/monitor", entry: "monitor" },
  { url: "/codes", entry: "docs" },
  { url: "/codes/policy-mx-missing", entry: "docs" },
  { url: "/widget", entry: "docs", frame: "widget", wait: ".widget-demo iframe" },
  { url: "/no/such/page", entry: "docs" },
];

for (const p of PAGES) {
  const { target, ceiling } = LIMITS[p.entry];
  // The API's answer (the report's Evidence) is what the page needs too, and no build's file:
  // 4 KB of room for it and the favicon beside the build's figure.
  const max = ceiling + (p.url.includes("domain=") ? 4 : 1);
  test(`cold load of ${p.url}: at most ${max} KB gzip (target ${target} KB)`, async ({ page }) => {
    const seen = [];
    page.on("response", (r) => {
      seen.push((async () => {
        const body = await r.body().catch(() => null);
        return { url: r.url(), own: r.frame() === page.mainFrame(), gz: body ? gzipSync(body, { level: 9 }).length : 0 };
      })());
    });
    await page.goto(p.url);
    if (p.bare) await expect(page.locator("h1, h2").first()).toBeVisible();
    else await ready(page);
    if (p.wait) await expect(page.locator(p.wait).first()).toBeVisible();
    if (p.frame) await expect(page.frameLocator(".widget-demo iframe").locator("form")).toBeVisible();
    await page.waitForLoadState("networkidle");
    // What the loader fetches ahead for the next page, once this one is on screen, is not this page's.
    const ahead = new Set(await page.evaluate(() => [...document.querySelectorAll("link[rel=prefetch], link[rel=modulepreload]")].map((l) => l.href)));
    const [onScreen, started] = await page.evaluate(() => [
      performance.getEntriesByName("mtasts-on-screen")[0]?.startTime ?? Infinity,
      performance.getEntriesByType("resource").map((e) => [e.name, e.startTime]),
    ]);
    const start = new Map(started);
    const got = { page: 0, frame: 0, later: 0, files: [] };
    for (const r of await Promise.all(seen)) {
      if (ahead.has(r.url)) continue;
      if (r.own && LATER.has(new URL(r.url).pathname)) {
        expect(start.get(r.url), `${r.url} is fetched once the page is on screen`).toBeGreaterThanOrEqual(onScreen);
        got.later += r.gz;
        got.files.push(`(after) ${new URL(r.url).pathname} ${r.gz}`);
        continue;
      }
      got[r.own ? "page" : "frame"] += r.gz;
      got.files.push(`${r.own ? "" : "(iframe) "}${new URL(r.url).pathname} ${r.gz}`);
    }
    const later = got.later ? ` + ${(got.later / KB).toFixed(1)} KB once on screen` : "";
    console.log(`payload (browser): ${p.url.padEnd(26)} ${(got.page / KB).toFixed(1)} KB (target ${target} KB)${later}${p.frame ? ` + its live example ${(got.frame / KB).toFixed(1)} KB` : ""}: ${got.files.join(", ")}`);
    expect(got.page, `${p.url} received ${got.page} B gzip`).toBeLessThanOrEqual(max * KB);
    if (p.entry === "lint") expect(got.later, "the linter's engine is fetched once the linter is on screen").toBeGreaterThan(0);
    expect(got.later, `${p.url} received ${got.later} B gzip once on screen`).toBeLessThanOrEqual(AFTER["lint engine"].ceiling * KB);
    if (p.frame) expect(got.frame, `the example on ${p.url} received ${got.frame} B gzip`).toBeLessThanOrEqual((LIMITS[p.frame].ceiling + 4) * KB);
  });
}

test("the next page's build is fetched ahead when a link is pointed at or focused", async ({ page }) => {
  await page.goto("/lint");
  await ready(page);
  const ahead = () => page.evaluate(() => [...document.querySelectorAll("link[rel=prefetch]")].map((l) => l.href));
  expect(await ahead()).toEqual([]);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Generator" }).hover();
  await expect.poll(ahead).toHaveLength(1);
  // The same build again: nothing more. Its own page's link: nothing at all.
  await nav.getByRole("link", { name: "Generator" }).hover();
  await nav.getByRole("link", { name: "Draft linter" }).focus();
  expect(await ahead()).toHaveLength(1);
  await nav.getByRole("link", { name: "Finding codes" }).focus();
  await expect.poll(ahead).toHaveLength(2);
  // The prefetched build is the one the page then loads.
  const [wasm] = (await ahead()).slice(0, 1);
  await nav.getByRole("link", { name: "Generator" }).click();
  await expect(page.locator("main h1")).toBeVisible();
  expect(await page.evaluate(() => [...document.querySelectorAll("link[rel=preload]")].map((l) => l.href))).toContain(wasm);
});
