// Every page: axe-core with zero violations in light and dark, a screenshot of each (artifact),
// keyboard use, the generator and the code docs.
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { test, expect, ready } from "./helpers.mjs";

const SHOTS = "target/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });

const PAGES = [
  { name: "checker", url: "/" },
  { name: "checker-report", url: "/?domain=stale.test", wait: ".report [data-verdict]" },
  { name: "checker-could-not-check", url: "/?domain=servfail.test", wait: ".report [data-verdict]" },
  { name: "lint", url: "/lint", example: true },
  { name: "generate", url: "/generate" },
  { name: "reports", url: "/reports" },
  { name: "monitor", url: "/monitor" },
  { name: "codes", url: "/codes" },
  { name: "code", url: "/codes/policy-mx-missing" },
  { name: "widget", url: "/widget", wait: ".widget-demo iframe" },
  { name: "embed", url: "/embed?domain=stale.test", wait: "[data-verdict]" },
  { name: "not-found", url: "/no/such/page" },
];

for (const scheme of ["light", "dark"]) {
  for (const p of PAGES) {
    test(`${p.name} (${scheme}): axe reports zero violations`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(p.url);
      await ready(page);
      if (p.wait) await expect(page.locator(p.wait).first()).toBeVisible();
      if (p.example) await page.getByLabel("Load an example").selectOption({ index: 2 });
      if (p.example) await expect(page.locator(".findings")).toBeVisible();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SHOTS}/${p.name}-${scheme}.png`, fullPage: true });
      const results = await new AxeBuilder({ page }).analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
      expect(summary).toEqual([]);
    });
  }
}

test("phone width: no horizontal scrolling on the report", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/?domain=stale.test");
  await expect(page.locator(".report [data-verdict]")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/checker-report-phone.png`, fullPage: true });
});

test("keyboard only: skip link, form, and navigation", async ({ page }) => {
  await page.goto("/");
  await ready(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  // Tab into the domain box and submit with Enter.
  let focused = "";
  for (let i = 0; i < 3 && focused !== "domain"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.id ?? "");
  }
  expect(focused).toBe("domain");
  await page.keyboard.type("good.test");
  await page.keyboard.press("Enter");
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "pass");
});

test("generator: records, copy buttons, MX filled through the API, checklist", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/generate");
  await ready(page);
  // No error before the visitor has done anything: a hint instead.
  await expect(page.locator(".gen-output [role=alert]")).toHaveCount(0);
  await expect(page.getByTestId("gen-hint")).toBeVisible();
  await page.getByLabel("Domain", { exact: true }).fill("good.test");
  await page.getByRole("button", { name: "Fill MX hosts from DNS" }).click();
  await expect(page.getByLabel("MX hosts")).toHaveValue("10 mx1.good.test\n20 mx2.good.test");
  await page.getByLabel("Mode").selectOption("enforce");
  await page.getByLabel("max_age").selectOption("1209600");
  await expect(page.locator("pre[aria-label='Policy file']")).toContainText("mode: enforce");
  await expect(page.locator("pre[aria-label='Policy file']")).toContainText("mx: mx1.good.test");
  await expect(page.locator("pre[aria-label='Policy file']")).toContainText("max_age: 1209600");
  await expect(page.locator("pre[aria-label='MTA-STS TXT record']")).toContainText(/v=STSv1; id=\d{14}/);
  await expect(page.locator("pre[aria-label='TLS-RPT record']")).toContainText("v=TLSRPTv1; rua=mailto:tls-reports@good.test");
  await page.getByRole("button", { name: "Copy the policy" }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("version: STSv1\r\nmode: enforce\r\n");
  await expect(page.locator(".checklist li")).toHaveCount(6);
  await page.getByLabel("MX hosts").fill("not a host!");
  await expect(page.locator(".gen-output [role=alert]")).toContainText("not a host name");
});

test("code docs: index and one page per code, from the crate", async ({ page }) => {
  await page.goto("/codes");
  await ready(page);
  const count = await page.locator("table.codes tbody tr").count();
  expect(count).toBeGreaterThan(50);
  await page.getByRole("link", { name: "policy-lf-line-endings" }).click();
  await expect(page).toHaveURL(/\/codes\/policy-lf-line-endings$/);
  for (const h of ["What it checks", "Why it matters", "Example", "Fix", "References"]) {
    await expect(page.getByRole("heading", { name: h, exact: true })).toBeVisible();
  }
  // The code's two inputs: one that produces it (LF endings), one that does not (CRLF).
  const inputs = page.getByTestId("code-examples");
  await expect(inputs.getByRole("heading", { name: "Produces it (policy file)" })).toBeVisible();
  await expect(inputs.getByRole("heading", { name: "Does not (policy file)" })).toBeVisible();
  await expect(inputs.locator("pre").first()).toContainText("version: STSv1");
  await page.goto("/codes/no-such-code");
  await expect(page.getByRole("heading", { name: "Unknown finding code" })).toBeVisible();
});

test("links within a page's build change page without reloading it; to another build, a page load; back and forward follow", async ({ page }) => {
  // Each page is its own build (scripts/web-bundles.mjs): a link to another page loads it.
  await page.goto("/");
  await ready(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Checker" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Draft linter" }).click();
  await expect(page).toHaveURL(/\/lint$/);
  await expect(page.locator("main h1")).toContainText("linter");
  await expect(nav.getByRole("link", { name: "Draft linter" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Finding codes" }).click();
  await expect(page).toHaveURL(/\/codes$/);
  await expect(page.locator("main h1")).toContainText("Finding codes");
  await expect(nav.getByRole("link", { name: "Finding codes" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Checker" })).not.toHaveAttribute("aria-current", /.*/);
  // From here on, one build (the documentation): pages change in place.
  await page.evaluate(() => { window.__samePage = true; });
  await page.locator("main a[href='/codes/policy-mx-missing']").click();
  await expect(page).toHaveURL(/\/codes\/policy-mx-missing$/);
  await expect(page.locator("main h1")).toHaveText("policy-mx-missing");
  // Still a page below "Finding codes".
  await expect(nav.getByRole("link", { name: "Finding codes" })).toHaveAttribute("aria-current", "page");
  await page.goBack();
  await expect(page).toHaveURL(/\/codes$/);
  await page.goForward();
  await expect(page.locator("main h1")).toHaveText("policy-mx-missing");
  await page.goBack();
  await expect(page.locator("main h1")).toContainText("Finding codes");
  expect(await page.evaluate(() => window.__samePage)).toBe(true);
  // Back across builds: the linter's page is loaded again.
  await page.goBack();
  await expect(page).toHaveURL(/\/lint$/);
  await expect(page.locator("main h1")).toContainText("linter");
  await page.goForward();
  await expect(page.locator("main h1")).toContainText("Finding codes");
  // A link with a modifier is left to the browser (a new tab), not followed in place.
  const [popup] = await Promise.all([
    page.context().waitForEvent("page"),
    nav.getByRole("link", { name: "Widget" }).click({ modifiers: ["ControlOrMeta"] }),
  ]);
  await popup.close();
  await expect(page).toHaveURL(/\/codes$/);
});
