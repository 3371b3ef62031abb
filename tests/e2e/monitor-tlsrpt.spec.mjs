// /monitor's TLS reports (issue 24, item 3): a subscription of m19.mon.test (no other test uses
// it) verified in the fixture world, the project's real fixture reports (tests/fixtures/tlsrpt/,
// dated the last few days) POSTed to its /api/tlsrpt/<token> as a sender would, then the page:
// the _smtp._tls record and its copy button, the headline with the figures computed here from the
// reports' JSON, the chart and the failure tables, the open alert, the readiness checklist, the
// threshold form (a bad value refused here and by the Worker, a good one saved and still
// confirmed after a re-render), "could not check" when the API fails (never "no reports"), and a
// second subscription with 15 clean days: "ready to enforce". axe in light and dark.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { test, expect, ready } from "./helpers.mjs";
import { BASE, CONTROL, hook, axe } from "./monitor-helpers.mjs";

const D = "m19.mon.test";
const fixture = (name) => readFileSync(new URL(`../fixtures/tlsrpt/${name}`, import.meta.url));
// Subscriptions are limited per address a day: each run of this file starts somewhere else.
let client = Math.floor(Math.random() * 250);
const ip = () => `198.51.100.${(client++ % 250) + 1}`;

async function subscribe(webhook) {
  const r = await fetch(`${BASE}/api/monitor`, { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip() }, body: JSON.stringify({ domain: D, webhook }) });
  expect(r.status).toBe(201);
  return r.json();
}
const auth = (sub) => ({ Authorization: `Bearer ${sub.management_key}` });
// Every subscription of the domain verified at once (one TXT RRset holds all their tokens).
async function verify(subs) {
  const w = await fetch(`${CONTROL}/__mon`, { method: "POST", body: JSON.stringify({ domain: D, variant: "good", tokens: subs.map((s) => s.dns.value) }) });
  expect(w.status).toBe(200);
  for (const s of subs) {
    const r = await fetch(`${BASE}/api/monitor/${s.id}/verify`, { method: "POST", headers: { ...auth(s), "CF-Connecting-IP": ip() } });
    expect((await r.json()).state).toBe("active");
  }
}
const tlsrpt = async (sub) => (await fetch(`${BASE}/api/monitor/${sub.id}/tlsrpt`, { headers: auth(sub) })).json();
// `YYYY-MM-DD`, `n` days before today (UTC).
const ago = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
// A fixture report for D, dated `n` days ago, with its own id (and sender, if given).
function report(name, n, org) {
  const text = (name.endsWith(".gz") ? gunzipSync(fixture(name)) : fixture(name)).toString("utf8");
  const j = JSON.parse(text.replaceAll("example.net", D));
  const day = ago(n);
  return {
    ...j,
    "organization-name": org ?? j["organization-name"],
    "report-id": `${j["report-id"]}-${org ?? "x"}-${day}`.replaceAll(" ", "_"),
    "date-range": { "start-datetime": `${day}T00:00:00Z`, "end-datetime": `${day}T23:59:59Z` },
  };
}
async function send(url, j) {
  const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/tlsrpt+json" }, body: JSON.stringify(j) });
  expect(r.status, JSON.stringify(j["report-id"])).toBe(201);
}
// The figures the page must show, from the reports' JSON.
function sums(reports) {
  let successful = 0, failed = 0;
  const byDay = {};
  for (const r of reports) {
    const day = r["date-range"]["start-datetime"].slice(0, 10);
    byDay[day] ??= { successful: 0, failed: 0 };
    for (const p of r.policies) {
      successful += p.summary["total-successful-session-count"];
      failed += p.summary["total-failure-session-count"];
      byDay[day].successful += p.summary["total-successful-session-count"];
      byDay[day].failed += p.summary["total-failure-session-count"];
    }
  }
  const all = successful + failed;
  // Two decimals, rounded down (the API's rule).
  const bp = Math.floor((failed * 10_000) / all);
  return { successful, failed, all, rate: `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, "0")}`, byDay };
}
const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const words = (day) => `${Number(day.slice(8))} ${months[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
async function open(page, sub) {
  await page.goto("/monitor");
  await ready(page);
  await page.getByLabel("Subscription id").fill(sub.id);
  await page.getByLabel("Management key").fill(sub.management_key);
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByTestId("mon-state")).toHaveAttribute("data-state", "active");
}
const item = (page, check) => page.getByTestId("tls-checklist").locator(`li[data-check="${check}"]`);

test("the TLS reports of a subscription: record, headline, chart, tables, alert, checklist, threshold, could not check", async ({ page, context }) => {
  test.setTimeout(150_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const sub = await subscribe(hook("ok/page-tlsrpt-m19"));
  await verify([sub]);
  const api = await tlsrpt(sub);
  const url = api.destinations.https;

  // Before any report: the record to publish, and "no reports yet" (a known nothing).
  await open(page, sub);
  const section = page.getByTestId("tls");
  await expect(page.getByTestId("tls-headline")).toHaveAttribute("data-tone", "none");
  await expect(page.getByTestId("tls-headline")).toContainText("No TLS reports yet");
  await expect(page.getByTestId("tls-record-name")).toHaveText(`_smtp._tls.${D}`);
  await expect(page.getByTestId("tls-record")).toContainText("TXT");
  await expect(page.getByTestId("tls-record-value")).toHaveText(api.record.value);
  expect(api.record.value).toBe(`v=TLSRPTv1; rua=${url},${api.destinations.mailto}`);
  await page.getByRole("button", { name: "Copy the TLS-RPT record value" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(api.record.value);
  await expect(item(page, "received")).toHaveAttribute("data-status", "waiting");
  await expect(section.locator("li[data-status=done]")).toHaveCount(0);

  // Four reports over three days from three senders: B and C see mx2's certificate fail.
  const reports = [
    report("clean.json", 3, "Mail Sender A"),
    report("mx2-mismatch.json", 2, "Mail Sender B"),
    report("mx2-mismatch.json", 2, "Mail Sender C"),
    report("clean.json", 1, "Mail Sender A"),
  ];
  for (const j of reports) await send(url, j);
  const e = sums(reports);
  expect(e.failed).toBe(24);

  await page.getByRole("button", { name: "Refresh" }).click();
  const head = page.getByTestId("tls-headline");
  await expect(head).toHaveAttribute("data-tone", "failing");
  await expect(head).toContainText(
    `MX mx2.${D} fails certificate-host-mismatch (the MX's certificate does not name the host) for Mail Sender B and Mail Sender C since ${words(ago(2))}. ` +
    `3 days of reports from 3 senders; ${e.failed} of ${e.all} sessions failed (${e.rate} %).`,
  );
  const totals = page.getByTestId("tls-totals");
  await expect(totals).toContainText("4 (0 duplicates sent again and not counted twice; 0 refused)");
  await expect(totals).toContainText(`${e.all}: ${e.successful} successful, ${e.failed} failed (${e.rate} %)`);
  await expect(totals).toContainText(`(${words(ago(3))} to ${words(ago(1))})`);
  // The alert the failure opened: one incident, B and C still failing.
  await expect(page.getByTestId("tls-alert")).toContainText("Mail Sender B, Mail Sender C");
  await expect(page.getByTestId("tls-alert")).toContainText(`the first failing report is for ${words(ago(2))}`);

  // The chart (a bar pair a day, oldest first) and its table, with the days' own figures.
  const days = [ago(3), ago(2), ago(1)];
  await expect(section.locator("svg.chart rect.bar-failed")).toHaveCount(3);
  await expect(section.locator("svg.chart desc")).toContainText(`3 days from ${days[0]} to ${days[2]}`);
  const daily = page.locator("#tls-daily-table tbody tr");
  await expect(daily).toHaveCount(3);
  for (const [i, day] of days.entries()) {
    await expect(daily.nth(i).locator("td")).toHaveText([day, String(e.byDay[day].successful), String(e.byDay[day].failed)]);
  }
  // The failure tables.
  await expect(page.locator("#tls-by-type tbody tr")).toHaveCount(1);
  await expect(page.locator("#tls-by-type tbody tr td")).toHaveText(["certificate-host-mismatch", "24", "The MX's certificate does not name the host"]);
  await expect(page.locator("#tls-by-mx tbody tr td")).toHaveText([`mx2.${D}`, "24", "certificate-host-mismatch"]);
  const each = page.locator("#tls-failures tbody tr");
  await expect(each).toHaveCount(2);
  await expect(each.nth(0)).toContainText("Mail Sender B");
  await expect(each.nth(1)).toContainText("Mail Sender C");
  await expect(page.locator("#tls-senders tbody tr")).toHaveCount(3);
  await expect(page.locator("#tls-reports tbody tr")).toHaveCount(4);

  // The checklist, item by item.
  for (const [check, status] of [["received", "done"], ["days", "waiting"], ["recent", "done"], ["policy", "done"],
    ["failures", "fix"], ["mx", "fix"], ["mx-reached", "not-checked"], ["alert", "fix"]]) {
    await expect(item(page, check), check).toHaveAttribute("data-status", status);
  }
  await expect(item(page, "days")).toContainText("3 of 14 days of reports");
  await expect(item(page, "failures")).toContainText("Fix: Install a certificate");
  await expect(item(page, "mx")).toContainText(`mx2.${D} (24 sessions)`);
  for (const scheme of ["light", "dark"]) await axe(page, scheme, "monitor-tlsrpt-failing");
  await page.emulateMedia({ colorScheme: "light" });

  // The threshold: bad values refused here (nothing sent), and by the Worker too.
  const posts = [];
  page.on("request", (r) => { if (r.method() === "POST" && r.url().endsWith("/tlsrpt")) posts.push(r.postData()); });
  const box = page.getByLabel("Alert when a report's failure rate is above (%)");
  await expect(box).toHaveValue("1.00");
  for (const bad of ["150", "abc", "0.125"]) {
    await box.fill(bad);
    await page.getByRole("button", { name: "Save the threshold" }).click();
    await expect(page.locator("#tls-threshold-error")).toContainText(`“${bad}” is not a failure rate`);
    await expect(box).toHaveAttribute("aria-invalid", "true");
  }
  expect(posts, "nothing sent for a bad value").toEqual([]);
  const refused = await fetch(`${BASE}/api/monitor/${sub.id}/tlsrpt`, { method: "POST", headers: { ...auth(sub), "Content-Type": "application/json" }, body: JSON.stringify({ failure_rate_percent: 150 }) });
  expect(refused.status).toBe(400);
  // A good one: saved, confirmed, read back; the confirmation survives the re-render.
  await box.fill("0.5");
  await page.getByRole("button", { name: "Save the threshold" }).click();
  const saved = page.getByTestId("tls-threshold-saved");
  await expect(saved).toHaveText("Saved: an alert goes out when a report's failure rate is above 0.50 %.");
  expect(posts.map((p) => JSON.parse(p))).toEqual([{ failure_rate_percent: 0.5 }]);
  await expect(page.locator("#tls-threshold-error")).toBeEmpty();
  await expect(box).toHaveValue("0.50");
  await expect(totals).toContainText("above 0.50 %");
  expect((await tlsrpt(sub)).summary.alerting.failure_rate_threshold).toBe("0.50");
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Loading" })).toHaveCount(0);
  await expect(saved).toHaveText("Saved: an alert goes out when a report's failure rate is above 0.50 %.");
  await expect(page.locator("#tls-threshold-help")).toContainText("In force: 0.50 %");

  // The API fails: "could not check", with its reason — no headline, no "no reports".
  await page.route("**/api/monitor/*/tlsrpt", (route) => route.request().method() === "GET"
    ? route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "monitoring is not configured here" } }) })
    : route.continue());
  await page.getByRole("button", { name: "Refresh" }).click();
  const cnc = page.getByTestId("tls-could-not-check");
  await expect(cnc).toContainText("Could not check the TLS reports");
  await expect(cnc).toContainText("Monitoring is not available on this server: monitoring is not configured here.");
  await expect(page.getByTestId("tls-headline")).toHaveCount(0);
  await expect(section).not.toContainText("No TLS reports");
  await expect(page.getByTestId("tls-checklist")).toHaveCount(0);
  await axe(page, "dark", "monitor-tlsrpt-could-not-check");
  await page.unroute("**/api/monitor/*/tlsrpt");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByTestId("tls-headline")).toHaveAttribute("data-tone", "failing");
  await expect(cnc).toHaveCount(0);
});

