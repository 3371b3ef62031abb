// The TLS report viewer (/reports): the sample reports (tests/fixtures/tlsrpt) picked or dropped,
// read in the browser (gzip by DecompressionStream, the bomb stopped), summary, chart and table,
// export, no request at all, axe in light and dark.
import { readFileSync, readdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { test, expect, ready } from "./helpers.mjs";

const DIR = "tests/fixtures/tlsrpt";
const FILES = readdirSync(DIR).sort().map((f) => `${DIR}/${f}`);

async function open(page, requests) {
  await page.goto("/reports");
  await ready(page);
  page.on("request", (r) => requests.push(r.url()));
  await page.locator("#reports-files").setInputFiles(FILES);
  await expect(page.locator("#reports-headline")).toBeVisible();
}

test("every sample report is read in the browser, summarised, charted, and nothing is sent", async ({ page }) => {
  const requests = [];
  await open(page, requests);
  const headline = page.locator("#reports-headline");
  await expect(headline).toContainText("Fix before enforcing: mx2.mail.company-y.example (starttls-not-supported, 200 sessions)");
  await expect(headline).toContainText("mx2.example.net (certificate-host-mismatch, 31 sessions)");
  await expect(headline).toContainText("1 count could not be read");
  await expect(page.locator(".reports-result")).toContainText("12 reports from 12 senders");
  // What to do, with the result type explained.
  const advice = page.locator(".findings .finding").filter({ hasText: "Fix mx2.example.net before enforcing" });
  await expect(advice).toContainText("31 sessions from 5 senders");
  await advice.locator("summary").click();
  await expect(advice).toContainText("Install a certificate whose names (SAN) include this MX host name");
  // The chart, and the same numbers as a table.
  await expect(page.locator("svg.chart rect.bar-failed")).toHaveCount(7);
  await expect(page.locator("svg.chart desc")).toContainText("7 days from 2016-04-01 to 2026-11-07");
  await page.getByText("The same as a table").click();
  await expect(page.locator("#daily-table tbody tr").filter({ hasText: "2026-11-02" })).toContainText("1250");
  // Failures by MX and sender; notes; the gzip bomb stopped by the page's own limit; the duplicate.
  const net = page.locator(".domain-summary").filter({ hasText: "example.net — sts, mode testing" });
  await expect(net.locator("table").nth(1)).toContainText("198.51.100.2");
  await expect(net).toContainText("99.23% successful");
  const details = page.locator("#reports-details");
  await expect(details).toContainText("bomb.json.gz: decompresses to more than 16 MB");
  await expect(details).toContainText("notes.txt: not a TLS report");
  await expect(details).toContainText("policy.mx-host is a string, not a list");
  await expect(details).toContainText("total-failure-session-count \"n/a\" is not a number: shown as unreadable, not counted");
  await expect(details).toContainText("rfc8460-example.json.gz is the same report as rfc8460-example.json");
  await expect(details).toContainText("reports.mbox (message 3)");
  expect(requests, "reading reports made requests").toEqual([]);
});

test("exports: CSV rows and the JSON contract, as `mtasts reports` writes them", async ({ page }) => {
  const requests = [];
  await open(page, requests);
  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  const csv = readFileSync(await csvDownload.path(), "utf8");
  expect(csv.split("\r\n")[0]).toBe("row,file,organization,report_id,date_begin,date_end,policy_type,policy_domain,mode,successful,failed,result_type,receiving_mx_hostname,receiving_ip,sending_mta_ip,failed_session_count,failure_reason_code");
  expect(csv).toContain("failure,rfc8460-example.json,Company-X,5065427c-23d3-47ca-b6e0-946ea0e8c4be,2016-04-01T00:00:00Z,2016-04-01T23:59:59Z,sts,company-y.example,testing,,,starttls-not-supported,mx2.mail.company-y.example,203.0.113.56,2001:db8:abcd:0013::1,200,");
  const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export JSON" }).click()]);
  const doc = JSON.parse(readFileSync(await jsonDownload.path(), "utf8"));
  expect(doc.reports).toHaveLength(12);
  expect(doc.totals.failures["certificate-host-mismatch"]).toBe(31);
  const rfc = doc.reports.find((r) => r.organization === "Company-X");
  expect(rfc.policies[0]).toMatchObject({ policy_type: "sts", policy_domain: "company-y.example", successful: 5326, failed: 303 });
  expect(doc.reports.find((r) => r.organization === "Mail Sender G").policies[0].failed).toBeNull();
  expect(requests.filter((u) => !u.startsWith("blob:")), "exports made requests").toEqual([]);
});

test("reports can be dropped and added to; start over clears", async ({ page }) => {
  await page.goto("/reports");
  await ready(page);
  const drop = async (name) => {
    const b64 = readFileSync(`${DIR}/${name}`).toString("base64");
    const dt = await page.evaluateHandle(([b, n]) => {
      const bytes = Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
      const d = new DataTransfer();
      d.items.add(new File([bytes], n));
      return d;
    }, [b64, name]);
    await page.locator(".dropzone").dispatchEvent("drop", { dataTransfer: dt });
  };
  await drop("clean.json");
  await expect(page.locator("#reports-headline")).toContainText("all 840 sessions from 1 sender succeeded");
  await drop("report.eml");
  await expect(page.locator("#reports-headline")).toContainText("Fix before enforcing: mx2.example.net (certificate-host-mismatch, 7 sessions)");
  await expect(page.locator(".reports-result")).toContainText("2 reports from 2 senders");
  await page.getByRole("button", { name: "Start over" }).click();
  await expect(page.locator("#reports-headline")).toHaveCount(0);
  await drop("rfc8460-example.json.gz");
  await expect(page.locator(".reports-result")).toContainText("1 report from 1 sender");
});

for (const scheme of ["light", "dark"]) {
  test(`reports with results (${scheme}): axe reports zero violations`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page, []);
    await page.getByText("The same as a table").click();
    for (const s of await page.locator(".finding summary").all()) await s.click();
    await page.screenshot({ path: `target/e2e/screenshots/reports-${scheme}.png`, fullPage: true });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`)).toEqual([]);
  });
}
