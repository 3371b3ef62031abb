// Benchmark (prints figures; asserts nothing): the /reports page in Chromium reading N generated
// report files (scripts/bench-reports.py) and a 20 MB set, timed inside the page — the
// `mtasts-reports` performance measure from the files handed over to the rendered summary — and
// the longest main-thread task meanwhile (the page must stay responsive). Serves dist/ itself.
//   node scripts/bench-reports-web.mjs   (after scripts/web-build.sh; N=100 by default)
import { createServer } from "node:http";
import { readFileSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, extname } from "node:path";
import { chromium } from "@playwright/test";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml" };
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = join("dist", path);
  if (!existsSync(file) || statSync(file).isDirectory()) file = "dist/index.html";
  res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
}).listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const base = `http://127.0.0.1:${server.address().port}`;

const work = mkdtempSync(join(tmpdir(), "mtasts-reports-"));
const n = Number(process.env.N || 100);
execFileSync("python3", ["scripts/bench-reports.py", String(n), join(work, "many")]);
// 20 MB: twenty 1 MB reports of 4,000 failure details each.
const big = join(work, "big");
execFileSync("mkdir", ["-p", big]);
for (let i = 0; i < 20; i++) {
  const details = Array.from({ length: 4000 }, (_, j) => ({
    "result-type": "certificate-host-mismatch", "sending-mta-ip": `192.0.2.${j % 250}`,
    "receiving-mx-hostname": `mx${j % 3}.example.net`, "receiving-ip": `198.51.100.${j % 250}`,
    "failed-session-count": 1 + (j % 9), "additional-information": "x".repeat(120),
  }));
  writeFileSync(join(big, `big-${i}.json`), JSON.stringify({
    "organization-name": `Big ${i}`, "report-id": `big-${i}`, "contact-info": "a@b.example",
    "date-range": { "start-datetime": `2026-10-${String(1 + i).padStart(2, "0")}T00:00:00Z`, "end-datetime": `2026-10-${String(1 + i).padStart(2, "0")}T23:59:59Z` },
    policies: [{ policy: { "policy-type": "sts", "policy-domain": "example.net", "policy-string": ["version: STSv1", "mode: testing"], "mx-host": ["*.example.net"] },
      summary: { "total-successful-session-count": 100000, "total-failure-session-count": 20000 }, "failure-details": details }],
  }));
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
async function run(dir, label) {
  const files = readdirSync(dir).map((f) => join(dir, f));
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  const times = [], longest = [], reads = [];
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage();
    await page.goto(base + "/reports");
    await page.locator("#reports-files").waitFor();
    await page.evaluate(() => {
      window.__longest = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
        .observe({ type: "longtask", buffered: false });
    });
    await page.locator("#reports-files").setInputFiles(files);
    await page.locator("#reports-headline").waitFor();
    await page.waitForFunction(() => performance.getEntriesByName("mtasts-reports").length > 0);
    times.push(await page.evaluate(() => performance.getEntriesByName("mtasts-reports").at(-1).duration));
    reads.push(await page.evaluate(() => performance.getEntriesByName("mtasts-reports-read").at(-1).duration));
    longest.push(await page.evaluate(() => window.__longest));
    await page.close();
  }
  const med = (a) => [...a].sort((x, y) => x - y)[1];
  console.log(`reports page, ${label}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB read and shown in ${med(times).toFixed(0)} ms (read and counted: ${med(reads).toFixed(0)} ms; median of 3, inside the page); longest main-thread task ${med(longest).toFixed(0)} ms`);
}
await run(join(work, "many"), `${n} generated files (.json, .json.gz, .eml)`);
await run(big, "20 MB");
await browser.close();
server.close();
rmSync(work, { recursive: true, force: true });
