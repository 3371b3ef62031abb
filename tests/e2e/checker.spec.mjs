// The checker: every fixture scenario's verdict and findings, input handling, permalinks, JSON.
import { readFileSync } from "node:fs";
import { test, expect, SCENARIOS, ready } from "./helpers.mjs";

for (const s of SCENARIOS) {
  test(`scenario ${s.domain} shows ${s.verdict}${s.code ? ` with ${s.code}` : ""}`, async ({ page }) => {
    await page.goto(`/?domain=${s.domain}`);
    const verdict = page.locator(".report [data-verdict]");
    await expect(verdict).toHaveAttribute("data-verdict", s.verdict);
    await expect(page.getByRole("status").filter({ hasText: `Result for ${s.domain}` })).toHaveCount(1);
    for (const c of s.codes) await expect(page.locator(`.findings [data-code="${c}"]`).first()).toBeVisible();
    if (s.code) {
      // Each finding links to its code's documentation.
      await expect(page.locator(`.findings [data-code="${s.code}"] a.code-link`).first()).toHaveAttribute("href", `/codes/${s.code}`);
    }
  });
}

test("the report is the Worker's judged /api/report, in one request", async ({ page }) => {
  const api = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) api.push(new URL(r.url()).pathname); });
  await page.goto("/?domain=stale.test");
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "fail");
  expect(api).toEqual(["/api/report"]);
  // The report's sections: TXT record, policy with line numbers, MX coverage, TLS-RPT, DNSSEC/DANE.
  await expect(page.locator("#policy-L1")).toContainText("version: STSv1");
  await expect(page.locator("table.mx")).toContainText("not covered");
  await expect(page.getByRole("heading", { name: "TLS reporting (TLS-RPT)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "DNSSEC and DANE" })).toBeVisible();
});

test("a failed lookup is shown as could not check, with the cause", async ({ page }) => {
  await page.goto("/?domain=servfail.test");
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "inconclusive");
  await expect(page.locator(".report")).toContainText("Could not check");
  await expect(page.locator(".report")).toContainText("SERVFAIL");
});

test("pasted forms are normalised; bad input is refused without a request", async ({ page }) => {
  await page.goto("/");
  await ready(page);
  const api = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) api.push(r.url()); });
  const box = page.getByLabel("Domain to check");
  for (const bad of ["192.0.2.1", "not a domain at all", "http://[::1]/", "localhost"]) {
    await box.fill(bad);
    await box.press("Enter");
    await expect(page.locator("#domain-error")).not.toBeEmpty();
    await expect(box).toHaveAttribute("aria-invalid", "true");
  }
  await box.fill("x".repeat(100_000));
  await box.press("Enter");
  await expect(page.locator("#domain-error")).not.toBeEmpty();
  expect(api).toEqual([]);
  await box.fill("Postmaster@Good.TEST");
  await box.press("Enter");
  await expect(page).toHaveURL(/\?domain=good\.test$/);
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "pass");
  // An IDN is converted to A-labels by the browser's URL parser (the page ships no IDNA tables).
  await box.fill("Postmaster@Bücher.test");
  await box.press("Enter");
  await expect(page).toHaveURL(/\?domain=xn--bcher-kva\.test$/);
  await expect(page.locator(".report [data-verdict]")).toBeVisible();
  await box.fill("https://stale.test/some/path?q=1");
  await box.press("Enter");
  await expect(page).toHaveURL(/\?domain=stale\.test$/);
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "fail");
});

test("a permalink with a bad domain says why it could not check, without a request", async ({ page }) => {
  const api = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) api.push(r.url()); });
  await page.goto("/?domain=" + encodeURIComponent("exa_mple.test"));
  await expect(page.locator("[data-verdict=could-not-check]")).toBeVisible();
  await expect(page.locator("[data-verdict=could-not-check]")).toContainText("exa_mple");
  expect(api).toEqual([]);
});

test("permalinks: load, copy link, copy and download JSON, check another, back", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/?domain=good.test");
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "pass");
  await expect(page).toHaveTitle(/checker/);

  await page.getByRole("button", { name: "Copy link" }).click();
  await expect(page.locator(".copy-status").first()).toHaveText("Copied.");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(new URL("/?domain=good.test", page.url()).href);

  await page.getByRole("button", { name: "Copy JSON" }).click();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied.report.verdict).toBe("pass");
  expect(copied.evidence.domain).toBe("good.test");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
  expect(download.suggestedFilename()).toBe("mtasts-good.test.json");
  const saved = JSON.parse(readFileSync(await download.path(), "utf8"));
  expect(saved.report.domain).toBe("good.test");

  await page.getByRole("button", { name: "Check another domain" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByLabel("Domain to check")).toBeFocused();
  await expect(page.getByLabel("Domain to check")).toHaveValue("");
  await page.getByLabel("Domain to check").fill("stale.test");
  await page.keyboard.press("Enter");
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "fail");
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(/\?domain=good\.test$/);
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "pass");
});

