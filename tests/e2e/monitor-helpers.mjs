// What the /monitor specs share (monitor.spec.mjs, monitor-tlsrpt.spec.mjs): the Worker's and
// the fixture world's addresses, the fixture webhook receiver, and axe with a screenshot.
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect } from "./helpers.mjs";

const SHOTS = "target/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });
export const BASE = process.env.MTASTS_BASE ?? "http://127.0.0.1:8787";
export const CONTROL = new URL(process.env.MTASTS_FIXTURE_STATS ?? "http://127.0.0.1:8053/__stats").origin;
export const HTTPS_PORT = process.env.MTASTS_FIXTURE_HTTPS_PORT ?? "8443";
export const hook = (path) => `https://hooks.mon.test:${HTTPS_PORT}/${path}`;

/** axe on the page in `scheme` (light or dark), after a full-page screenshot named `name`. */
export async function axe(page, scheme, name) {
  await page.emulateMedia({ colorScheme: scheme });
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`), `${name} ${scheme}`).toEqual([]);
}
