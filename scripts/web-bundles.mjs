// Run by scripts/web-build.sh after its Trunk builds, one per page (web/Cargo.toml's features):
// the site's documentation (`/codes`, `/widget`, not found) in dist/, whose index.html and CSS
// every page shares, and each other page in target/web-<name>/. Trunk 0.21 cannot split code,
// so the split is by build: each page carries only the code it reaches, and dist/index.html gets a
// loader that picks the build for the path —
//   `/` with nothing to show yet (no query, no checks saved in this browser): the shell (the
//       checker's form, intro and file drop zone; a check or a file loads the checker's build,
//       which the shell prefetches once it is on screen);
//   `/` with a query (`/?domain=…`; `/?open`: an Evidence file picked or dropped on the shell,
//       handed over in session storage) or saved checks: the checker (the Worker's judged report
//       and its view, no judge);  `/embed`: the widget;  `/lint`, `/generate`,
//   `/reports`, `/bulk`, `/monitor`: their own;  anything else: the documentation.
// Two builds have no page of their own. The linter's engine (`engine`: the policy grammar, the
// record checks and the sender models): the loader fetches it once the linter is on screen
// (marked `mtasts-on-screen` in the Performance timeline, which tests/e2e/payload.spec.mjs reads)
// and hands its `lint` function to the page. The crate's judge (`judge`): an Evidence file
// opened on the checker must not leave the browser, so it is judged in it, by this module,
// which `window.mtastsJudge` loads (once) when a file is opened; the loader fetches it ahead when
// the pointer or focus enters the drop zone.
// A link to a page of another build is a page load (the router leaves links to pages its build
// lacks to the browser); within a build (the code index and its code pages) pages change in
// place. So that the next page does not wait, the loader prefetches a link's build as soon as the
// visitor shows intent (pointer over it, focus, touch), once the page is on screen.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The JS and wasm file names Trunk gave the build in `dir`. */
function bundle(dir) {
  const files = readdirSync(dir);
  const js = files.find((f) => /^mtasts-web-[0-9a-f]+\.js$/.test(f));
  const wasm = files.find((f) => /^mtasts-web-[0-9a-f]+_bg\.wasm$/.test(f));
  if (!js || !wasm) throw new Error(`web-bundles: no build in ${dir}`);
  return { dir, js, wasm };
}

// Build name → where Trunk wrote it. The names are the loader's keys (and payload.mjs's).
const BUILDS = {
  docs: "dist",
  shell: "target/web-shell",
  checker: "target/web-checker",
  embed: "target/web-embed",
  lint: "target/web-lint",
  generate: "target/web-generate",
  reports: "target/web-reports",
  bulk: "target/web-bulk",
  monitor: "target/web-monitor",
  // No page: the linter's engine (web/src/lint_wire.rs), loaded once the linter is on screen.
  engine: "target/web-lint-engine",
  // No page: the crate's judge (web/src/judge_wire.rs), loaded when an Evidence file is opened.
  judge: "target/web-judge",
};
const builds = Object.fromEntries(Object.entries(BUILDS).map(([name, dir]) => [name, bundle(dir)]));
for (const b of Object.values(builds)) {
  if (b.dir === "dist") continue;
  for (const f of [b.js, b.wasm]) copyFileSync(join(b.dir, f), join("dist", f));
}
// Trunk's own loader (one inline module script importing the whole app) becomes ours.
const html = readFileSync("dist/index.html", "utf8");
const inline = /<script type=module>[\s\S]*?<\/script>/;
if (!inline.test(html)) throw new Error("web-bundles: Trunk's loader script not found in dist/index.html");
const table = JSON.stringify(Object.fromEntries(Object.entries(builds).map(([n, b]) => [n, [`/${b.js}`, `/${b.wasm}`]])));
// `w(path, search)`: the build for a page. `pre(name)`: its JS and wasm fetched ahead, once.
const loader = `<script type=module>const B=${table};` +
  `let saved=false;try{saved=!!localStorage.getItem("mtasts.history.v2")}catch(e){}` +
  `const w=(p,q)=>{p=p.replace(/\\/+$/,"")||"/";return p==="/"?(q||saved?"checker":"shell"):` +
  `({"/embed":"embed","/lint":"lint","/generate":"generate","/reports":"reports","/bulk":"bulk","/monitor":"monitor"})[p]||"docs"};` +
  `const here=w(location.pathname,location.search);const done=new Set([here]);` +
  `const pre=(n)=>{if(done.has(n))return;done.add(n);for(const [rel,h] of [["modulepreload",B[n][0]],["prefetch",B[n][1]]]){const k=document.createElement("link");k.rel=rel;k.href=h;k.crossOrigin="";document.head.append(k)}};` +
  // The judge, loaded once, on the first file opened (web/src/judge_wire.rs); defined before the
  // page starts, which may open a file the shell handed over as it mounts.
  `let J;window.mtastsJudge=async(t)=>{J??=import(B.judge[0]).then(async(s)=>{await s.default({module_or_path:B.judge[1]});return s});return(await J).judge(t)};` +
  `const [js,wasm]=B[here];` +
  `const l=document.createElement("link");l.rel="preload";l.as="fetch";l.type="application/wasm";l.crossOrigin="";l.href=wasm;document.head.append(l);` +
  `const m=await import(js);await m.default({module_or_path:wasm});performance.mark("mtasts-on-screen");` +
  // The linter on screen, its second module (its engine): the linter hands the draft to
  // window.mtastsLint and shows the findings from the event on; if it cannot be loaded, the page
  // says so (window.mtastsLintFailed, and an event).
  `if(here==="lint")import(B.engine[0]).then(async(s)=>{await s.default({module_or_path:B.engine[1]});window.mtastsLint=s.lint;performance.mark("mtasts-lint-ready");dispatchEvent(new Event("mtasts-lint"))}).catch(()=>{window.mtastsLintFailed=true;dispatchEvent(new Event("mtasts-lint-failed"))});` +
  `if(here==="shell")pre("checker");` +
  `const intent=(e)=>{const t=e.target instanceof Element?e.target:null;if(t&&t.closest(".dropzone"))pre("judge");` +
  `const a=t&&t.closest("a[href]");if(a&&a.origin===location.origin&&!a.hash)pre(w(a.pathname,a.search))};` +
  `for(const t of ["pointerover","focusin","touchstart"])document.addEventListener(t,intent,{passive:true})</script>`;
const out = html
  .replace(inline, loader)
  // The preloads Trunk wrote name the documentation build's files: the loader preloads the one it picks.
  .replace(/<link[^>]*rel=modulepreload[^>]*>/g, "")
  .replace(/<link[^>]*rel=preload[^>]*>/g, "");
writeFileSync("dist/index.html", out);
console.log(`web-bundles: ${Object.entries(builds).map(([n, b]) => `${n} → ${b.wasm}`).join(", ")}`);
