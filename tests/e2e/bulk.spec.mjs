// /bulk: many domains at once, a sortable table linking to each report, export, permalink.
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { test, expect, ready } from "./helpers.mjs";

const LIST = ["good.test", "stale.test", "testing-no-tlsrpt.test", "servfail.test", "postmaster@nullmx.test", "not a domain!", "dangling.test", "ruanomx.test"];

test("a list is checked into a sortable table with links, exports and a permalink", async ({ page }) => {
  await page.goto("/bulk");
  await ready(page);
  await page.getByLabel("Domains").fill(LIST.join("\n") + "\n# a comment\n\n");
  await page.getByRole("button", { name: "Check all" }).click();
  await expect(page.locator("#bulk-progress")).toHaveAttribute("data-done", "true");
  await expect(page.locator("#bulk-progress")).toContainText("Checked 8 of 8");
  const rows = page.locator("#bulk-table tbody tr");
  await expect(rows).toHaveCount(8);
  const stale = page.locator("#bulk-table tr[data-domain='stale.test']");
  await expect(stale).toHaveAttribute("data-verdict", "fail");
  await expect(stale).toContainText("mx-not-covered");
  await expect(stale).toContainText("1 of 2 covered");
  await expect(stale.getByRole("link", { name: "stale.test" })).toHaveAttribute("href", "/?domain=stale.test");
  await expect(page.locator("#bulk-table tr[data-domain='nullmx.test']")).toHaveAttribute("data-verdict", "not-applicable");
  await expect(page.locator("#bulk-table tr[data-domain='servfail.test']")).toContainText("could not check");
  await expect(page.locator("#bulk-table tr[data-domain='not a domain!']")).toContainText("not checked");
  await expect(page.locator("#bulk-table tr[data-domain='dangling.test']")).toContainText("policy-host-dangling");
  await expect(page.locator("#bulk-table tr[data-domain='testing-no-tlsrpt.test']")).toContainText("absent");
  // Sorted worst first by verdict (the default), and by any column on request.
  await expect(rows.first()).toHaveAttribute("data-verdict", "fail");
  await page.getByRole("button", { name: "Domain" }).click();
  await expect(page.locator("th[aria-sort=ascending]")).toHaveText("Domain");
  await expect(rows.first()).toHaveAttribute("data-domain", "dangling.test");
  await page.getByRole("button", { name: "Domain" }).click();
  await expect(rows.first()).toHaveAttribute("data-domain", "testing-no-tlsrpt.test");
  // Exports.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  const text = readFileSync(await csv.path(), "utf8");
  expect(text.split("\r\n")[0]).toBe("domain,verdict,mode,top_finding,top_message,mx_coverage,tlsrpt,error");
  expect(text).toContain("stale.test,fail,enforce,mx-not-covered,");
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`), scheme).toEqual([]);
  }
  // The permalink keeps the list and runs it.
  const url = page.url();
  expect(url).toContain("/bulk?domains=");
  await page.goto(url);
  await expect(page.locator("#bulk-progress")).toHaveAttribute("data-done", "true");
  await expect(page.locator("#bulk-table tbody tr")).toHaveCount(8);
});
