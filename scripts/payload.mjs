// Prints the web app's payload, per entry (what a visitor downloads before the page works):
//   the checker (`/`): index.html, the CSS, the first-load shell's JS and wasm;
//   the checker's report (`/?domain=…`, or a check from the shell): the checker build's;
//   the widget (`/embed`): the same with the widget's build;
//   any other page: the same with the whole app's build;
// and the total of all files. Raw and gzip bytes, against issue 14's targets (checker 150 KB,
// widget 100 KB gzip), both met; this fails when an entry grows above its CEILING (the targets
// themselves for those two), so growth is caught.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const KB = 1024;
const TARGET = { checker: 150 * KB, widget: 100 * KB };
const CEILING = { checker: 150 * KB, "checker report": 300 * KB, widget: 100 * KB, "other pages": 460 * KB };
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
// The loader's choice for each path, read back from index.html (scripts/web-bundles.mjs).
const pairs = [...html.matchAll(/\["\/(mtasts-web-[0-9a-f]+\.js)","\/(mtasts-web-[0-9a-f]+_bg\.wasm)"\]/g)].map((m) => [m[1], m[2]]);
if (pairs.length !== 4) {
  console.error("payload: dist/index.html has no four-way loader (run scripts/web-build.sh)");
  process.exit(1);
}
const css = files.filter((f) => f.endsWith(".css"));
// In the loader's order: the checker's build, the shell, the widget, the whole app.
const entries = { checker: pairs[1], "checker report": pairs[0], widget: pairs[2], "other pages": pairs[3] };
let failed = false;
for (const [name, [js, wasm]] of Object.entries(entries)) {
  let raw = Buffer.byteLength(html), gz = gzipSync(html, { level: 9 }).length;
  for (const f of [...css, js, wasm]) {
    const [r, g] = size(f);
    raw += r; gz += g;
  }
  const target = TARGET[name] ? ` (target ${TARGET[name] / KB} KB${gz > TARGET[name] ? `: over by ${((gz - TARGET[name]) / KB).toFixed(1)} KB` : ": met"})` : "";
  console.log(`payload: ${name.padEnd(14)} first load ${String(raw).padStart(8)} B raw ${String(gz).padStart(8)} B gzip = ${(gz / KB).toFixed(1)} KB${target}; wasm ${wasm}`);
  if (gz > CEILING[name]) {
    console.error(`payload: ${name} is ${gz} B gzip, above its regression ceiling of ${CEILING[name]} B`);
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
