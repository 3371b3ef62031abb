// Prints the web app's payload, per entry (what a visitor downloads before the page works:
// index.html, the CSS, the entry's JS and wasm), for each build the loader picks
// (scripts/web-bundles.mjs): the checker's first load (`/`, the shell), the checker's report
// (`/?domain=…`, the Worker's judged report), the widget (`/embed`), the linter, the generator, the TLS report viewer, the bulk
// checker, monitoring, and the documentation (`/codes`, `/widget`, not found); then the total of all files.
// Raw and gzip bytes; fails when an entry is above its CEILING. tests/e2e/payload.spec.mjs checks
// the same from a real browser's side (every response of a cold load, the widget's iframe included).
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const KB = 1024;
// Issue 21's targets and the ceilings the build holds (web/payload.json, shared with the browser
// test): a ceiling is the target where the target is met, else the figure measured, so growth fails.
const LIMITS = JSON.parse(readFileSync("web/payload.json", "utf8")).entries;
const CEILING = Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, v.ceiling * KB]));
const TARGET = Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, v.target * KB]));
const html = readFileSync("dist/index.html", "utf8");
const files = readdirSync("dist");
const sizes = new Map();
const size = (f) => {
  if (!sizes.has(f)) {
    const b = readFileSync(`dist/${f}`);
    sizes.set(f, [b.length, gzipSync(b, { level: 9 }).length]);
  }
  return sizes.get(f);
};
// The loader's table of builds, read back from index.html (scripts/web-bundles.mjs).
const table = html.match(/const B=(\{[^}]*\});/);
if (!table) {
  console.error("payload: dist/index.html has no loader table (run scripts/web-build.sh)");
  process.exit(1);
}
const B = JSON.parse(table[1]);
const css = files.filter((f) => f.endsWith(".css"));
// Entry → the build it loads (the checker's first load is the shell; its report is the checker's build).
const entries = {
  checker: B.shell, "checker report": B.checker, widget: B.embed, lint: B.lint,
  generate: B.generate, reports: B.reports, bulk: B.bulk, monitor: B.monitor, docs: B.docs,
};
let failed = false;
for (const [name, pair] of Object.entries(entries)) {
  if (!pair) {
    console.error(`payload: the loader has no build for ${name}`);
    failed = true;
    continue;
  }
  const [js, wasm] = pair.map((p) => p.slice(1));
  let raw = Buffer.byteLength(html), gz = gzipSync(html, { level: 9 }).length;
  for (const f of [...css, js, wasm]) {
    const [r, g] = size(f);
    raw += r; gz += g;
  }
  const verdict = gz > TARGET[name] ? `over by ${((gz - TARGET[name]) / KB).toFixed(1)} KB` : "met";
  console.log(`payload: ${name.padEnd(19)} first load ${String(raw).padStart(8)} B raw ${String(gz).padStart(8)} B gzip = ${(gz / KB).toFixed(1)} KB (target ${TARGET[name] / KB} KB: ${verdict}; ceiling ${CEILING[name] / KB} KB); wasm ${wasm}`);
  if (gz > CEILING[name]) {
    console.error(`payload: ${name} is ${gz} B gzip, above its ceiling of ${CEILING[name]} B`);
    failed = true;
  }
}
// What a page fetches once it is on screen, for itself: the linter's sender models (its second
// module, scripts/web-bundles.mjs) and the checker's judge of opened files, apart from their
// pages' first loads and against their own ceilings.
const AFTER = JSON.parse(readFileSync("web/payload.json", "utf8")).after;
for (const [name, lim] of Object.entries(AFTER)) {
  const pair = B[lim.build];
  if (!pair) {
    console.error(`payload: the loader has no build ${lim.build} for ${name}`);
    failed = true;
    continue;
  }
  let r = 0, g = 0;
  for (const f of pair.map((p) => p.slice(1))) {
    const [a, b] = size(f);
    r += a; g += b;
  }
  console.log(`payload: ${name.padEnd(19)} fetched after ${String(r).padStart(8)} B raw ${String(g).padStart(8)} B gzip = ${(g / KB).toFixed(1)} KB (ceiling ${lim.ceiling} KB)`);
  if (g > lim.ceiling * KB) {
    console.error(`payload: ${name} is ${g} B gzip, above its ceiling of ${lim.ceiling * KB} B`);
    failed = true;
  }
}
let raw = 0, gz = 0;
for (const f of files.filter((f) => /\.(wasm|js|css|html)$/.test(f))) {
  const [r, g] = size(f);
  raw += r; gz += g;
}
console.log(`payload: all files of the app ${String(raw).padStart(8)} B raw ${String(gz).padStart(8)} B gzip`);
const loader = readFileSync("dist/embed.js");
console.log(`payload: embed.js loader ${String(loader.length).padStart(13)} B raw ${String(gzipSync(loader, { level: 9 }).length).padStart(8)} B gzip`);
if (failed) process.exit(1);
