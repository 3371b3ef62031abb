//! The widget loader's pinned name and Subresource Integrity hash, from `embed.js` itself: the
//! snippet on `/widget` loads `embed-<first 16 hex of its SHA-256>.js` (content-addressed, so the
//! file at a pinned URL never changes) with `integrity="sha384-…"`. `scripts/web-headers.mjs`
//! writes that file into `dist/` by the same rule.

use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384};

fn main() {
    println!("cargo:rerun-if-changed=embed.js");
    let js = std::fs::read("embed.js").expect("web/embed.js");
    let name: String = Sha256::digest(&js)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let sri = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&js));
    println!("cargo:rustc-env=EMBED_JS_NAME=embed-{name}.js");
    println!("cargo:rustc-env=EMBED_JS_SRI=sha384-{sri}");
}
