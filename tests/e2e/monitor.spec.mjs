// /monitor: subscribe from the page, publish the token in the fixture world, "check now",
// runs fired through wrangler dev's /__scheduled, the timeline with a change and its fix, the
// alert's delivery, unsubscribing; refusals said plainly; axe in light and dark. The monitoring
// zone m0–m19.mon.test changes through the fixture's POST /__mon (tests/worker/monitor.test.mjs
// uses m1–m4, m9 and m15; this file m16–m18, which no worker test uses: a domain's baseline is shared by its subscribers).
import { test, expect, ready } from "./helpers.mjs";
import { BASE, CONTROL, HTTPS_PORT, hook, axe } from "./monitor-helpers.mjs";

const RUN_CRON = "0 6 * * *";

async function world(request, domain, variant, tokens) {
  const r = await request.post(`${CONTROL}/__mon`, { data: JSON.stringify({ domain, variant, tokens }) });
  expect(r.status(), `world ${domain} ${variant}`).toBe(200);
}
const journal = async (request) => (await (await request.get(`${CONTROL}/__hooks`)).json());
async function cron(request, which) {
  const r = await request.get(`${BASE}/__scheduled?cron=${encodeURIComponent(which)}`);
  expect(r.status(), `scheduled ${which}`).toBe(200);
}
// Presses Refresh until the newest run is a new one (the run's queue consumer is asynchronous).
async function newRun(page, before) {
  const runs = page.locator(".mon-run");
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Loading" })).toHaveCount(0);
    expect(await runs.count()).toBeGreaterThan(before);
  }).toPass({ timeout: 30_000, intervals: [500, 1000] });
  return runs.first();
}

