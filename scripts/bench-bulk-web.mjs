// Benchmark (prints figures; asserts nothing): /bulk in Chromium with 50 domains of the fixture
// internet, time to the last row as measured inside the page (the `mtasts-bulk` performance
// measure from the click to the last result). Run under the fixture stack:
//   bash scripts/fixture-stack.sh -- node scripts/bench-bulk-web.mjs
import { execFileSync } from "node:child_process";
import { chromium } from "@playwright/test";

const base = process.env.MTASTS_BASE || "http://127.0.0.1:8787";
const scenarios = JSON.parse(execFileSync(process.env.MTASTS_FIXTURES_BIN ?? "target/debug/mtasts-fixtures", ["--print-scenarios"]).toString())
  .map((s) => s.domain).filter((d) => d !== "slow.test");
const list = [];
for (let i = 0; list.length < 50; i++) list.push(i < scenarios.length ? scenarios[i] : `user${i}@${scenarios[i % scenarios.length]}`);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
await page.setExtraHTTPHeaders({ "CF-Connecting-IP": "198.51.100.250" });
await page.goto(base + "/bulk");
await page.locator("#bulk-list").fill(list.join("\n"));
await page.getByRole("button", { name: "Check all" }).click();
await page.locator("#bulk-progress[data-done=true]").waitFor({ timeout: 120_000 });
const ms = await page.evaluate(() => performance.getEntriesByName("mtasts-bulk").at(-1).duration);
const rows = await page.locator("#bulk-table tbody tr").count();
console.log(`/bulk: ${rows} domains (4 at a time), last row after ${ms.toFixed(0)} ms (inside the page); slow.test left out (its 3 s time-out would dominate)`);
await browser.close();
