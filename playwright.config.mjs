// End-to-end tests of the web app, against `wrangler dev` serving the app and the Worker API on
// the fixture internet (scripts/fixture-stack.sh sets MTASTS_BASE). Debian's Chromium, never a
// downloaded browser. Screenshots of every page go to target/e2e/screenshots (a CI artifact).
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "target/e2e/results",
  timeout: 45_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  // In CI one retry: a test that passes on its second run is listed as "flaky" (not hidden),
  // while two cores shared by Chromium, workerd and the fixtures occasionally starve a page.
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL: process.env.MTASTS_BASE || "http://127.0.0.1:8787",
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
    trace: "off",
  },
});