test("fifteen clean days from two senders: ready to enforce", async ({ page }) => {
  test.setTimeout(120_000);
  // Its own subscription of the same domain: its own token, its own reports.
  const sub = await subscribe(hook("ok/page-tlsrpt-m19-clean"));
  const api0 = await tlsrpt(sub);
  expect(api0.state).toBe("pending");
  await verify([sub]);
  const url = (await tlsrpt(sub)).destinations.https;
  const reports = [];
  for (let n = 15; n >= 1; n--) reports.push(report("clean.json", n, n % 2 ? "Mail Sender A" : "Mail Sender D"));
  for (const j of reports) await send(url, j);
  const e = sums(reports);
  await open(page, sub);
  const head = page.getByTestId("tls-headline");
  await expect(head).toHaveAttribute("data-tone", "ready");
  await expect(head).toContainText("15 days of reports from 2 senders; 0 failures: ready to enforce.");
  await expect(page.getByTestId("tls-totals")).toContainText(`${e.all}: ${e.successful} successful, 0 failed (0.00 %)`);
  await expect(page.locator("#tls-daily-table tbody tr")).toHaveCount(15);
  await expect(page.locator("#tls-by-type")).toHaveCount(0);
  await expect(page.getByTestId("tls-alert")).toHaveCount(0);
  const checklist = page.getByTestId("tls-checklist").locator("li");
  await expect(checklist).toHaveCount(8);
  await expect(checklist.filter({ has: page.locator(".badge-ok") })).toHaveCount(7);
  await expect(item(page, "mx-reached")).toHaveAttribute("data-status", "not-checked");
  await expect(item(page, "days")).toContainText("15 days of reports");
  for (const scheme of ["light", "dark"]) await axe(page, scheme, "monitor-tlsrpt-ready");
});
