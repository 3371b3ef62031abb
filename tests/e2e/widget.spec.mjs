// The widget on another origin: the loader, the check, the resize, and framing rules.
import http from "node:http";
import { test, expect } from "./helpers.mjs";

const HOST_PORT = Number(process.env.WIDGET_HOST_PORT || 8790);
let server;
let pinned = ""; // the snippet of /widget, served as is by the other site's /pinned page

test.beforeAll(async ({ baseURL }) => {
  const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another site</title></head>
<body><main><h1>Another site</h1>${body}</main><script src="${baseURL}/embed.js" async></script></body></html>`;
  server = http.createServer((req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    if (req.url.startsWith("/pinned")) {
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pinned</title></head><body><main><h1>Pinned</h1>${pinned}</main></body></html>`);
    } else if (req.url.startsWith("/framing")) {
      res.end(`<!doctype html><html lang="en"><head><title>Framing</title></head><body>
        <iframe id="home" title="home" src="${baseURL}/"></iframe><iframe id="embed" title="embed" src="${baseURL}/embed"></iframe></body></html>`);
    } else {
      res.end(page('<div data-mtasts-widget data-theme="dark" data-accent="#ff8800"></div>'));
    }
  });
  await new Promise((r) => server.listen(HOST_PORT, "127.0.0.1", r));
});
test.afterAll(async () => { await new Promise((r) => server.close(r)); });

test("the widget loads on another origin, checks, and resizes", async ({ page }) => {
  await page.goto(`http://127.0.0.1:${HOST_PORT}/`);
  const iframe = page.locator("iframe[title='MTA-STS checker']");
  await expect(iframe).toBeVisible();
  const frame = page.frameLocator("iframe[title='MTA-STS checker']");
  await expect(frame.getByRole("heading", { name: "MTA-STS check" })).toBeVisible();
  // Themed by the snippet's attributes.
  await expect(frame.locator("html")).toHaveAttribute("data-theme", "dark");
  const before = (await iframe.boundingBox()).height;
  await frame.getByLabel("Domain").fill("stale.test");
  await frame.getByRole("button", { name: "Check" }).click();
  await expect(frame.locator("[data-verdict]")).toHaveAttribute("data-verdict", "fail");
  await expect(frame.locator(".findings li")).toHaveCount(3);
  await expect(frame.getByRole("link", { name: "See the full report" })).toHaveAttribute("href", /\/\?domain=stale\.test$/);
  // The iframe grew to its content (postMessage from /embed, origin checked by the loader).
  await expect.poll(async () => (await iframe.boundingBox()).height).toBeGreaterThan(before + 100);
  const inner = await frame.locator("html").evaluate((e) => e.scrollHeight);
  await expect.poll(async () => Math.round((await iframe.boundingBox()).height)).toBe(inner);
});

test("the loader ignores height messages from other origins", async ({ page }) => {
  await page.goto(`http://127.0.0.1:${HOST_PORT}/`);
  const iframe = page.locator("iframe[title='MTA-STS checker']");
  await expect(page.frameLocator("iframe").getByRole("heading", { name: "MTA-STS check" })).toBeVisible();
  await page.waitForTimeout(300);
  const h = (await iframe.boundingBox()).height;
  await page.evaluate(() => window.postMessage({ type: "mtasts:height", height: 3000 }, "*"));
  await page.waitForTimeout(300);
  expect((await iframe.boundingBox()).height).toBe(h);
});

test("only /embed may be framed by other sites", async ({ request, page }) => {
  const home = await request.get("/");
  expect(home.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(home.headers()["x-frame-options"]).toBe("DENY");
  const lint = await request.get("/lint");
  expect(lint.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const embed = await request.get("/embed?theme=dark");
  expect(embed.headers()["content-security-policy"]).toContain("frame-ancestors *");
  expect(embed.headers()["x-frame-options"]).toBeUndefined();
  // And the browser enforces it.
  await page.goto(`http://127.0.0.1:${HOST_PORT}/framing`);
  await expect(page.frameLocator("#embed").getByRole("heading", { name: "MTA-STS check" })).toBeVisible();
  const homeFrame = page.frames().find((f) => f.name() === "" && f.url().includes("chrome-error") || f.url().endsWith(":8787/"));
  const blocked = await page.frameLocator("#home").locator("main").count();
  expect(blocked).toBe(0);
});

test("the widget page documents the snippet and runs the real loader", async ({ page }) => {
  await page.goto("/widget");
  await expect(page.locator("pre.code")).toContainText('<script src="');
  await expect(page.locator("pre.code")).toContainText(/\/embed-[0-9a-f]{16}\.js" integrity="sha384-/);
  await expect(page.frameLocator(".widget-demo iframe").getByRole("heading", { name: "MTA-STS check" })).toBeVisible();
});

test("the snippet pins the loader with its integrity hash; a tampered hash is refused", async ({ page: docs, browser, request }) => {
  await docs.goto("/widget");
  pinned = await docs.locator("pre.code").innerText();
  // A visitor's browser as it is: the suite's extra client header would turn the CORS script
  // fetch into a preflighted one, which no static asset answers.
  const context = await browser.newContext();
  const page = await context.newPage();
  const src = pinned.match(/src="([^"]+)"/)[1];
  const js = await request.get(src);
  expect(js.status()).toBe(200);
  expect(js.headers()["access-control-allow-origin"]).toBe("*");
  expect(js.headers()["cache-control"]).toContain("immutable");
  // The browser checks the hash and runs the loader on another origin.
  await page.goto(`http://127.0.0.1:${HOST_PORT}/pinned`);
  await expect(page.frameLocator("iframe[title='MTA-STS checker']").getByRole("heading", { name: "MTA-STS check" })).toBeVisible();
  // One changed character of the hash: the browser refuses the script, no iframe appears.
  pinned = pinned.replace(/integrity="sha384-(.)/, (_, c) => `integrity="sha384-${c === "A" ? "B" : "A"}`);
  await page.goto(`http://127.0.0.1:${HOST_PORT}/pinned`);
  await page.waitForTimeout(500);
  await expect(page.locator("iframe")).toHaveCount(0);
  await context.close();
});

test("the widget's iframe is sandboxed to what it needs", async ({ page }) => {
  await page.goto(`http://127.0.0.1:${HOST_PORT}/`);
  const iframe = page.locator("iframe[title='MTA-STS checker']");
  const tokens = (await iframe.getAttribute("sandbox")).split(/\s+/).sort();
  expect(tokens).toEqual(["allow-forms", "allow-popups", "allow-popups-to-escape-sandbox", "allow-same-origin", "allow-scripts"]);
  // It still works inside the sandbox: the form submits and the check runs.
  const frame = page.frameLocator("iframe[title='MTA-STS checker']");
  await frame.getByLabel("Domain").fill("good.test");
  await frame.getByRole("button", { name: "Check" }).click();
  await expect(frame.locator("[data-verdict]")).toHaveAttribute("data-verdict", "pass");
});

test("pages send HSTS and COOP", async ({ request }) => {
  for (const path of ["/", "/lint", "/embed"]) {
    const h = (await request.get(path)).headers();
    expect(h["strict-transport-security"], path).toContain("max-age=31536000");
    expect(h["cross-origin-opener-policy"], path).toBe("same-origin");
  }
});