test("hostile policy text from the network stays inert", async ({ page }) => {
  await page.goto("/?domain=html.test");
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "fail");
  // The HTML body is shown as text in the numbered view, not parsed.
  await expect(page.locator(".numbered")).toContainText("<");
  expect(await page.locator(".numbered script, .numbered img, .numbered html, .numbered body").count()).toBe(0);
});

test("from the browser the MX hosts' TLS is 'not checked', with the command that checks it", async ({ page }) => {
  await page.goto("/?domain=good.test");
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "pass");
  await expect(page.getByTestId("mx-tls-not-checked").first()).toContainText("mtasts check --smtp --format json good.test");
  const item = page.locator(".report [data-check=mx-tls]").first();
  await expect(item).toHaveAttribute("data-status", "not-checked");
  await expect(page.getByTestId("stage").first()).toHaveText("enforce");
});

test("an Evidence file from `mtasts check --smtp` opens locally, never uploaded, MX TLS included", async ({ page }) => {
  await page.goto("/");
  await ready(page);
  const requests = [];
  page.on("request", (r) => requests.push(r));
  // On the first-load shell, a picked file loads the checker's build (the file handed over in
  // this tab's session storage), so the page's own files may be fetched: never the file itself.
  await page.locator("#evidence-file").setInputFiles("tests/fixtures/evidence/mxwrongname.test.json");
  const opened = page.locator(".opened-result");
  await expect(opened.locator("[data-verdict]")).toHaveAttribute("data-verdict", "fail");
  await expect(page.getByTestId("opened-from")).toContainText("mxwrongname.test.json");
  await expect(opened.locator(".findings [data-code=mx-certificate-name]").first()).toBeVisible();
  await expect(opened.locator("table.mx-tls")).toContainText("not valid for this name");
  await expect(opened.locator("table.mx-tls")).toContainText("TLSv1.3");
  await expect(opened.locator("[data-check=mx-tls]")).toHaveAttribute("data-status", "problem");
  const sent = requests.filter((r) => r.method() !== "GET" || r.postData() || new URL(r.url()).pathname.startsWith("/api/") || /mxwrongname/.test(r.url()));
  expect(sent.map((r) => r.url()), "opening a file sent something").toEqual([]);
  await expect(page).toHaveURL(/\/$/);
});

test("an Evidence file can be dropped; a file that is not Evidence says so", async ({ page }) => {
  await page.goto("/");
  await ready(page);
  const text = readFileSync("tests/fixtures/evidence/mxnotls.test.json", "utf8");
  const drop = async (content, name) => {
    const dt = await page.evaluateHandle(([c, n]) => {
      const d = new DataTransfer();
      d.items.add(new File([c], n, { type: "application/json" }));
      return d;
    }, [content, name]);
    await page.locator(".dropzone").dispatchEvent("drop", { dataTransfer: dt });
  };
  await drop(text, "mxnotls.test.json");
  await expect(page.locator(".opened-result [data-verdict]")).toHaveAttribute("data-verdict", "fail");
  await expect(page.locator(".opened-result table.mx-tls")).toContainText("not offered");
  await drop("{\"not\": \"evidence\"}", "other.json");
  await expect(page.getByTestId("open-error")).toContainText("not an mtasts Evidence file");
});

test("the checker's first load is its own small build; a check loads the report's build", async ({ page, request }) => {
  // dist/index.html's loader names each build's JS and wasm (scripts/web-bundles.mjs).
  const html = await (await request.get("/")).text();
  const B = JSON.parse(html.match(/const B=(\{[^}]*\});/)[1]);
  const [checker, shell] = [B.checker[1].slice(1), B.shell[1].slice(1)];
  const wasm = [];
  page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasm.push(new URL(r.url()).pathname.slice(1)); });
  await page.goto("/");
  await ready(page);
  expect(wasm[0]).toBe(shell);
  const box = page.getByLabel("Domain to check");
  await box.fill("good.test");
  await box.press("Enter");
  await expect(page).toHaveURL(/\?domain=good\.test$/);
  await expect(page.locator(".report [data-verdict]")).toHaveAttribute("data-verdict", "pass");
  expect(wasm).toContain(checker);
});
