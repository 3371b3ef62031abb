// The checker remembers checks in this browser only: "since your last check" above a new report,
// two saved checks of a domain compared, and a visible control that forgets them.
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { test, expect, ready } from "./helpers.mjs";

// An earlier observation of good.test: the world's goodbump.test (id 20251201000000) renamed.
const earlier = JSON.parse(readFileSync("tests/fixtures/evidence/goodbump.test.json", "utf8").replaceAll("goodbump.test", "good.test"));
// Its judged report (the crate's snapshot of it, renamed the same way): a saved check is both.
const snap = readFileSync("crates/mtasts/tests/it/snapshots/it__snapshots__report-goodbump.test.snap", "utf8");
const earlierReport = JSON.parse(snap.slice(snap.indexOf("\n---\n") + 5).replaceAll("goodbump.test", "good.test"));

async function seed(page) {
  await page.goto("/");
  await ready(page);
  await page.evaluate((c) => localStorage.setItem("mtasts.history.v2", JSON.stringify({ domains: [{ domain: "good.test", checks: [c] }] })), { evidence: earlier, report: earlierReport });
}

test("a new report says what changed since the last check in this browser; saved checks compare and forget", async ({ page }) => {
  await seed(page);
  await page.goto("/?domain=good.test");
  const since = page.locator(".since-last");
  await expect(since).toContainText("Since your last check on 2025-11-22 08:26:40 UTC: 1 change.");
  await expect(since.locator(".findings [data-code=change-id-only]")).toBeVisible();
  await expect(since).toContainText("changed from `20251201000000` to `20251101000000`".replaceAll("`", ""));
  // The new check is saved: two checks of good.test, which compare here without a request.
  const saved = page.locator(".saved-checks");
  await saved.locator("summary").click();
  await expect(saved.locator("summary")).toHaveText("Checks remembered in this browser (1)");
  const row = saved.locator(".saved-domain[data-domain='good.test']");
  await expect(row).toContainText("2 saved checks");
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await expect(row.locator(".changes")).toHaveAttribute("data-changes", "1");
  await row.getByLabel("Compare").selectOption({ index: 0 });
  await expect(row.locator(".changes")).toHaveCount(0);
  await row.getByLabel("Compare").selectOption({ index: 1 });
  await expect(row.locator(".changes [data-code=change-id-only]")).toBeVisible();
  expect(requests).toEqual([]);
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`), scheme).toEqual([]);
  }
  // Forget: per domain, then nothing is stored.
  await row.getByRole("button", { name: "Forget good.test" }).click();
  await expect(saved).toContainText("No checks remembered.");
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem("mtasts.history.v2")).domains)).toEqual([]);
});

test("the same check shown again is not a change; could-not-check is not remembered; forget all", async ({ page }) => {
  await page.goto("/?domain=good.test");
  await expect(page.locator(".report [data-verdict]")).toBeVisible();
  await expect(page.locator(".since-last")).toHaveCount(0);
  await page.goto("/?domain=good.test");
  await expect(page.locator(".report [data-verdict]")).toBeVisible();
  await expect(page.locator(".since-last")).toHaveCount(0);
  await page.goto("/?domain=servfail.test");
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "inconclusive");
  const domains = await page.evaluate(() => JSON.parse(localStorage.getItem("mtasts.history.v2")).domains.map((d) => d.domain));
  expect(domains).toEqual(["good.test"]);
  await page.locator(".saved-checks summary").click();
  await page.getByRole("button", { name: "Forget all saved checks" }).click();
  await expect(page.locator(".saved-checks")).toContainText("No checks remembered.");
  expect(await page.evaluate(() => localStorage.getItem("mtasts.history.v2"))).toBeNull();
});
