// The offline draft linter: no network at all, line-precise marks, fix-its, hostile input.
import { readFileSync } from "node:fs";
import { test, expect, ready } from "./helpers.mjs";

test("lints as you type with zero network requests", async ({ page }) => {
  await page.goto("/lint");
  await ready(page);
  await page.waitForLoadState("networkidle");
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const policy = page.getByLabel(/Policy file/);
  await policy.fill("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n");
  await expect(page.locator(".lint-status")).toContainText("0 errors");
  await policy.fill("version: STSv1\nmode: enforced\nmx: mail.example.com\nmax_age: 99999999\n");
  await expect(page.locator(".findings [data-code=policy-mode-invalid]")).toBeVisible();
  await expect(page.locator(".findings [data-code=policy-max-age-too-large]")).toBeVisible();
  // Marks at the spans, on the right lines.
  await expect(page.locator("#draft-L2 mark.m-error")).toContainText("enforced");
  await expect(page.locator("#draft-L4 mark.m-error")).toBeVisible();
  // The finding list is linked to its lines: the button selects the span in the text area.
  await page.locator(".findings [data-code=policy-mode-invalid] button.locate").click();
  await expect(page.locator("#draft-L2")).toHaveClass(/active/);
  const sel = await policy.evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  expect(sel).toContain("enforced");
  // Optional records and MX coverage.
  await page.getByLabel(/TXT record at/).fill("v=STSv1; id=abc!");
  await page.getByLabel("MX hosts (optional)").fill("10 mail.example.com.\n20 other.example.net.");
  await page.getByLabel(/TLS-RPT record at/).fill("v=TLSRPTv1; rua=reports@example.com");
  await expect(page.locator(".findings [data-code=sts-txt-id-invalid]")).toBeVisible();
  await expect(page.locator("table.mx")).toContainText("not covered");
  // Examples and fix-its.
  await page.getByLabel("Load an example").selectOption({ index: 2 });
  await expect(page.locator(".lint-status")).toHaveText(/^[1-9]\d* errors?,/);
  await page.getByLabel("LF only").check();
  await expect(page.locator(".findings [data-code=policy-lf-line-endings]")).toBeVisible();
  await page.getByRole("button", { name: "Normalise line endings (CRLF)" }).click();
  await expect(page.locator(".findings [data-code=policy-lf-line-endings]")).toHaveCount(0);
  await policy.fill("version: STSv1   \nmode: testing\t\nmx: mail.example.com\nmax_age: 604800\n");
  await page.getByRole("button", { name: "Trim trailing spaces" }).click();
  await expect(policy).toHaveValue("version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 604800\n");
  await page.waitForTimeout(500);
  expect(requests).toEqual([]);
});

test("a policy with <script> and <img onerror> stays inert", async ({ page }) => {
  await page.goto("/lint");
  await ready(page);
  const hostile = 'version: STSv1\n<script>window.__pwned = 1</script>\nmx: <img src=x onerror="window.__pwned = 2">\n';
  await page.getByLabel(/Policy file/).fill(hostile);
  await page.getByLabel(/TXT record at/).fill('v=STSv1; id=<img src=x onerror="window.__pwned=3">');
  await expect(page.locator("#draft-L2")).toContainText("<script>window.__pwned = 1</script>");
  await expect(page.locator("#draft-L3")).toContainText("<img src=x");
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(await page.locator(".lint-results script, .lint-results img").count()).toBe(0);
});

test("10 MB of text gets findings, not a hang", async ({ page }) => {
  // Chromium alone needs several seconds to lay out a 600,000-line text area (measured: 8.5 s for
  // a plain <textarea> on this machine); the page itself lints only what a sender would read.
  test.setTimeout(120_000);
  await page.goto("/lint");
  await ready(page);
  await page.getByLabel(/Policy file/).evaluate((t) => {
    t.value = "mx: a.example.com\n".repeat(600_000);
    t.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await expect(page.locator(".findings [data-code=policy-too-large]")).toBeVisible({ timeout: 90_000 });
  await expect(page.locator(".findings [data-code=policy-too-large]")).toContainText("the draft is 10800000 bytes");
  await expect(page.locator(".numbered")).toContainText("more lines not shown");
});

test("every box is bounded: a huge paste into the MX or record boxes is read up to 64 KiB", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/lint");
  await ready(page);
  await page.getByLabel(/Policy file/).fill("version: STSv1\nmode: enforce\nmx: mx0.example.com\nmax_age: 86400\n");
  // 200,000 MX hosts (4 MB): only what fits in 64 KiB is read, and the page says so.
  await page.getByLabel("MX hosts (optional)").evaluate((t) => {
    t.value = Array.from({ length: 200_000 }, (_, i) => `mx${i}.example.com`).join("\n");
    t.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await expect(page.locator(".cap-note")).toContainText("Only the first 64 KiB of this box are read");
  // The comparison itself is capped too, with its own finding.
  await expect(page.locator(".findings [data-code=mx-too-many]")).toBeVisible({ timeout: 30_000 });
  await page.getByLabel(/TXT record at/).evaluate((t) => {
    t.value = "v=STSv1; id=1\n".repeat(100_000);
    t.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await expect(page.locator(".cap-note")).toHaveCount(2);
});

test("when the linter's engine cannot be loaded, the page says so instead of waiting", async ({ page }) => {
  // The engine's module (scripts/web-bundles.mjs: fetched once the page is on screen) refused.
  const B = JSON.parse(readFileSync("dist/index.html", "utf8").match(/const B=(\{[^}]*\});/)[1]);
  const engine = new Set(B.engine);
  await page.route((url) => engine.has(url.pathname), (route) => route.abort());
  await page.goto("/lint");
  await ready(page);
  await page.getByLabel(/Policy file/).fill("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n");
  await expect(page.locator(".lint-status")).toHaveText(/could not be loaded: reload the page/);
  await expect(page.locator(".findings")).toHaveCount(0);
});
