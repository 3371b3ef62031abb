// The migration planner on the generator page: the live policy (one request) and the goal give
// the ordered steps with dates, computed in the browser.
import AxeBuilder from "@axe-core/playwright";
import { test, expect, ready } from "./helpers.mjs";

test("moving MX hosts: add, bump, wait out max_age, switch, trim, bump", async ({ page }) => {
  await page.goto("/generate");
  await ready(page);
  await page.getByLabel("Your domain").fill("good.test");
  await page.getByLabel("Hosts to move mail to").fill("10 mx1.newmail.test.\n20 mx2.newmail.test");
  await page.getByRole("button", { name: "Plan the steps" }).click();
  const steps = page.locator(".plan-steps > li");
  await expect(steps).toHaveCount(6);
  await expect(steps.nth(0)).toContainText("Publish the policy with both the old and the new MX hosts");
  await expect(steps.nth(0).locator("pre")).toContainText("mx: mx1.good.test\nmx: mx2.good.test\nmx: mx1.newmail.test\nmx: mx2.newmail.test");
  await expect(steps.nth(1).locator("code")).toHaveText(/^v=STSv1; id=\d{14}$/);
  await expect(steps.nth(2)).toContainText(/Wait out the old max_age \(14 days\), until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await expect(steps.nth(3).locator(".badge")).toContainText("not before");
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`), scheme).toEqual([]);
  }
});

test("retiring follows RFC 8461 §8.3; no policy, no plan", async ({ page }) => {
  await page.goto("/generate");
  await ready(page);
  await page.getByLabel("Your domain").fill("good.test");
  await page.getByLabel("Retire MTA-STS").check();
  await page.getByRole("button", { name: "Plan the steps" }).click();
  const steps = page.locator(".plan-steps > li");
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0).locator("pre")).toContainText("mode: none");
  await expect(steps.nth(3)).toContainText("Remove the _mta-sts TXT record");
  await page.getByLabel("Your domain").fill("notfound.test");
  await page.getByRole("button", { name: "Plan the steps" }).click();
  await expect(page.locator("#plan-error")).toContainText("no MTA-STS policy");
});
