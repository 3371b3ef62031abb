// Run after `trunk build` (scripts/web-build.sh): writes dist/_headers with a Content-Security-Policy that
// allows Trunk's inline loader script by its SHA-256 hash (no 'unsafe-inline').
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] || "dist";
const html = readFileSync(join(dir, "index.html"), "utf8");
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`);
}
const template = readFileSync("web/_headers.in", "utf8");
const out = template
  .split("\n")
  .filter((l) => !l.startsWith("#"))
  .join("\n")
  .replaceAll("{{SCRIPT_HASHES}}", hashes.join(" "));
writeFileSync(join(dir, "_headers"), out);
console.log(`web-headers: ${hashes.length} inline script hash(es) in ${join(dir, "_headers")}`);
// The widget loader pinned by content, as web/build.rs names it for the snippet.
const loader = readFileSync(join(dir, "embed.js"));
const pinned = `embed-${createHash("sha256").update(loader).digest("hex").slice(0, 16)}.js`;
writeFileSync(join(dir, pinned), loader);
console.log(`web-headers: widget loader pinned as ${pinned}`);
