// Shared helpers for the end-to-end tests.
import { execFileSync } from "node:child_process";
import { test as base, expect } from "@playwright/test";

// Each scenario's verdict and codes as the page shows them: observed by the Worker (`edge`).
export const SCENARIOS = JSON.parse(
  execFileSync(process.env.MTASTS_FIXTURES_BIN ?? "target/debug/mtasts-fixtures", ["--print-scenarios"]).toString(),
).map((s) => ({ domain: s.domain, ...s.edge }));

let client = 0;
// Each test is its own client for the Worker's per-address rate limit (wrangler dev trusts the
// CF-Connecting-IP header that Cloudflare would set), so a long suite is not throttled. The
// address is unique per worker process and test: one octet of 250 shared by both workers let a
// worker's 51st test take the address of the other's first, and a test that spends the limit
// (/bulk checks 50 domains) then throttled the other one's checks within the same minute.
export const test = base.extend({
  page: async ({ page }, use, info) => {
    client += 1;
    await page.setExtraHTTPHeaders({ "CF-Connecting-IP": `10.${info.workerIndex % 256}.${(client >> 8) & 255}.${client & 255}` });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await use(page);
    if (info.status !== info.expectedStatus) {
      // What the visitor would have seen, for a failure that does not reproduce.
      const text = await page.locator("body").innerText({ timeout: 2_000 }).catch((e) => `(unreadable: ${e.message})`);
      console.error(`[${info.title}] page ${page.url()} at the failure:\n${text.slice(0, 2_000)}\npage errors: ${JSON.stringify(errors)}`);
    }
    expect(errors, "uncaught errors in the page").toEqual([]);
  },
});
export { expect };

/** Waits until the app has rendered (the wasm is loaded and mounted). */
export async function ready(page) {
  await expect(page.locator("main h1")).toBeVisible();
}
