// Run by scripts/web-build.sh after its four Trunk builds: the whole app in dist/, the checker's
// first load in target/web-shell/, the checker alone in target/web-checker/, the widget alone in
// target/web-embed/. Trunk 0.21 cannot split code, so the split is by build: each page set is
// its own wasm, and dist/index.html gets a loader that picks one —
//   `/` with nothing to show yet (no query, no checks saved in this browser): the shell (the
//       checker's form, intro and file drop zone; a check or a file loads the checker's build,
//       which the shell prefetches once it is on screen);
//   `/` with a query or saved checks: the checker;  `/embed`: the widget;  anything else: the
//   whole app.
// A link from the checker to another page is then a page load (the router leaves links to pages
// its build lacks to the browser); within the whole app, pages change in place.
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

const full = bundle("dist");
const shell = bundle("target/web-shell");
const checker = bundle("target/web-checker");
const embed = bundle("target/web-embed");
for (const b of [shell, checker, embed]) {
  for (const f of [b.js, b.wasm]) copyFileSync(join(b.dir, f), join("dist", f));
}
// Trunk's own loader (one inline module script importing the whole app) becomes ours.
const html = readFileSync("dist/index.html", "utf8");
const inline = /<script type=module>[\s\S]*?<\/script>/;
if (!inline.test(html)) throw new Error("web-bundles: Trunk's loader script not found in dist/index.html");
const pick = (b) => `["/${b.js}","/${b.wasm}"]`;
const loader = `<script type=module>const p=location.pathname.replace(/\\/+$/,"")||"/";` +
  `let saved=false;try{saved=!!localStorage.getItem("mtasts.history.v1")}catch(e){}` +
  `const C=${pick(checker)};` +
  `const first=p==="/"&&!location.search&&!saved;` +
  `const [js,wasm]=first?${pick(shell)}:p==="/"?C:p==="/embed"?${pick(embed)}:${pick(full)};` +
  `const l=document.createElement("link");l.rel="preload";l.as="fetch";l.type="application/wasm";l.crossOrigin="";l.href=wasm;document.head.append(l);` +
  `const m=await import(js);await m.default({module_or_path:wasm});` +
  `if(first)for(const [rel,h] of [["modulepreload",C[0]],["prefetch",C[1]]]){const k=document.createElement("link");k.rel=rel;k.href=h;k.crossOrigin="";document.head.append(k)}</script>`;
const out = html
  .replace(inline, loader)
  // The preloads Trunk wrote name the whole app's files: the loader preloads the one it picks.
  .replace(/<link[^>]*rel=modulepreload[^>]*>/g, "")
  .replace(/<link[^>]*rel=preload[^>]*>/g, "");
writeFileSync("dist/index.html", out);
console.log(`web-bundles: / first → ${shell.wasm}, / → ${checker.wasm}, /embed → ${embed.wasm}, other pages → ${full.wasm}`);
