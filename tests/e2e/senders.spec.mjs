// "How senders read this": the checker's report and the linter show every modelled sender's
// reading beside the RFC's, from the crate's models (nothing is judged in the view).
import { test, expect, ready } from "./helpers.mjs";

const SENDERS = 11;

test("the report says which senders ignore a policy served with the wrong Content-Type", async ({ page }) => {
  await page.goto("/?domain=ctype.test");
  await ready(page);
  const section = page.locator("section[aria-labelledby=sec-senders]");
  await expect(section.getByRole("heading", { name: "How senders read this" })).toBeVisible();
  await expect(section.locator("table.senders tbody tr")).toHaveCount(SENDERS);
  await expect(page.getByTestId("senders-summary")).toContainText(`of ${SENDERS} senders ignore this policy`);
  await expect(section.locator("tr[data-sender=postfix-mta-sts-resolver]")).toContainText("ignores it");
  await expect(section.locator("tr[data-sender=mox]")).toContainText("applies as published");
  await expect(page.locator(".findings [data-code=senders-ignore]")).toBeVisible();
});

test("a good domain: every sender applies the policy as published", async ({ page }) => {
  await page.goto("/?domain=good.test");
  await ready(page);
  await expect(page.getByTestId("senders-summary")).toHaveText(`All ${SENDERS} senders apply this policy as published.`);
  await expect(page.locator("table.senders td.status-failed")).toHaveCount(0);
  await expect(page.locator(".findings [data-code^=senders-]")).toHaveCount(0);
});

test("the linter's table follows the draft as one types, with the safe rewrite as the fix", async ({ page }) => {
  await page.goto("/lint");
  await ready(page);
  const policy = page.getByLabel(/Policy file/);
  await policy.fill("version: STSv1\nmode: testing\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n");
  const table = page.locator("table.senders");
  await expect(table.locator("tbody tr")).toHaveCount(SENDERS);
  await expect(table.locator("tr[data-sender=postfix-mta-sts-resolver]")).toContainText("reads it differently");
  await expect(table.locator("tr[data-sender=postfix-mta-sts-resolver]")).toContainText("reads mode enforce (RFC: testing)");
  await expect(table.locator("tr[data-sender=mox]")).toContainText("applies as published");
  const finding = page.locator(".findings [data-code=senders-disagree]");
  await expect(finding).toBeVisible();
  await expect(finding).toContainText("mode: testing");
  // The proven rewrite, one click: the duplicate goes, every sender agrees, the finding is gone.
  await page.getByRole("button", { name: "Rewrite so every sender reads it alike" }).click();
  await expect(policy).toHaveValue("version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 604800\n");
  await expect(page.getByTestId("senders-summary")).toHaveText(`All ${SENDERS} senders apply this policy as published.`);
  await expect(page.locator(".findings [data-code^=senders-]")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rewrite so every sender reads it alike" })).toBeDisabled();
});

test("the widget's brief carries the senders' line", async ({ page }) => {
  await page.goto("/embed");
  await page.getByLabel("Domain").fill("ctype.test");
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("senders-summary")).toContainText(`of ${SENDERS} senders ignore this policy`);
});