test("subscribe, publish the token, check now, runs in the timeline, a change with its fix and its alert, unsubscribe", async ({ page, context, request }) => {
  test.setTimeout(150_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const d = "m16.mon.test";
  await world(request, d, "good", []);
  await page.goto("/monitor");
  await ready(page);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monitoring" })).toHaveAttribute("aria-current", "page");
  await page.getByLabel("Domain").fill(d);
  await page.getByLabel("Webhook URL").fill(hook("ok/page-m16"));
  await page.getByLabel("Alert on").selectOption("warning");
  await page.getByRole("button", { name: "Subscribe", exact: true }).click();

  // Shown once: the key and the secret, with copy buttons; the heading takes the focus.
  await expect(page.getByRole("heading", { name: "Save these now" })).toBeFocused();
  const key = await page.getByTestId("mon-key").innerText();
  expect(key).toMatch(/^mk_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("mon-secret")).toHaveText(/^whsec_[A-Za-z0-9+/]{32}$/);
  await page.getByRole("button", { name: "Copy the management key" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  // Nothing secret in the address: the key is kept in this tab's session storage.
  expect(page.url()).not.toContain(key);
  expect(await page.evaluate(() => sessionStorage.getItem("mtasts.monitor.key"))).toBe(key);

  // Pending, with the exact record to publish.
  await expect(page.getByTestId("mon-state")).toHaveAttribute("data-state", "pending");
  const record = page.getByTestId("mon-record");
  await expect(record).toContainText(`_mtasts-monitor.${d}`);
  await expect(record).toContainText("TXT");
  const value = await page.getByTestId("mon-record-value").innerText();
  expect(value).toMatch(/^v=MTASTSMON1; token=[0-9a-f]{40}$/);
  await page.getByRole("button", { name: "Copy the value" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
  await expect(page.getByTestId("mon-no-runs")).toBeVisible();
  await axe(page, "light", "monitor-pending");

  // Check now before the record is there: not seen; after: active.
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByTestId("mon-checked")).toHaveAttribute("data-state", "pending");
  await expect(page.getByTestId("mon-checked")).toContainText("Not seen yet");
  await world(request, d, "good", [value]);
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByTestId("mon-checked")).toHaveAttribute("data-state", "active");
  await expect(page.getByTestId("mon-state")).toHaveAttribute("data-state", "active");
  await expect(page.getByTestId("mon-record")).toHaveCount(0);

  // Run 1: the baseline, nothing sent.
  await cron(request, RUN_CRON);
  const first = await newRun(page, 0);
  await expect(first).toHaveAttribute("data-outcome", "baseline");
  await expect(first).toContainText("Pass");
  await expect(page.getByTestId("mon-deliveries")).toHaveCount(0);

  // The world changes (the policy edited without an id bump); run 2 shows the change, its fix
  // and its alert, delivered to the receiver.
  await world(request, d, "edited", [value]);
  await cron(request, RUN_CRON);
  const second = await newRun(page, 1);
  await expect(second).toHaveAttribute("data-outcome", "changed");
  await expect(second).toContainText("change-policy-id-unchanged");
  await expect(second.locator(".finding-fix")).not.toHaveCount(0);
  await expect(second.getByRole("link", { name: "change-policy-id-unchanged" })).toHaveAttribute("href", "/codes/change-policy-id-unchanged");
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByTestId("mon-deliveries").locator("tbody tr").first()).toHaveAttribute("data-state", "delivered", { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [500, 1000] });
  await expect(page.getByTestId("mon-deliveries")).toContainText("HTTP 200");
  await expect(second).toContainText("Alert: Delivered");
  const hooks = (await journal(request)).filter((h) => h.path === "/ok/page-m16");
  expect(hooks).toHaveLength(1);
  expect(JSON.parse(hooks[0].body).data.findings.some((f) => f.code === "change-policy-id-unchanged")).toBe(true);
  // The feed link is the subscription's signed Atom feed, with the change.
  const feed = await page.getByTestId("mon-feed").getAttribute("href");
  const xml = await (await request.get(feed)).text();
  expect(xml).toContain("change-policy-id-unchanged");
  await page.getByRole("button", { name: "Refresh" }).click();
  for (const scheme of ["light", "dark"]) await axe(page, scheme, "monitor-timeline");

  // The key survives a reload of the tab (session storage), then unsubscribing, then forgetting.
  await page.reload();
  await expect(page.getByTestId("mon-state")).toHaveAttribute("data-state", "active");
  await expect(page.getByRole("heading", { name: "Save these now" })).toHaveCount(0);
  await page.getByRole("button", { name: "Unsubscribe…" }).click();
  await page.getByRole("button", { name: "Yes, unsubscribe" }).click();
  await expect(page.getByTestId("mon-state")).toHaveAttribute("data-state", "unsubscribed");
  await expect(page.getByRole("button", { name: "Check now" })).toHaveCount(0);
  await page.getByRole("button", { name: "Forget the key in this tab" }).click();
  await expect(page.getByLabel("Management key")).toHaveValue("");
  expect(await page.evaluate(() => sessionStorage.getItem("mtasts.monitor.key"))).toBeNull();
});

test("a hostile webhook is refused plainly, with no request made; a wrong key opens nothing", async ({ page, request }) => {
  const before = (await journal(request)).length;
  await page.goto("/monitor");
  await ready(page);
  await page.getByLabel("Domain").fill("m17.mon.test");
  for (const [webhook, said] of [
    [`https://127.0.0.1:${HTTPS_PORT}/ok/x`, "not an IP address"],
    ["http://hooks.example.com/x", "must be https:"],
    ["https://metadata.google.internal/computeMetadata/v1/", "internal or reserved name"],
  ]) {
    await page.getByLabel("Webhook URL").fill(webhook);
    await page.getByRole("button", { name: "Subscribe", exact: true }).click();
    await expect(page.locator("#mon-sub-error")).toContainText("Refused:");
    await expect(page.locator("#mon-sub-error")).toContainText(said);
  }
  await expect(page.getByTestId("mon-created")).toHaveCount(0);
  for (const scheme of ["light", "dark"]) await axe(page, scheme, "monitor-refused");
  expect((await journal(request)).length, "the receiver saw nothing").toBe(before);
  // A wrong key: the same answer as an unknown subscription.
  await page.getByLabel("Subscription id").fill("sub_nosuchsubscription");
  await page.getByLabel("Management key").fill("mk_wrong");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.locator("#mon-error")).toContainText("No subscription with this id and key");
});

test("the per-address limit is said plainly", async ({ page }) => {
  await page.goto("/monitor");
  await ready(page);
  // Ten subscriptions from this address (the page's own fetches carry its client address)...
  const made = await page.evaluate(async (webhook) => {
    const out = [];
    for (let i = 0; i < 10; i++) {
      const r = await fetch("/api/monitor", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ domain: "m18.mon.test", webhook }) });
      out.push(r.status);
    }
    return out;
  }, hook("ok/page-m18"));
  expect(made).toEqual(Array(10).fill(201));
  // ... and the eleventh, from the form.
  await page.getByLabel("Domain").fill("m18.mon.test");
  await page.getByLabel("Webhook URL").fill(hook("ok/page-m18"));
  await page.getByRole("button", { name: "Subscribe", exact: true }).click();
  await expect(page.locator("#mon-sub-error")).toContainText("Limit reached: at most 10 subscriptions a day from one address");
});
