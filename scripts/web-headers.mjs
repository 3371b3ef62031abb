// Trunk post_build hook: writes _headers next to index.html with a Content-Security-Policy that
// allows Trunk's inline loader script by its SHA-256 hash (no 'unsafe-inline').
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR || "dist";
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
