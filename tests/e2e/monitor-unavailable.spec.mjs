// /monitor on a server where monitoring is not configured: the API's 503 (its body exactly as
// the Worker without MONITOR_SECRET writes it, tests/worker/limiter.test.mjs) said in plain
// words, nothing shown as subscribed, and the form still there to try again.
import { test, expect, ready } from "./helpers.mjs";

const BODY = JSON.stringify({ error: { code: "unavailable", message: "monitoring is not configured here (no MONITOR_SECRET)" } });

test("a 503 from the monitoring API: 'not available on this server', with the Worker's message", async ({ page }) => {
  let asked = 0;
  await page.route("**/api/monitor", (route) => {
    asked += 1;
    return route.fulfill({ status: 503, contentType: "application/json", body: BODY });
  });
  await page.goto("/monitor");
  await ready(page);
  await page.getByLabel("Domain").fill("m19.mon.test");
  await page.getByLabel("Webhook URL").fill("https://hooks.mon.test/ok/unavailable");
  await page.getByRole("button", { name: "Subscribe", exact: true }).click();
  const error = page.locator("#mon-sub-error");
  await expect(error).toHaveText("Monitoring is not available on this server: monitoring is not configured here (no MONITOR_SECRET).");
  await expect(error).toHaveAttribute("role", "alert");
  expect(asked).toBe(1);
  await expect(page.getByRole("heading", { name: "Save these now" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Subscribe", exact: true })).toBeEnabled();
});
